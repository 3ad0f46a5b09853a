package dev.cirrus.gateway.resourcegroup;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A resource group as ARM shows it (reference §1.3, §1.9). */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ResourceGroupResource(String id, String name, String type, String location, Map<String, String> tags,
                             String managedBy, Properties properties) {

    /** Resource groups are written synchronously: they are always Succeeded once they exist. */
    record Properties(String provisioningState) {
    }

    static ResourceGroupResource of(ResourceGroup group) {
        return new ResourceGroupResource(group.id(), group.name(), ResourceGroup.TYPE, group.location(), group.tags(),
                group.managedBy(), new Properties("Succeeded"));
    }
}
