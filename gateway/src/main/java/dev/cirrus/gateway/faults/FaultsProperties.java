package dev.cirrus.gateway.faults;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Fault injection ({@code cirrus.faults.*}), checked at start-up.
 *
 * @param sweepEvery  how often expired rules are removed (and a region outage's racks recovered); default 1 s
 * @param maxDuration the longest a rule may last; default 7 days
 */
@ConfigurationProperties("cirrus.faults")
public record FaultsProperties(Duration sweepEvery, Duration maxDuration) {

    public FaultsProperties {
        sweepEvery = sweepEvery == null ? Duration.ofSeconds(1) : sweepEvery;
        maxDuration = maxDuration == null ? Duration.ofDays(7) : maxDuration;
        if (sweepEvery.toMillis() < 10 || sweepEvery.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("cirrus.faults.sweep-every must be 10 ms to 10 min, got " + sweepEvery);
        }
        if (maxDuration.toSeconds() < 1) {
            throw new IllegalArgumentException("cirrus.faults.max-duration must be at least 1 s, got " + maxDuration);
        }
    }
}
