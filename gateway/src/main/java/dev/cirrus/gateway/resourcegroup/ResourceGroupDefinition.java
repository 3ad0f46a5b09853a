package dev.cirrus.gateway.resourcegroup;

import java.util.Map;

import dev.cirrus.contracts.arm.ArmTags;

/**
 * What a PUT asks a resource group to be. The name and subscription come from the URL, never from here.
 *
 * @param location  as the user wrote it ({@code "West US"}); required
 * @param tags      the complete tag map (empty when none)
 * @param managedBy the id of the resource that manages the group, or null
 */
record ResourceGroupDefinition(String location, Map<String, String> tags, String managedBy) {

    ResourceGroupDefinition {
        tags = ArmTags.check(tags == null ? Map.of() : tags);
    }
}
