package dev.cirrus.gateway.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.cirrus.gateway.deployments.template.JsonDocument;
import org.junit.jupiter.api.Test;

/** What-if's comparison of a template's resource with the resource as it is. */
class WhatIfChangesTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) {
        return (Map<String, Object>) JsonDocument.parse(text).value();
    }

    private static final Map<String, Object> BEFORE = json("""
            {"id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/availabilitySets/a", "name": "a",
             "type": "Microsoft.Compute/availabilitySets", "location": "eastus", "tags": {"env": "dev"},
             "sku": {"name": "Aligned"},
             "properties": {"platformFaultDomainCount": 2, "platformUpdateDomainCount": 5,
                            "virtualMachines": [{"id": "/subscriptions/s/resourceGroups/g/providers/x/y/VM1"}],
                            "provisioningState": "Succeeded"}}
            """);

    @Test
    void whatTheTemplateSetsAsTheResourceHasItIsNoChange() {
        Map<String, Object> desired = json("""
                {"id": "ignored", "apiVersion": "2024-07-01", "location": "eastus", "sku": {"name": "Aligned"},
                 "properties": {"platformFaultDomainCount": 2.0,
                                "virtualMachines": [{"id": "/SUBSCRIPTIONS/s/resourceGroups/g/providers/x/y/vm1"}]}}
                """);
        assertThat(WhatIfChanges.delta(desired, BEFORE)).isEmpty();
    }

    @Test
    void aChangedValueIsAModifyAndANewOneACreateAtTheirPaths() {
        Map<String, Object> desired = json("""
                {"location": "eastus", "tags": {"env": "prod", "owner": "me"},
                 "properties": {"platformFaultDomainCount": 3}, "zones": ["1"]}
                """);
        List<Map<String, Object>> delta = WhatIfChanges.delta(desired, BEFORE);
        assertThat(delta).containsExactly(
                Map.of("path", "tags.env", "propertyChangeType", "Modify", "before", "dev", "after", "prod"),
                Map.of("path", "tags.owner", "propertyChangeType", "Create", "after", "me"),
                Map.of("path", "properties.platformFaultDomainCount", "propertyChangeType", "Modify",
                        "before", 2L, "after", 3L),
                Map.of("path", "zones", "propertyChangeType", "Create", "after", List.of("1")));
    }

    @Test
    void anArrayThatDiffersIsOneArrayChangeWithItsElementsAsChildren() {
        Map<String, Object> desired = json("""
                {"properties": {"virtualMachines": [{"id": "/subscriptions/s/resourceGroups/g/providers/x/y/vm1"},
                                                    {"id": "/subscriptions/s/resourceGroups/g/providers/x/y/vm2"}]}}
                """);
        List<Map<String, Object>> delta = WhatIfChanges.delta(desired, BEFORE);
        assertThat(delta).hasSize(1);
        assertThat(delta.getFirst()).containsEntry("path", "properties.virtualMachines")
                .containsEntry("propertyChangeType", "Array");
        assertThat(delta.getFirst().get("children")).isEqualTo(List.of(Map.of("path", "1",
                "propertyChangeType", "Create", "after",
                Map.of("id", "/subscriptions/s/resourceGroups/g/providers/x/y/vm2"))));
    }

    @Test
    void theResourceAfterKeepsWhatTheTemplateDoesNotSetAndTakesWhatItDoes() {
        Map<String, Object> after = WhatIfChanges.merged(BEFORE, json("""
                {"Properties": {"platformFaultDomainCount": 3}, "tags": {"owner": "me"}}
                """));
        assertThat(after).containsEntry("location", "eastus").containsEntry("tags", Map.of("env", "dev", "owner",
                "me"));
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) after.get("properties");
        assertThat(properties).containsEntry("platformFaultDomainCount", 3L)
                .containsEntry("provisioningState", "Succeeded");
    }
}
