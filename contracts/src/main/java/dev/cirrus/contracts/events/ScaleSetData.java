package dev.cirrus.contracts.events;

/**
 * The data of the {@code Microsoft.Compute.ScaleSet*} events of a virtual machine scale set.
 *
 * @param subscriptionId    subscription GUID
 * @param resourceGroup     resource group name as the user cased it
 * @param name              scale set name
 * @param location          normalised ARM location
 * @param uniqueId          the platform-assigned GUID of the set
 * @param orchestrationMode "Uniform" or "Flexible"
 * @param vmSize            {@code sku.name}, e.g. "Standard_D2s_v5"
 * @param capacity          {@code sku.capacity}: the number of instances asked for
 * @param instances         the instances the set has when the event is written (overprovisioned extras included)
 * @param provisioningState the set's ARM provisioning state after the change
 */
public record ScaleSetData(String subscriptionId, String resourceGroup, String name, String location, String uniqueId,
                           String orchestrationMode, String vmSize, long capacity, int instances,
                           String provisioningState) {
}
