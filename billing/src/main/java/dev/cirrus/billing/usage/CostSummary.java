package dev.cirrus.billing.usage;

import java.math.BigDecimal;
import java.util.List;

/**
 * The cost of a subscription over a period, per resource and in total.
 *
 * @param priceMilliseconds the exact total before the division by milliseconds per hour (see {@link Money})
 */
record CostSummary(UsageQuery query, BigDecimal priceMilliseconds, List<ResourceCost> resources) {

    BigDecimal totalCost() {
        return Money.cost(priceMilliseconds);
    }

    boolean running() {
        return resources.stream().anyMatch(ResourceCost::running);
    }

    record ResourceCost(String resourceId, String resourceName, String resourceGroup, String location,
                        long milliseconds, BigDecimal priceMilliseconds, boolean running) {

        BigDecimal cost() {
            return Money.cost(priceMilliseconds);
        }

        BigDecimal hours() {
            return Money.hours(milliseconds);
        }
    }
}
