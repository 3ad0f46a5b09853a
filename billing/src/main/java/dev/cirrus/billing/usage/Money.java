package dev.cirrus.billing.usage;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How usage becomes money, and the one place where anything is rounded.
 *
 * <p>Everything is kept exact until it is shown, as a "scaled" amount: the true amount x 3,600,000 (milliseconds per
 * hour). An interval's usage is a whole number of milliseconds and its price an exact decimal per unit, so
 * {@code unitPrice x quantityPerHour x milliseconds} is exact; a per-execution quantity is exact and scales exactly.
 * Sums of scaled amounts (per line, per resource, per subscription) are exact too. Only the division by 3,600,000
 * rounds, half-up, when an answer is written: costs to {@value #COST_SCALE} decimal places, quantities to
 * {@value #QUANTITY_SCALE} (finer than a millisecond, so no usage disappears). A total is therefore the rounded exact
 * total, not the sum of rounded lines, and it never depends on how the events were batched or replayed.
 *
 * <p>Example: 5,415,250 ms (1 h 30 min 15.25 s) of Standard_D2s_v5 at 0.096/h:
 * 0.096 x 5,415,250 = 519,864 exactly; / 3,600,000 = 0.14440666... so cost 0.144407 and quantity 1.5042361111.
 */
final class Money {

    /** Decimal places of costs in API answers. */
    static final int COST_SCALE = 6;
    /** Decimal places of quantities in API answers. */
    static final int QUANTITY_SCALE = 10;

    static final BigDecimal MILLIS_PER_HOUR = BigDecimal.valueOf(3_600_000L);

    private Money() {
    }

    /** An exact amount as a scaled amount (x 3,600,000). */
    static BigDecimal scaled(BigDecimal exact) {
        return exact.multiply(MILLIS_PER_HOUR);
    }

    /** A scaled amount of money, rounded to {@value #COST_SCALE} places. */
    static BigDecimal cost(BigDecimal scaled) {
        return scaled.divide(MILLIS_PER_HOUR, COST_SCALE, RoundingMode.HALF_UP);
    }

    /** A scaled quantity, rounded to {@value #QUANTITY_SCALE} places. */
    static BigDecimal quantity(BigDecimal scaled) {
        return scaled.divide(MILLIS_PER_HOUR, QUANTITY_SCALE, RoundingMode.HALF_UP);
    }
}
