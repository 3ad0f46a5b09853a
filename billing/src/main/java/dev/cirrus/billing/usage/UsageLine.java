package dev.cirrus.billing.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The usage of one resource on one UTC day of one meter at one unit price: the line of a usage-details answer.
 *
 * @param usageStart     the first billed instant of the day (a per-execution meter: the day's start)
 * @param usageEnd       the last billed instant of the day (now, while running; a per-execution meter: the day's
 *                       end, or now)
 * @param milliseconds   billed time on that day (0 for per-execution meters)
 * @param quantityScaled the exact quantity in {@code unitOfMeasure}, scaled (see {@link Money})
 * @param costScaled     the exact cost, scaled, after any free grant
 * @param running        the resource is being billed now and this line grows with it
 */
record UsageLine(String resourceKey, String resourceId, String resourceType, String subscriptionId,
                 String resourceGroup, String resourceName, String location, String meterCategory, String meterName,
                 String unitOfMeasure, BigDecimal unitPrice, String currency, LocalDate date, Instant usageStart,
                 Instant usageEnd, long milliseconds, BigDecimal quantityScaled, BigDecimal costScaled,
                 boolean running) {

    BigDecimal quantity() {
        return Money.quantity(quantityScaled);
    }

    BigDecimal cost() {
        return Money.cost(costScaled);
    }
}
