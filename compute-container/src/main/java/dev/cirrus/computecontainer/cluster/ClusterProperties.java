package dev.cirrus.computecontainer.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code cirrus.compute-container.*}: managed clusters (AKS), checked at start-up.
 *
 * @param computeVmUrl             compute-vm's base URL: the agent pools' scale sets are created there, over HTTP
 *                                 with the platform's service credential (required, absolute http or https)
 * @param kubernetesVersions       the versions {@code …/locations/{loc}/kubernetesVersions} lists, each
 *                                 {@code major.minor.patch}
 * @param defaultKubernetesVersion the version of a cluster whose PUT names none (one of the list)
 * @param dnsZone                  the domain of a cluster's fqdn, {@code {dnsPrefix}-{hash}.hcp.{location}.azmk8s.{dnsZone}}
 * @param workerInterval           how often the cluster worker reconciles busy clusters with compute-vm
 * @param operationDeadline        how long an operation may wait for compute-vm before it ends Failed
 * @param callTimeout              the timeout of one call to compute-vm
 * @param listPageSize             the most clusters on one page of a list
 */
@ConfigurationProperties("cirrus.compute-container")
public record ClusterProperties(URI computeVmUrl, List<String> kubernetesVersions, String defaultKubernetesVersion,
                                String dnsZone, Duration workerInterval, Duration operationDeadline,
                                Duration callTimeout, Integer listPageSize) {

    public ClusterProperties {
        if (computeVmUrl == null || !computeVmUrl.isAbsolute() || computeVmUrl.getHost() == null
                || !("http".equals(computeVmUrl.getScheme()) || "https".equals(computeVmUrl.getScheme()))) {
            throw new IllegalArgumentException("cirrus.compute-container.compute-vm-url must be compute-vm's absolute "
                    + "http(s) URL (e.g. http://127.0.0.1:8081), got " + computeVmUrl);
        }
        kubernetesVersions = kubernetesVersions == null || kubernetesVersions.isEmpty()
                ? List.of("1.29.9", "1.29.10", "1.30.5", "1.30.6", "1.31.1", "1.31.2")
                : List.copyOf(kubernetesVersions);
        for (String v : kubernetesVersions) {
            if (KubernetesVersions.parse(v) == null) {
                throw new IllegalArgumentException("cirrus.compute-container.kubernetes-versions: '" + v
                        + "' is not major.minor.patch");
            }
        }
        defaultKubernetesVersion = defaultKubernetesVersion == null ? "1.30.6" : defaultKubernetesVersion;
        if (!kubernetesVersions.contains(defaultKubernetesVersion)) {
            throw new IllegalArgumentException("cirrus.compute-container.default-kubernetes-version "
                    + defaultKubernetesVersion + " is not one of kubernetes-versions " + kubernetesVersions);
        }
        dnsZone = dnsZone == null || dnsZone.isBlank() ? "localhost" : dnsZone;
        workerInterval = positive(workerInterval == null ? Duration.ofMillis(500) : workerInterval, "worker-interval");
        // long enough for compute-vm to place a pool of 100 nodes, short enough that nothing stays Updating for long
        operationDeadline = positive(operationDeadline == null ? Duration.ofMinutes(10) : operationDeadline,
                "operation-deadline");
        callTimeout = positive(callTimeout == null ? Duration.ofSeconds(10) : callTimeout, "call-timeout");
        listPageSize = listPageSize == null ? 100 : listPageSize;
        if (listPageSize < 1 || listPageSize > 1000) {
            throw new IllegalArgumentException("cirrus.compute-container.list-page-size must be 1..1000");
        }
    }

    private static Duration positive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("cirrus.compute-container." + name + " must be positive");
        }
        return d;
    }
}
