package dev.cirrus.computevm.batch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Azure Batch in compute-vm ({@code cirrus.batch.*}), checked at start-up.
 *
 * @param hostDomain   an account's endpoint is {@code {account}.{region}.batch.{hostDomain}}; default {@code localhost}
 *                     (the gateway's default too), because {@code *.localhost} reaches loopback without DNS
 * @param root         where nodes keep their directories (one per node, with its tasks' working directories);
 *                     default {@code batch} under the service's working directory (the local run's data folder)
 * @param quota        what a new account may use, as Azure reports it on the account
 * @param nodeBoot     how long a node takes from allocated to ready (starting), scaled down from Azure's minutes
 * @param tick         how often the scheduler looks at pools, nodes and tasks when nothing woke it
 * @param pageSize     the largest page of a data-plane list ({@code maxresults} lowers it); Azure's is 1000
 */
@ConfigurationProperties("cirrus.batch")
public record BatchProperties(String hostDomain, Path root, Quota quota, Duration nodeBoot, Duration tick,
                              Integer pageSize) {

    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    public BatchProperties {
        hostDomain = hostDomain == null ? "localhost" : hostDomain.strip().toLowerCase(java.util.Locale.ROOT);
        if (!DOMAIN.matcher(hostDomain).matches()) {
            throw new IllegalArgumentException("cirrus.batch.host-domain=" + hostDomain + " is not a DNS domain");
        }
        root = (root == null ? Path.of("batch") : root).toAbsolutePath().normalize();
        quota = quota == null ? new Quota(null, null, null, null) : quota;
        // a real node boots in minutes; a second keeps the states visible without making tests wait
        nodeBoot = nodeBoot == null ? Duration.ofSeconds(1) : nodeBoot;
        // a safety net only: every change that gives the scheduler work wakes it at once
        tick = tick == null ? Duration.ofMillis(500) : tick;
        pageSize = pageSize == null ? 1000 : pageSize;
        if (nodeBoot.isNegative() || tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("cirrus.batch.node-boot must not be negative and cirrus.batch.tick positive");
        }
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("cirrus.batch.page-size must be between 1 and 1000");
        }
    }

    /**
     * @param dedicatedCores    {@code dedicatedCoreQuota}; Azure gives new accounts quotas in the low hundreds
     * @param lowPriorityCores  {@code lowPriorityCoreQuota}
     * @param pools             {@code poolQuota}: Azure's default is 100 pools per account
     * @param activeJobs        {@code activeJobAndJobScheduleQuota}: Azure's default is 300
     */
    public record Quota(Integer dedicatedCores, Integer lowPriorityCores, Integer pools, Integer activeJobs) {
        public Quota {
            dedicatedCores = dedicatedCores == null ? 500 : dedicatedCores;
            lowPriorityCores = lowPriorityCores == null ? 500 : lowPriorityCores;
            pools = pools == null ? 100 : pools;
            activeJobs = activeJobs == null ? 300 : activeJobs;
            if (dedicatedCores < 0 || lowPriorityCores < 0 || pools < 0 || activeJobs < 0) {
                throw new IllegalArgumentException("cirrus.batch.quota.* must not be negative");
            }
        }
    }
}
