package dev.cirrus.contracts.events;

/**
 * The data of {@code Microsoft.Web.WebAppSlotsSwapped} on {@code cirrus.appservice} (subject: the app's ARM id): two
 * slots of a web app exchanged their content and their settings but the sticky ones ({@code slotConfigNames}).
 *
 * @param subscriptionId   subscription GUID
 * @param resourceGroup    resource group name as the user cased it
 * @param name             the app's name
 * @param sourceSlot       the slot the swap was asked on ({@code production} for the app itself)
 * @param targetSlot       the slot it swapped with ({@code production} for the app itself)
 * @param sourceDeployment the deployment the source serves after the swap (its Kudu id; null when none)
 * @param targetDeployment the deployment the target serves after the swap (its Kudu id; null when none)
 */
public record WebAppSwapData(String subscriptionId, String resourceGroup, String name, String sourceSlot,
                             String targetSlot, String sourceDeployment, String targetDeployment) {
}
