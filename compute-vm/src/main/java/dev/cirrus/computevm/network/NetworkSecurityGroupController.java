package dev.cirrus.computevm.network;

import java.util.Map;

import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.ResourceId;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code Microsoft.Network/networkSecurityGroups} and their {@code securityRules} (compute-vm/README.md); the
 * default rules are listed under {@code defaultSecurityRules}.
 */
@RestController
@RequestMapping("/subscriptions/{subscriptionId}")
class NetworkSecurityGroupController {

    private static final String NSG = "/resourceGroups/{resourceGroup}/providers/Microsoft.Network/networkSecurityGroups/{name}";
    private static final String RULE = NSG + "/securityRules/{rule}";

    private final Networks networks;
    private final NetworkRepresentations shapes;
    private final NetworkListing listing;

    NetworkSecurityGroupController(Networks networks, NetworkRepresentations shapes, NetworkListing listing) {
        this.networks = networks;
        this.shapes = shapes;
        this.listing = listing;
    }

    private static ResourceId id(String subscriptionId, String resourceGroup, String name) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return ResourceId.of(subscriptionId, resourceGroup, "Microsoft.Network", "networkSecurityGroups", name);
    }

    @PutMapping(NSG)
    ResponseEntity<ObjectNode> put(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                   @PathVariable String name, @RequestBody JsonNode body,
                                   @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                   @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        id(subscriptionId, resourceGroup, name);
        NetworkRequests.checkName(name, "name");
        NetworkSecurityGroup candidate = NetworkRequests.securityGroup(subscriptionId, resourceGroup, name, body);
        return NetworkListing.written(networks.putSecurityGroup(candidate,
                NetworkListing.preconditions(ifMatch, ifNoneMatch)), shapes::securityGroup);
    }

    @PatchMapping(NSG)
    ResponseEntity<ObjectNode> patch(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                     @PathVariable String name, @RequestBody JsonNode body,
                                     @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        ResourceId id = id(subscriptionId, resourceGroup, name);
        Map<String, String> tags = NetworkListing.patchTags(body);
        return NetworkListing.written(networks.changeSecurityGroup(id, NetworkListing.preconditions(ifMatch, null),
                g -> tags == null ? g : new NetworkSecurityGroup(g.subscriptionId(), g.resourceGroup(), g.name(),
                        g.location(), tags, g.securityRules()), null), shapes::securityGroup);
    }

    @GetMapping(NSG)
    ResponseEntity<ObjectNode> get(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                   @PathVariable String name) {
        var stored = networks.securityGroup(id(subscriptionId, resourceGroup, name));
        return ResponseEntity.ok().eTag(stored.etag()).body(shapes.securityGroup(stored));
    }

    @DeleteMapping(NSG)
    ResponseEntity<Void> delete(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                @PathVariable String name,
                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return NetworkListing.deleted(networks.deleteSecurityGroup(id(subscriptionId, resourceGroup, name),
                NetworkListing.preconditions(ifMatch, null)));
    }

    @GetMapping("/resourceGroups/{resourceGroup}/providers/Microsoft.Network/networkSecurityGroups")
    ObjectNode listInGroup(@PathVariable String subscriptionId, @PathVariable String resourceGroup) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return listing.list(NetworkSecurityGroup.class, subscriptionId, resourceGroup, shapes::securityGroup,
                NetworkSecurityGroup::key);
    }

    @GetMapping("/providers/Microsoft.Network/networkSecurityGroups")
    ObjectNode listInSubscription(@PathVariable String subscriptionId) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return listing.list(NetworkSecurityGroup.class, subscriptionId, null, shapes::securityGroup,
                NetworkSecurityGroup::key);
    }

    // security rules: child resources; their writes are writes of the group

    @PutMapping(RULE)
    ResponseEntity<ObjectNode> putRule(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                       @PathVariable String name, @PathVariable String rule, @RequestBody JsonNode body) {
        ResourceId id = id(subscriptionId, resourceGroup, name);
        NetworkRequests.checkName(rule, "name");
        ArmJson.requireObject(body);
        NetworkSecurityGroup.SecurityRule candidate = NetworkRequests.securityRule(rule, body.get("properties"),
                "properties");
        boolean existed = networks.securityGroup(id).resource().securityRules().stream()
                .anyMatch(r -> r.name().equalsIgnoreCase(rule));
        var written = networks.changeSecurityGroup(id, NetworkListing.preconditions(null, null),
                g -> g.withRule(candidate), "properties.priority");
        NetworkSecurityGroup g = written.stored().resource();
        return ResponseEntity.status(existed ? 200 : 201)
                .body(shapes.rule(g, candidate, "securityRules", written.stored().etag()));
    }

    @GetMapping(RULE)
    ObjectNode getRule(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                       @PathVariable String name, @PathVariable String rule) {
        ResourceId id = id(subscriptionId, resourceGroup, name);
        var stored = networks.securityGroup(id);
        NetworkSecurityGroup g = stored.resource();
        return g.securityRules().stream().filter(r -> r.name().equalsIgnoreCase(rule)).findFirst()
                .map(r -> shapes.rule(g, r, "securityRules", stored.etag()))
                .orElseThrow(() -> Networks.notFound(id.child("securityRules", rule)));
    }

    @DeleteMapping(RULE)
    ResponseEntity<Void> deleteRule(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                    @PathVariable String name, @PathVariable String rule) {
        ResourceId id = id(subscriptionId, resourceGroup, name);
        try {
            boolean exists = networks.securityGroup(id).resource().securityRules().stream()
                    .anyMatch(r -> r.name().equalsIgnoreCase(rule));
            if (!exists) {
                return NetworkListing.deleted(false);
            }
        } catch (dev.cirrus.plumbing.arm.ArmException e) {
            return NetworkListing.deleted(false);
        }
        networks.changeSecurityGroup(id, NetworkListing.preconditions(null, null), g -> g.withoutRule(rule), null);
        return NetworkListing.deleted(true);
    }

    @GetMapping(NSG + "/securityRules")
    ObjectNode listRules(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                         @PathVariable String name) {
        var stored = networks.securityGroup(id(subscriptionId, resourceGroup, name));
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode value = body.putArray("value");
        stored.resource().securityRules().forEach(r -> value.add(shapes.rule(stored.resource(), r, "securityRules",
                stored.etag())));
        return body;
    }

    @GetMapping(NSG + "/defaultSecurityRules")
    ObjectNode listDefaultRules(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                @PathVariable String name) {
        var stored = networks.securityGroup(id(subscriptionId, resourceGroup, name));
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode value = body.putArray("value");
        NetworkSecurityGroup.DEFAULT_RULES.forEach(r -> value.add(shapes.rule(stored.resource(), r,
                "defaultSecurityRules", stored.etag())));
        return body;
    }
}
