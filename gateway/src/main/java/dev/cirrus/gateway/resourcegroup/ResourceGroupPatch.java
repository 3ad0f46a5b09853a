package dev.cirrus.gateway.resourcegroup;

import java.util.Map;

import dev.cirrus.contracts.arm.ArmTags;

/**
 * A PATCH of a resource group: each part is applied only when the body named it.
 *
 * @param location     when present, must be the group's location (it is immutable); null when absent
 * @param tags         the new complete tag map (a PATCH of tags replaces them all), or null to keep the tags
 * @param hasManagedBy whether the body named managedBy
 * @param managedBy    the new value when named (null clears it)
 */
record ResourceGroupPatch(String location, Map<String, String> tags, boolean hasManagedBy, String managedBy) {

    ResourceGroupPatch {
        tags = tags == null ? null : ArmTags.check(tags);
    }
}
