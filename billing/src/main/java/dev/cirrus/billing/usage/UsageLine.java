package dev.cirrus.billing.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The usage of one VM on one UTC day at one size and unit price: the line of a usage-details answer.
 *
 * @param usageStart   the first billed instant of the day
 * @param usageEnd     the last billed instant of the day (now, while running)
 * @param milliseconds billed time on that day
 * @param running      the VM is being billed now and this line grows with it
 */
record UsageLine(String resourceKey, String resourceId, String subscriptionId, String resourceGroup,
                 String resourceName, String location, String meterName, BigDecimal unitPrice, String currency,
                 LocalDate date, Instant usageStart, Instant usageEnd, long milliseconds, boolean running) {

    /** Exact cost before the division by milliseconds per hour; see {@link Money}. */
    BigDecimal priceMilliseconds() {
        return Money.priceMilliseconds(unitPrice, milliseconds);
    }

    BigDecimal quantity() {
        return Money.hours(milliseconds);
    }

    BigDecimal cost() {
        return Money.cost(priceMilliseconds());
    }
}
