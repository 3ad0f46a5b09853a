package dev.cirrus.computevm.network;

import java.util.Map;

import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.plumbing.arm.ArmException;
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
 * {@code Microsoft.Network/loadBalancers} (compute-vm/README.md): PUT, PATCH (tags), GET, DELETE, lists, and GET of
 * the children (frontendIPConfigurations, backendAddressPools, probes, loadBalancingRules, inboundNatRules) one by one
 * or as a list; children are written through a PUT of the load balancer.
 */
@RestController
@RequestMapping("/subscriptions/{subscriptionId}")
class LoadBalancerController {

    private static final String LB = "/resourceGroups/{resourceGroup}/providers/Microsoft.Network/loadBalancers/{name}";
    private static final java.util.List<String> COLLECTIONS = java.util.List.of(LoadBalancer.FRONTENDS,
            LoadBalancer.POOLS, LoadBalancer.PROBES, LoadBalancer.RULES, LoadBalancer.NAT_RULES);

    private final LoadBalancers loadBalancers;
    private final LoadBalancerRepresentations shapes;
    private final NetworkListing listing;

    LoadBalancerController(LoadBalancers loadBalancers, LoadBalancerRepresentations shapes, NetworkListing listing) {
        this.loadBalancers = loadBalancers;
        this.shapes = shapes;
        this.listing = listing;
    }

    private static ResourceId id(String subscriptionId, String resourceGroup, String name) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return ResourceId.of(subscriptionId, resourceGroup, "Microsoft.Network", "loadBalancers", name);
    }

    @PutMapping(LB)
    ResponseEntity<ObjectNode> put(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                   @PathVariable String name, @RequestBody JsonNode body,
                                   @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                   @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        id(subscriptionId, resourceGroup, name);
        NetworkRequests.checkName(name, "name");
        LoadBalancer candidate = LoadBalancerRequests.loadBalancer(subscriptionId, resourceGroup, name, body);
        return NetworkListing.written(loadBalancers.put(candidate, NetworkListing.preconditions(ifMatch, ifNoneMatch)),
                shapes::loadBalancer);
    }

    @PatchMapping(LB)
    ResponseEntity<ObjectNode> patch(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                     @PathVariable String name, @RequestBody JsonNode body,
                                     @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        ResourceId id = id(subscriptionId, resourceGroup, name);
        Map<String, String> tags = NetworkListing.patchTags(body);
        return NetworkListing.written(loadBalancers.patch(id, NetworkListing.preconditions(ifMatch, null),
                lb -> tags == null ? lb : lb.withTags(tags)), shapes::loadBalancer);
    }

    @GetMapping(LB)
    ResponseEntity<ObjectNode> get(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                   @PathVariable String name) {
        var stored = loadBalancers.get(id(subscriptionId, resourceGroup, name));
        return ResponseEntity.ok().eTag(stored.etag()).body(shapes.loadBalancer(stored));
    }

    @GetMapping(LB + "/{collection}")
    ObjectNode listChildren(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                            @PathVariable String name, @PathVariable String collection) {
        ArrayNode children = children(subscriptionId, resourceGroup, name, collection);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("value", children);
        return body;
    }

    @GetMapping(LB + "/{collection}/{child}")
    ObjectNode getChild(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                        @PathVariable String name, @PathVariable String collection, @PathVariable String child) {
        for (tools.jackson.databind.JsonNode c : children(subscriptionId, resourceGroup, name, collection)) {
            if (c.path("name").asString("").equalsIgnoreCase(child)) {
                return (ObjectNode) c;
            }
        }
        ResourceId id = id(subscriptionId, resourceGroup, name);
        throw ArmException.notFound("NotFound", "Resource " + id + "/" + collection + "/" + NetworkRequests.shown(child)
                + " not found.");
    }

    private ArrayNode children(String subscriptionId, String resourceGroup, String name, String collection) {
        String canonical = COLLECTIONS.stream().filter(c -> c.equalsIgnoreCase(collection)).findFirst()
                .orElseThrow(() -> ArmException.notFound("NotFound", "No child collection '"
                        + NetworkRequests.shown(collection) + "' of Microsoft.Network/loadBalancers."));
        ObjectNode lb = shapes.loadBalancer(loadBalancers.get(id(subscriptionId, resourceGroup, name)));
        return (ArrayNode) lb.path("properties").path(canonical);
    }

    @DeleteMapping(LB)
    ResponseEntity<Void> delete(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                @PathVariable String name,
                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return NetworkListing.deleted(loadBalancers.delete(id(subscriptionId, resourceGroup, name),
                NetworkListing.preconditions(ifMatch, null)));
    }

    @GetMapping("/resourceGroups/{resourceGroup}/providers/Microsoft.Network/loadBalancers")
    ObjectNode listInGroup(@PathVariable String subscriptionId, @PathVariable String resourceGroup) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return listing.list(LoadBalancer.class, subscriptionId, resourceGroup, shapes::loadBalancer,
                LoadBalancer::key);
    }

    @GetMapping("/providers/Microsoft.Network/loadBalancers")
    ObjectNode listInSubscription(@PathVariable String subscriptionId) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return listing.list(LoadBalancer.class, subscriptionId, null, shapes::loadBalancer, LoadBalancer::key);
    }
}
