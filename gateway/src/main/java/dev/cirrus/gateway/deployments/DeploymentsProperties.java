package dev.cirrus.gateway.deployments;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code cirrus.deployments.*}.
 *
 * @param maxInFlight      resources of one deployment created at once (ARM runs independent resources in parallel)
 * @param resourceTimeout  how long one resource's long-running operation may take before it counts as failed
 * @param pollInterval     how often a resource's or nested deployment's operation is polled
 * @param templateLinkTimeout how long fetching a {@code templateLink} may take
 * @param templateLinkMaxBytes the largest {@code templateLink} / {@code parametersLink} content accepted
 */
@ConfigurationProperties("cirrus.deployments")
public record DeploymentsProperties(Integer maxInFlight, Duration resourceTimeout, Duration pollInterval,
                                    Duration templateLinkTimeout, Integer templateLinkMaxBytes) {

    public DeploymentsProperties {
        // 16: twice ARM's documented minimum of parallel operations, small enough for a laptop's services
        maxInFlight = maxInFlight == null ? 16 : maxInFlight;
        // 10 minutes: a VM of the simulated cloud is up in seconds; a stuck one should fail the deployment
        resourceTimeout = resourceTimeout == null ? Duration.ofMinutes(10) : resourceTimeout;
        // 250 ms: the services finish most operations within a second
        pollInterval = pollInterval == null ? Duration.ofMillis(250) : pollInterval;
        // 30 seconds, as ARM waits for a linked template
        templateLinkTimeout = templateLinkTimeout == null ? Duration.ofSeconds(30) : templateLinkTimeout;
        // 4 MB: ARM's limit for a template
        templateLinkMaxBytes = templateLinkMaxBytes == null ? 4 * 1024 * 1024 : templateLinkMaxBytes;
        if (templateLinkMaxBytes < 1) {
            throw new IllegalArgumentException("cirrus.deployments.template-link-max-bytes must be positive, not "
                    + templateLinkMaxBytes);
        }
        if (maxInFlight < 1 || maxInFlight > 64) {
            throw new IllegalArgumentException("cirrus.deployments.max-in-flight must be between 1 and 64, not "
                    + maxInFlight);
        }
        for (Duration d : new Duration[] {resourceTimeout, pollInterval, templateLinkTimeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("cirrus.deployments durations must be positive, not " + d);
            }
        }
    }
}
