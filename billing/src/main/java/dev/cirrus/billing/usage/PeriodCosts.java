package dev.cirrus.billing.usage;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

import org.springframework.stereotype.Component;

/**
 * What other features (budgets) may ask of usage: the cost of a subscription, or of one of its resource groups, over
 * whole UTC days, rounded once.
 */
@Component
public class PeriodCosts {

    private final UsageService usage;
    private final Clock clock;

    PeriodCosts(UsageService usage, Clock clock) {
        this.usage = usage;
        this.clock = clock;
    }

    /** The cost of the days [first, last], both inclusive, accrued up to now. */
    public BigDecimal cost(String subscriptionId, LocalDate first, LocalDate last) {
        return cost(subscriptionId, null, first, last);
    }

    /** The cost of the days [first, last] of one resource group (all groups when {@code resourceGroup} is null). */
    public BigDecimal cost(String subscriptionId, String resourceGroup, LocalDate first, LocalDate last) {
        UsageQuery q = UsageQuery.parse(first.toString(), last.toString(), null,
                LocalDate.now(clock.withZone(ZoneOffset.UTC))).within(resourceGroup, null);
        return usage.costs(subscriptionId, q).totalCost();
    }
}
