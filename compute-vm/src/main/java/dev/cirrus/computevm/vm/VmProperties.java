package dev.cirrus.computevm.vm;

import java.time.Duration;

import dev.cirrus.computevm.operation.OperationKind;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The VM service's own settings ({@code cirrus.vm.*}), checked at start-up.
 *
 * @param timings how long the simulated platform takes, and how long it may wait for the placement engine
 * @param worker  the provisioning worker
 * @param list    list paging
 */
@ConfigurationProperties("cirrus.vm")
public record VmProperties(Timings timings, Worker worker, Listing list, Quota quota) {

    public VmProperties {
        timings = timings == null ? new Timings(null, null, null, null, null, null, null, null, null) : timings;
        worker = worker == null ? new Worker(null, null, null, null) : worker;
        list = list == null ? new Listing(null) : list;
        quota = quota == null ? new Quota(null) : quota;
    }

    /**
     * @param regionalVcpus the vCPUs one subscription may hold in one region ("Total Regional vCPUs"): every VM that
     *                      is not deallocated counts, a create or a start that would go beyond is refused
     */
    public record Quota(Integer regionalVcpus) {
        public Quota {
            // a new pay-as-you-go Azure subscription gets 10 to 20 Total Regional vCPUs depending on offer and region
            regionalVcpus = regionalVcpus == null ? 20 : regionalVcpus;
            if (regionalVcpus < 0) {
                throw new IllegalArgumentException("cirrus.vm.quota.regional-vcpus must not be negative");
            }
        }
    }

    /**
     * @param provisioning      from Creating to running (the time a real VM takes to boot, scaled down)
     * @param deletion          from Deleting to gone
     * @param placementDeadline how long a create or delete keeps retrying an unreachable placement engine before the
     *                          operation fails: a VM never stays Creating (or Deleting) forever
     * @param start             starting → running
     * @param powerOff          stopping → stopped
     * @param deallocate        deallocating → deallocated
     * @param restart           the reboot of a restart
     * @param redeploy          a redeploy, from stopping to running on the new host
     * @param reboot            an unplanned reboot after service healing
     */
    public record Timings(Duration provisioning, Duration deletion, Duration placementDeadline, Duration start,
                          Duration powerOff, Duration deallocate, Duration restart, Duration redeploy,
                          Duration reboot) {
        public Timings {
            // power actions take seconds in Azure too (tens of seconds, scaled down); tests set them to milliseconds
            start = start == null ? Duration.ofSeconds(3) : nonNegative(start, "timings.start");
            powerOff = powerOff == null ? Duration.ofSeconds(2) : nonNegative(powerOff, "timings.power-off");
            deallocate = deallocate == null ? Duration.ofSeconds(3) : nonNegative(deallocate, "timings.deallocate");
            restart = restart == null ? Duration.ofSeconds(3) : nonNegative(restart, "timings.restart");
            redeploy = redeploy == null ? Duration.ofSeconds(5) : nonNegative(redeploy, "timings.redeploy");
            reboot = reboot == null ? Duration.ofSeconds(3) : nonNegative(reboot, "timings.reboot");
            // long enough to watch Creating in a demo, short enough not to wait for it
            provisioning = provisioning == null ? Duration.ofSeconds(2) : nonNegative(provisioning, "timings.provisioning");
            // deletion is quicker than creation in Azure too
            deletion = deletion == null ? Duration.ofSeconds(1) : nonNegative(deletion, "timings.deletion");
            // rides out an engine restart; ARM clients poll for minutes before giving up
            placementDeadline = placementDeadline == null ? Duration.ofMinutes(2)
                    : positive(placementDeadline, "timings.placement-deadline");
        }
    }

    /**
     * @param threads       operations worked on at once (each mostly waits on the placement engine)
     * @param pollInterval  how often the worker looks for due work when no commit woke it (the restart safety net)
     * @param retryInterval wait before an operation whose engine call failed transiently is tried again
     * @param lease         how long a claimed operation stays with its worker before another may take it over; must
     *                      outlast one placement call with all its retries
     */
    public record Worker(Integer threads, Duration pollInterval, Duration retryInterval, Duration lease) {
        public Worker {
            // a handful: the engine answers in milliseconds, so few threads keep up with many VMs
            threads = threads == null ? 4 : threads;
            if (threads < 1) {
                throw new IllegalArgumentException("cirrus.vm.worker.threads must be at least 1");
            }
            // commits wake the worker at once; the poll only catches work left by a restart or a due delay
            pollInterval = pollInterval == null ? Duration.ofSeconds(1) : positive(pollInterval, "worker.poll-interval");
            // about the time a restarting engine needs; the circuit breaker keeps the retries cheap meanwhile
            retryInterval = retryInterval == null ? Duration.ofSeconds(1) : positive(retryInterval, "worker.retry-interval");
            // three 5 s attempts plus backoff fit well inside a minute
            lease = lease == null ? Duration.ofSeconds(60) : positive(lease, "worker.lease");
        }
    }

    /** How long an operation of this kind waits before the worker finishes it. */
    public Duration duration(OperationKind kind) {
        return switch (kind) {
            case Create -> timings.provisioning();
            case Delete -> timings.deletion();
            case Start -> timings.start();
            case PowerOff -> timings.powerOff();
            case Deallocate -> timings.deallocate();
            case Restart -> timings.restart();
            case Redeploy -> timings.redeploy();
            case ServiceHealReboot -> timings.reboot();
            case ScaleSetUpdate -> Duration.ZERO;
            // a reimage is a reboot with a fresh OS disk
            case Reimage -> timings.restart();
        };
    }

    /** @param pageSize VMs per list page (ARM leaves the page size to the provider; $top can lower it) */
    public record Listing(Integer pageSize) {
        public Listing {
            // fifty keeps one page small while most subscriptions fit on one
            pageSize = pageSize == null ? 50 : pageSize;
            if (pageSize < 1 || pageSize > 1000) {
                throw new IllegalArgumentException("cirrus.vm.list.page-size must be between 1 and 1000");
            }
        }
    }

    private static Duration positive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("cirrus.vm." + name + " must be positive, was " + d);
        }
        return d;
    }

    private static Duration nonNegative(Duration d, String name) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("cirrus.vm." + name + " must not be negative, was " + d);
        }
        return d;
    }
}
