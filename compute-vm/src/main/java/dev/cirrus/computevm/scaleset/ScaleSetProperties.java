package dev.cirrus.computevm.scaleset;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code cirrus.vmss.*}.
 *
 * @param pollInterval how often the scale-set worker looks at sets with a running operation (default 500ms: a scale
 *                     operation ends at most this long after its last instance)
 */
@ConfigurationProperties("cirrus.vmss")
record ScaleSetProperties(Duration pollInterval) {

    ScaleSetProperties {
        pollInterval = pollInterval == null ? Duration.ofMillis(500) : pollInterval;
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("cirrus.vmss.poll-interval must be positive, not " + pollInterval);
        }
    }
}
