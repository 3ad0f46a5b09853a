package dev.cirrus.contracts.events;

/**
 * The data of {@code Microsoft.Web.ServerFarm*} events on {@code cirrus.appservice} (subject: the plan's ARM id,
 * {@code .../providers/Microsoft.Web/serverfarms/{name}}). Billing meters instance-seconds at the tier's price
 * (billing/README.md) and follows capacity changes: every write carries the plan's SKU and instance count from then on.
 *
 * @param subscriptionId subscription GUID
 * @param resourceGroup  resource group name as the user cased it
 * @param name           plan name
 * @param location       normalised ARM location
 * @param skuName        the pricing tier's SKU name: "F1", "B1", "S1", "P1v3"...
 * @param capacity       the number of instances the plan runs (sku.capacity); 0 once deleted
 */
public record AppServicePlanData(String subscriptionId, String resourceGroup, String name, String location,
                                 String skuName, int capacity) {
}
