package dev.cirrus.gateway.resourcegroup;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the gateway deletes resource groups ({@code cirrus.gateway.resource-group-deletion.*}), checked at start-up.
 *
 * @param pollInterval     how often the deleter looks for groups being deleted and polls the services' operations;
 *                         default 1 s, the Retry-After the gateway itself answers
 * @param requestTimeout   how long one call to a service may take; default 60 s, ARM's resource provider timeout
 * @param operationTimeout how long one pass follows a service's asynchronous deletion before it moves on (the next
 *                         pass asks again); default 5 min
 */
@ConfigurationProperties("cirrus.gateway.resource-group-deletion")
public record ResourceGroupDeletionProperties(Duration pollInterval, Duration requestTimeout,
                                              Duration operationTimeout) {

    public ResourceGroupDeletionProperties {
        pollInterval = pollInterval == null ? Duration.ofSeconds(1) : pollInterval;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(60) : requestTimeout;
        operationTimeout = operationTimeout == null ? Duration.ofMinutes(5) : operationTimeout;
        if (pollInterval.toMillis() <= 0 || requestTimeout.toMillis() <= 0 || operationTimeout.toMillis() <= 0) {
            throw new IllegalArgumentException("cirrus.gateway.resource-group-deletion durations must be positive");
        }
    }
}
