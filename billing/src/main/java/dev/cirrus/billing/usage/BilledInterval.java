package dev.cirrus.billing.usage;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A stretch of time a resource accrued one meter at one price: {@code quantityPerHour} units of
 * {@code unitOfMeasure} per hour at {@code unitPrice} each (a VM: 1 hour per hour at its size's price).
 *
 * @param resourceKey the lower-cased resource id
 * @param resourceId  the resource id as the user cased it
 * @param endedAt     null while the interval is open (it accrues up to now)
 */
record BilledInterval(String resourceKey, String resourceId, String resourceType, String subscriptionId,
                      String resourceGroup, String resourceName, String location, String meterCategory,
                      String meterName, String unitOfMeasure, BigDecimal unitPrice, BigDecimal quantityPerHour,
                      String currency, Instant startedAt, Instant endedAt) {

    boolean open() {
        return endedAt == null;
    }
}
