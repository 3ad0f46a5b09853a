package dev.cirrus.computevm.network;

import java.util.Map;

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
import tools.jackson.databind.node.ObjectNode;

/** {@code Microsoft.Network/publicIPAddresses} (compute-vm/README.md): PUT, PATCH (tags), GET, DELETE, lists. */
@RestController
@RequestMapping("/subscriptions/{subscriptionId}")
class PublicIpAddressController {

    private static final String PIP = "/resourceGroups/{resourceGroup}/providers/Microsoft.Network/publicIPAddresses/{name}";

    private final Networks networks;
    private final NetworkRepresentations shapes;
    private final NetworkListing listing;

    PublicIpAddressController(Networks networks, NetworkRepresentations shapes, NetworkListing listing) {
        this.networks = networks;
        this.shapes = shapes;
        this.listing = listing;
    }

    private static ResourceId id(String subscriptionId, String resourceGroup, String name) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return ResourceId.of(subscriptionId, resourceGroup, "Microsoft.Network", "publicIPAddresses", name);
    }

    @PutMapping(PIP)
    ResponseEntity<ObjectNode> put(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                   @PathVariable String name, @RequestBody JsonNode body,
                                   @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                   @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        id(subscriptionId, resourceGroup, name);
        NetworkRequests.checkName(name, "name");
        PublicIpAddress candidate = NetworkRequests.publicIp(subscriptionId, resourceGroup, name, body);
        return NetworkListing.written(networks.putPublicIp(candidate,
                NetworkListing.preconditions(ifMatch, ifNoneMatch)), shapes::publicIp);
    }

    @PatchMapping(PIP)
    ResponseEntity<ObjectNode> patch(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                     @PathVariable String name, @RequestBody JsonNode body,
                                     @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        ResourceId id = id(subscriptionId, resourceGroup, name);
        Map<String, String> tags = NetworkListing.patchTags(body);
        return NetworkListing.written(networks.patchPublicIp(id, NetworkListing.preconditions(ifMatch, null),
                a -> tags == null ? a : new PublicIpAddress(a.subscriptionId(), a.resourceGroup(), a.name(),
                        a.location(), tags, a.sku(), a.allocationMethod(), a.ipAddress(), a.idleTimeoutInMinutes(),
                        a.domainNameLabel())), shapes::publicIp);
    }

    @GetMapping(PIP)
    ResponseEntity<ObjectNode> get(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                   @PathVariable String name) {
        var stored = networks.publicIp(id(subscriptionId, resourceGroup, name));
        return ResponseEntity.ok().eTag(stored.etag()).body(shapes.publicIp(stored));
    }

    @DeleteMapping(PIP)
    ResponseEntity<Void> delete(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                @PathVariable String name,
                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return NetworkListing.deleted(networks.deletePublicIp(id(subscriptionId, resourceGroup, name),
                NetworkListing.preconditions(ifMatch, null)));
    }

    @GetMapping("/resourceGroups/{resourceGroup}/providers/Microsoft.Network/publicIPAddresses")
    ObjectNode listInGroup(@PathVariable String subscriptionId, @PathVariable String resourceGroup) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return listing.list(PublicIpAddress.class, subscriptionId, resourceGroup, shapes::publicIp,
                PublicIpAddress::key);
    }

    @GetMapping("/providers/Microsoft.Network/publicIPAddresses")
    ObjectNode listInSubscription(@PathVariable String subscriptionId) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return listing.list(PublicIpAddress.class, subscriptionId, null, shapes::publicIp, PublicIpAddress::key);
    }
}
