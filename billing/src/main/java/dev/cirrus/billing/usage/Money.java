package dev.cirrus.billing.usage;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How usage becomes money, and the one place where anything is rounded.
 *
 * <p>Everything is kept exact until it is shown: an interval's usage is a whole number of milliseconds, its price an
 * exact decimal per hour, so {@code unitPrice x milliseconds} is exact, and sums of it (per line, per resource, per
 * subscription) are exact too. Only the division by 3,600,000 ms per hour rounds, half-up, when an answer is written:
 * costs to {@value #COST_SCALE} decimal places, quantities (hours) to {@value #QUANTITY_SCALE} (finer than a
 * millisecond, so no usage disappears). A total is therefore the rounded exact total, not the sum of rounded lines,
 * and it never depends on how the events were batched or replayed.
 *
 * <p>Example: 5,415,250 ms (1 h 30 min 15.25 s) of Standard_D2s_v5 at 0.096/h:
 * 0.096 x 5,415,250 = 519,864 exactly; / 3,600,000 = 0.14440666... so cost 0.144407 and quantity 1.5042361111.
 */
final class Money {

    /** Decimal places of costs in API answers. */
    static final int COST_SCALE = 6;
    /** Decimal places of quantities (hours) in API answers. */
    static final int QUANTITY_SCALE = 10;

    private static final BigDecimal MILLIS_PER_HOUR = BigDecimal.valueOf(3_600_000L);

    private Money() {
    }

    /** The exact amount of {@code milliseconds} at {@code hourlyPrice}, in price-milliseconds (not yet divided). */
    static BigDecimal priceMilliseconds(BigDecimal hourlyPrice, long milliseconds) {
        return hourlyPrice.multiply(BigDecimal.valueOf(milliseconds));
    }

    /** An exact amount in price-milliseconds as money, rounded to {@value #COST_SCALE} places. */
    static BigDecimal cost(BigDecimal priceMilliseconds) {
        return priceMilliseconds.divide(MILLIS_PER_HOUR, COST_SCALE, RoundingMode.HALF_UP);
    }

    /** Milliseconds as hours, rounded to {@value #QUANTITY_SCALE} places. */
    static BigDecimal hours(long milliseconds) {
        return BigDecimal.valueOf(milliseconds).divide(MILLIS_PER_HOUR, QUANTITY_SCALE, RoundingMode.HALF_UP);
    }
}
