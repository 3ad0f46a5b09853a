package dev.cirrus.gateway.throttling;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * ARM's request limits ({@code cirrus.gateway.throttling.*}): a token bucket per subscription (or tenant, for calls
 * outside a subscription) × principal × operation class. Defaults are ARM's: reads 250 with 25/s refill, writes
 * 200 with 10/s, deletes 200 with 10/s. {@code functions}: one bucket per function app for the Functions data plane.
 */
@ConfigurationProperties("cirrus.gateway.throttling")
public record ThrottlingProperties(Limit reads, Limit writes, Limit deletes, Limit functions) {

    /** A bucket's capacity and how many tokens it regains per second. */
    public record Limit(Integer capacity, Double refillPerSecond) {

        Limit withDefaults(int defaultCapacity, double defaultRefill) {
            int c = capacity == null ? defaultCapacity : capacity;
            double r = refillPerSecond == null ? defaultRefill : refillPerSecond;
            if (c <= 0 || r <= 0) {
                throw new IllegalArgumentException("cirrus.gateway.throttling limits must be positive (capacity " + c
                        + ", refill-per-second " + r + ")");
            }
            return new Limit(c, r);
        }
    }

    public ThrottlingProperties {
        reads = (reads == null ? new Limit(null, null) : reads).withDefaults(250, 25);
        writes = (writes == null ? new Limit(null, null) : writes).withDefaults(200, 10);
        deletes = (deletes == null ? new Limit(null, null) : deletes).withDefaults(200, 10);
        // calls to a function app, per app whoever calls: Azure publishes no such limit (an app is bounded by its
        // instances), so this only guards the platform against a runaway client, far above what one app serves here
        functions = (functions == null ? new Limit(null, null) : functions).withDefaults(10_000, 5_000);
    }
}
