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
 * {@code Microsoft.Network/virtualNetworks} and their {@code subnets} (compute-vm/README.md): PUT (201 created, 200
 * replaced; synchronous, provisioningState Succeeded), PATCH (tags), GET, DELETE (200; 204 when absent), lists.
 */
@RestController
@RequestMapping("/subscriptions/{subscriptionId}")
class VirtualNetworkController {

    private static final String VNET = "/resourceGroups/{resourceGroup}/providers/Microsoft.Network/virtualNetworks/{name}";
    private static final String SUBNET = VNET + "/subnets/{subnet}";

    private final Networks networks;
    private final NetworkRepresentations shapes;
    private final NetworkListing listing;

    VirtualNetworkController(Networks networks, NetworkRepresentations shapes, NetworkListing listing) {
        this.networks = networks;
        this.shapes = shapes;
        this.listing = listing;
    }

    private static ResourceId id(String subscriptionId, String resourceGroup, String name) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return ResourceId.of(subscriptionId, resourceGroup, "Microsoft.Network", "virtualNetworks", name);
    }

    @PutMapping(VNET)
    ResponseEntity<ObjectNode> put(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                   @PathVariable String name, @RequestBody JsonNode body,
                                   @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                   @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        id(subscriptionId, resourceGroup, name);
        NetworkRequests.checkName(name, "name");
        VirtualNetwork candidate = NetworkRequests.network(subscriptionId, resourceGroup, name, body);
        return NetworkListing.written(networks.putNetwork(candidate,
                NetworkListing.preconditions(ifMatch, ifNoneMatch)), shapes::network);
    }

    @PatchMapping(VNET)
    ResponseEntity<ObjectNode> patch(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                     @PathVariable String name, @RequestBody JsonNode body,
                                     @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        ResourceId id = id(subscriptionId, resourceGroup, name);
        Map<String, String> tags = NetworkListing.patchTags(body);
        return NetworkListing.written(networks.patchNetwork(id, NetworkListing.preconditions(ifMatch, null),
                v -> tags == null ? v : new VirtualNetwork(v.subscriptionId(), v.resourceGroup(), v.name(),
                        v.location(), tags, v.addressPrefixes(), v.subnets())), shapes::network);
    }

    @GetMapping(VNET)
    ResponseEntity<ObjectNode> get(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                   @PathVariable String name) {
        var stored = networks.network(id(subscriptionId, resourceGroup, name));
        return ResponseEntity.ok().eTag(stored.etag()).body(shapes.network(stored));
    }

    @DeleteMapping(VNET)
    ResponseEntity<Void> delete(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                @PathVariable String name,
                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return NetworkListing.deleted(networks.deleteNetwork(id(subscriptionId, resourceGroup, name),
                NetworkListing.preconditions(ifMatch, null)));
    }

    @GetMapping("/resourceGroups/{resourceGroup}/providers/Microsoft.Network/virtualNetworks")
    ObjectNode listInGroup(@PathVariable String subscriptionId, @PathVariable String resourceGroup) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return listing.list(VirtualNetwork.class, subscriptionId, resourceGroup, shapes::network, VirtualNetwork::key);
    }

    @GetMapping("/providers/Microsoft.Network/virtualNetworks")
    ObjectNode listInSubscription(@PathVariable String subscriptionId) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return listing.list(VirtualNetwork.class, subscriptionId, null, shapes::network, VirtualNetwork::key);
    }

    // subnets: a child resource; its writes are writes of the network

    @PutMapping(SUBNET)
    ResponseEntity<ObjectNode> putSubnet(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                         @PathVariable String name, @PathVariable String subnet,
                                         @RequestBody JsonNode body,
                                         @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                         @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false)
                                         String ifNoneMatch) {
        ResourceId id = id(subscriptionId, resourceGroup, name);
        NetworkRequests.checkName(subnet, "name");
        ArmJson.requireObject(body);
        VirtualNetwork.Subnet candidate = NetworkRequests.subnet(subnet,
                ArmJson.object(body, "properties", "properties"), "properties");
        Networks.Written<VirtualNetwork> written = networks.putSubnet(id, candidate,
                NetworkListing.preconditions(ifMatch, ifNoneMatch));
        VirtualNetwork v = written.stored().resource();
        VirtualNetwork.Subnet saved = v.subnet(subnet).orElseThrow();
        return ResponseEntity.status(written.created() ? 201 : 200).eTag(Networks.subnetEtag(v, saved))
                .body(shapes.subnet(v, saved));
    }

    @GetMapping(SUBNET)
    ResponseEntity<ObjectNode> getSubnet(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                         @PathVariable String name, @PathVariable String subnet) {
        ResourceId id = id(subscriptionId, resourceGroup, name);
        VirtualNetwork v = networks.network(id).resource();
        VirtualNetwork.Subnet s = v.subnet(subnet).orElseThrow(() -> Networks.notFound(id.child("subnets", subnet)));
        return ResponseEntity.ok().eTag(Networks.subnetEtag(v, s)).body(shapes.subnet(v, s));
    }

    @DeleteMapping(SUBNET)
    ResponseEntity<Void> deleteSubnet(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                      @PathVariable String name, @PathVariable String subnet) {
        return NetworkListing.deleted(networks.deleteSubnet(id(subscriptionId, resourceGroup, name), subnet));
    }

    @GetMapping(VNET + "/subnets")
    ObjectNode listSubnets(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                           @PathVariable String name) {
        VirtualNetwork v = networks.network(id(subscriptionId, resourceGroup, name)).resource();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode value = body.putArray("value");
        v.subnets().forEach(s -> value.add(shapes.subnet(v, s)));
        return body;
    }
}
