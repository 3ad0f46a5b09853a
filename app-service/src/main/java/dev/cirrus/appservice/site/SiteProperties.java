package dev.cirrus.appservice.site;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code cirrus.appservice.sites.*}: web apps, their content and their processes.
 *
 * @param hostDomain      apps answer to the host {@code {app}.azurewebsites.{hostDomain}} and their Kudu site to
 *                        {@code {app}.scm.azurewebsites.{hostDomain}} (default {@code localhost}, as serverless's:
 *                        {@code *.localhost} reaches loopback without DNS)
 * @param publicScheme    the scheme of the apps' URLs as clients reach them (the gateway's; default {@code http})
 * @param publicPort      the port of those URLs: the gateway's (default 8080); left out of host names when it is the
 *                        scheme's default
 * @param listPageSize    the most sites on one page of a list (default 100, Azure's page)
 * @param contentRoot     where deployed content lives, one folder per site (default {@code ${java.io.tmpdir}/cirrus-app-service})
 * @param maxPackageMb    the most bytes a deployment may unpack to, in MB (default 200: a bigger package is refused
 *                        before anything is written; the request body itself is limited to 100 MB by the plumbing)
 * @param maxEntries      the most entries a zip package may hold (default 10000)
 * @param javaCommand     the {@code java} a Java app runs with (default: this service's own JVM, which a machine
 *                        running Cirrus always has)
 * @param nodeCommand     the {@code node} a Node.js app runs with (default {@code node} on the PATH)
 * @param pythonCommand   the {@code python3} a Python app runs with (default {@code python3} on the PATH)
 * @param startupTimeout  how long an instance's process may take to listen on its port before the deployment (or the
 *                        start) fails (default 60s)
 * @param superviseEvery  how often the running sites' instances are checked (a process that exited is replaced,
 *                        the count follows the plan's instances); default 1s
 * @param proxyTimeout    how long the front end waits for an instance's answer (default 230s: Azure's front end)
 * @param healthCheckEvery how often an instance's {@code healthCheckPath} is asked (default 5s); an instance that
 *                        fails it {@link #healthCheckFailures} times in a row is taken out of rotation and replaced
 * @param healthCheckFailures failed checks in a row that replace an instance (default 2)
 * @param drainTime       how long the processes a swap routed away from keep serving the requests they had before
 *                        they stop (default 10s)
 * @param freeCpuQuota    the CPU time a site on a Free plan may use in a UTC day (default 60m, Azure's)
 * @param sharedCpuQuota  the same on a Shared plan (default 240m)
 */
@Validated
@ConfigurationProperties("cirrus.appservice.sites")
public record SiteProperties(@NotBlank String hostDomain, @Pattern(regexp = "https?") String publicScheme,
                             @Min(0) @Max(65535) Integer publicPort, @Min(1) @Max(1000) Integer listPageSize,
                             @NotBlank String contentRoot, @Min(1) @Max(10240) Integer maxPackageMb,
                             @Min(1) @Max(1000000) Integer maxEntries, @NotBlank String javaCommand,
                             @NotBlank String nodeCommand, @NotBlank String pythonCommand, Duration startupTimeout,
                             Duration superviseEvery, Duration proxyTimeout, Duration healthCheckEvery,
                             @Min(1) @Max(100) Integer healthCheckFailures, Duration drainTime,
                             Duration freeCpuQuota, Duration sharedCpuQuota) {

    public SiteProperties {
        hostDomain = hostDomain == null ? "localhost" : hostDomain;
        publicScheme = publicScheme == null ? "http" : publicScheme;
        publicPort = publicPort == null ? 8080 : publicPort;
        listPageSize = listPageSize == null ? 100 : listPageSize;
        contentRoot = contentRoot == null ? System.getProperty("java.io.tmpdir") + "/cirrus-app-service" : contentRoot;
        maxPackageMb = maxPackageMb == null ? 200 : maxPackageMb;
        maxEntries = maxEntries == null ? 10000 : maxEntries;
        javaCommand = javaCommand == null ? ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java") : javaCommand;
        nodeCommand = nodeCommand == null ? "node" : nodeCommand;
        pythonCommand = pythonCommand == null ? "python3" : pythonCommand;
        startupTimeout = startupTimeout == null ? Duration.ofSeconds(60) : startupTimeout;
        superviseEvery = superviseEvery == null ? Duration.ofSeconds(1) : superviseEvery;
        proxyTimeout = proxyTimeout == null ? Duration.ofSeconds(230) : proxyTimeout;
        healthCheckEvery = healthCheckEvery == null ? Duration.ofSeconds(5) : healthCheckEvery;
        healthCheckFailures = healthCheckFailures == null ? 2 : healthCheckFailures;
        drainTime = drainTime == null ? Duration.ofSeconds(10) : drainTime;
        freeCpuQuota = freeCpuQuota == null ? Duration.ofMinutes(60) : freeCpuQuota;
        sharedCpuQuota = sharedCpuQuota == null ? Duration.ofMinutes(240) : sharedCpuQuota;
        if (freeCpuQuota.isNegative() || freeCpuQuota.isZero() || sharedCpuQuota.isNegative()
                || sharedCpuQuota.isZero()) {
            throw new IllegalArgumentException("cirrus.appservice.sites: free-cpu-quota and shared-cpu-quota must be "
                    + "positive");
        }
        if (drainTime.isNegative()) {
            throw new IllegalArgumentException("cirrus.appservice.sites.drain-time must not be negative");
        }
        if (startupTimeout.isNegative() || startupTimeout.isZero() || superviseEvery.isNegative()
                || superviseEvery.isZero() || proxyTimeout.isNegative() || proxyTimeout.isZero()
                || healthCheckEvery.isNegative() || healthCheckEvery.isZero()) {
            throw new IllegalArgumentException("cirrus.appservice.sites: startup-timeout, supervise-every, "
                    + "proxy-timeout and health-check-every must be positive");
        }
    }

    /** {@code {app}.azurewebsites.{hostDomain}}, with the public port unless it is the scheme's default. */
    public String hostName(String siteName) {
        String host = siteName.toLowerCase(java.util.Locale.ROOT) + ".azurewebsites." + hostDomain;
        boolean defaultPort = publicPort == 0 || (publicScheme.equals("http") && publicPort == 80)
                || (publicScheme.equals("https") && publicPort == 443);
        return defaultPort ? host : host + ":" + publicPort;
    }

    /** The Kudu (scm) host of a site, with the same port. */
    public String scmHostName(String siteName) {
        return hostName(siteName).replaceFirst("\\.azurewebsites\\.", ".scm.azurewebsites.");
    }
}
