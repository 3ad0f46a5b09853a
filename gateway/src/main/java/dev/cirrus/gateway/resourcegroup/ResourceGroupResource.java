package dev.cirrus.gateway.resourcegroup;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A resource group as ARM shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ResourceGroupResource(String id, String name, String type, String location, Map<String, String> tags,
                             String managedBy, Properties properties) {

    /** Succeeded once written (synchronously), Deleting from a DELETE until the group is gone. */
    record Properties(String provisioningState) {
    }

    static ResourceGroupResource of(ResourceGroup group) {
        return new ResourceGroupResource(group.id(), group.name(), ResourceGroup.TYPE, group.location(), group.tags(),
                group.managedBy(), new Properties(group.provisioningState()));
    }
}
