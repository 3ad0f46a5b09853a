package dev.cirrus.gateway.resourcegroup;

import java.util.Map;

/**
 * The {@code data} of {@code Microsoft.Resources.ResourceGroupWritten} and {@code ResourceGroupDeleted} on
 * {@code cirrus.resources} (subject: the group's id, {@code /subscriptions/{sub}/resourceGroups/{name}}).
 *
 * @param subscriptionId lower-cased subscription GUID
 * @param name           the group's name in the casing last supplied
 * @param location       normalised location, e.g. "westus"
 * @param tags           the complete tag map
 * @param managedBy      the managing resource's id, or null
 */
record ResourceGroupEventData(String subscriptionId, String name, String location, Map<String, String> tags,
                              String managedBy) {

    static ResourceGroupEventData of(ResourceGroup group) {
        return new ResourceGroupEventData(group.subscriptionId(), group.name(), group.location(), group.tags(),
                group.managedBy());
    }
}
