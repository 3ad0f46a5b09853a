package dev.cirrus.billing.usage;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A stretch of time a VM spent in billed power states at one size and price, as the meter stored it.
 *
 * @param resourceKey the lower-cased VM id
 * @param resourceId  the VM id as the user cased it
 * @param endedAt     null while the interval is open (it accrues up to now)
 */
record BilledInterval(String resourceKey, String resourceId, String subscriptionId, String resourceGroup,
                      String resourceName, String location, String vmSize, BigDecimal hourlyPrice, String currency,
                      Instant startedAt, Instant endedAt) {

    boolean open() {
        return endedAt == null;
    }
}
