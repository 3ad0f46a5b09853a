package dev.cirrus.contracts.events;

/**
 * The data of the {@code Microsoft.Insights.Autoscale*} events: one scale action of an autoscale setting.
 *
 * @param subscriptionId   subscription GUID
 * @param resourceGroup    the setting's resource group
 * @param settingName      the autoscale setting's name
 * @param targetResourceId the scale set scaled
 * @param profile          the profile that applied
 * @param oldCapacity      the capacity before
 * @param newCapacity      the capacity asked for
 * @param reason           why (the rule that fired, a bound, the default)
 * @param status           "Succeeded", or "Failed" with the error in {@code reason}
 */
public record AutoscaleActionData(String subscriptionId, String resourceGroup, String settingName,
                                  String targetResourceId, String profile, int oldCapacity, int newCapacity,
                                  String reason, String status) {
}
