package dev.cirrus.billing.usage;

import java.math.BigDecimal;
import java.util.List;

/**
 * The cost of a subscription over a period, per resource and in total.
 *
 * @param costScaled the exact total, scaled (see {@link Money})
 */
record CostSummary(UsageQuery query, BigDecimal costScaled, List<ResourceCost> resources) {

    BigDecimal totalCost() {
        return Money.cost(costScaled);
    }

    boolean running() {
        return resources.stream().anyMatch(ResourceCost::running);
    }

    /**
     * @param quantity      the quantity in {@code unitOfMeasure} when the resource has one kind of quantity, else null
     * @param unitOfMeasure likewise
     */
    record ResourceCost(String resourceId, String resourceName, String resourceGroup, String resourceType,
                        String location, String meterCategory, BigDecimal quantity, String unitOfMeasure,
                        BigDecimal costScaled, boolean running) {

        BigDecimal cost() {
            return Money.cost(costScaled);
        }
    }
}
