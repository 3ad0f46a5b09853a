package dev.cirrus.computevm.autoscale;

import java.util.Map;

import dev.cirrus.computevm.vm.VmProperties;
import dev.cirrus.contracts.arm.PageRequest;
import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.plumbing.arm.ArmPaging;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code Microsoft.Insights/autoscaleSettings} over ARM (api-version 2022-10-01 and older): PUT (201/200), PATCH
 * ({@code tags}, {@code properties}), GET, DELETE (200/204), lists by group and subscription.
 */
@RestController
@RequestMapping("/subscriptions/{subscriptionId}")
class AutoscaleController {

    private static final String ONE = "/resourceGroups/{resourceGroup}/providers/Microsoft.Insights/autoscalesettings/{name}";

    private final AutoscaleSettings settings;
    private final ObjectMapper json;
    private final int pageSize;

    AutoscaleController(AutoscaleSettings settings, ObjectMapper json, VmProperties properties) {
        this.settings = settings;
        this.json = json;
        this.pageSize = properties.list().pageSize();
    }

    @PutMapping(ONE)
    ResponseEntity<ObjectNode> put(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                   @PathVariable String name, @RequestBody JsonNode body) {
        ResourceId.requireSubscriptionId(subscriptionId);
        Map.Entry<AutoscaleSettings.Stored, Boolean> written = settings.put(subscriptionId, resourceGroup, name, body);
        return ResponseEntity.status(written.getValue() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(resource(written.getKey()));
    }

    @PatchMapping(ONE)
    ObjectNode patch(@PathVariable String subscriptionId, @PathVariable String resourceGroup, @PathVariable String name,
                     @RequestBody JsonNode body) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return resource(settings.patch(subscriptionId, resourceGroup, name, body));
    }

    @GetMapping(ONE)
    ObjectNode get(@PathVariable String subscriptionId, @PathVariable String resourceGroup, @PathVariable String name) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return resource(settings.require(subscriptionId, resourceGroup, name));
    }

    @DeleteMapping(ONE)
    ResponseEntity<Void> delete(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                @PathVariable String name) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return settings.delete(subscriptionId, resourceGroup, name) ? ResponseEntity.ok().build()
                : ResponseEntity.noContent().build();
    }

    @GetMapping("/resourceGroups/{resourceGroup}/providers/Microsoft.Insights/autoscalesettings")
    ObjectNode listInGroup(@PathVariable String subscriptionId, @PathVariable String resourceGroup) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return list(subscriptionId, resourceGroup);
    }

    @GetMapping("/providers/Microsoft.Insights/autoscalesettings")
    ObjectNode listInSubscription(@PathVariable String subscriptionId) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return list(subscriptionId, null);
    }

    private ObjectNode list(String subscriptionId, String resourceGroup) {
        PageRequest request = ArmPaging.request(pageSize);
        AutoscaleSettings.Page page = settings.list(subscriptionId, resourceGroup, request.after(), request.size());
        ObjectNode body = json.createObjectNode();
        ArrayNode value = body.putArray("value");
        page.settings().forEach(s -> value.add(resource(s)));
        if (page.nextAfterKey() != null) {
            body.put("nextLink", ArmPaging.nextLink(page.nextAfterKey()));
        }
        return body;
    }

    private ObjectNode resource(AutoscaleSettings.Stored s) {
        ObjectNode r = json.createObjectNode();
        r.put("id", s.id());
        r.put("name", s.name());
        r.put("type", AutoscaleSettings.TYPE);
        r.put("location", s.location());
        r.set("tags", json.valueToTree(s.tags()));
        r.set("properties", s.properties());
        return r;
    }
}
