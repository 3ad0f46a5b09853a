package dev.cirrus.contracts.events;

import java.util.Map;

/**
 * The data of {@code Microsoft.Resources.ResourceGroup*} events on {@code cirrus.resources}
 * (subject: {@code /subscriptions/{sub}/resourceGroups/{name}}).
 *
 * @param subscriptionId lower-cased subscription GUID
 * @param name           the group's name in the casing last supplied
 * @param location       normalised location, e.g. "westus"
 * @param tags           the complete tag map
 * @param managedBy      the managing resource's id, or null
 */
public record ResourceGroupData(String subscriptionId, String name, String location, Map<String, String> tags,
                                String managedBy) {
}
