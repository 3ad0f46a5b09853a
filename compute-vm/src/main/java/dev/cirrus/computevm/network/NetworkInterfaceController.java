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

/** {@code Microsoft.Network/networkInterfaces} (compute-vm/README.md): PUT, PATCH (tags), GET, DELETE, lists. */
@RestController
@RequestMapping("/subscriptions/{subscriptionId}")
class NetworkInterfaceController {

    private static final String NIC = "/resourceGroups/{resourceGroup}/providers/Microsoft.Network/networkInterfaces/{name}";

    private final Networks networks;
    private final LoadBalancers loadBalancers;
    private final NetworkRepresentations shapes;
    private final NetworkListing listing;

    NetworkInterfaceController(Networks networks, LoadBalancers loadBalancers, NetworkRepresentations shapes,
                               NetworkListing listing) {
        this.networks = networks;
        this.loadBalancers = loadBalancers;
        this.shapes = shapes;
        this.listing = listing;
    }

    private static ResourceId id(String subscriptionId, String resourceGroup, String name) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return ResourceId.of(subscriptionId, resourceGroup, "Microsoft.Network", "networkInterfaces", name);
    }

    @PutMapping(NIC)
    ResponseEntity<ObjectNode> put(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                   @PathVariable String name, @RequestBody JsonNode body,
                                   @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                   @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        id(subscriptionId, resourceGroup, name);
        NetworkRequests.checkName(name, "name");
        NetworkInterface candidate = NetworkRequests.networkInterface(subscriptionId, resourceGroup, name, body);
        // the load balancer backend pools each IP configuration joins (LoadBalancers, V5__load_balancers.sql)
        var pools = LoadBalancerRequests.backendPoolReferences(body);
        return NetworkListing.written(loadBalancers.putInterface(candidate, pools,
                NetworkListing.preconditions(ifMatch, ifNoneMatch)), shapes::networkInterface);
    }

    @PatchMapping(NIC)
    ResponseEntity<ObjectNode> patch(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                     @PathVariable String name, @RequestBody JsonNode body,
                                     @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        ResourceId id = id(subscriptionId, resourceGroup, name);
        Map<String, String> tags = NetworkListing.patchTags(body);
        return NetworkListing.written(networks.patchInterface(id, NetworkListing.preconditions(ifMatch, null),
                n -> tags == null ? n : new NetworkInterface(n.subscriptionId(), n.resourceGroup(), n.name(),
                        n.location(), tags, n.ipConfigurations(), n.networkSecurityGroupId(), n.virtualMachineId(),
                        n.macAddress())), shapes::networkInterface);
    }

    @GetMapping(NIC)
    ResponseEntity<ObjectNode> get(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                   @PathVariable String name) {
        var stored = networks.networkInterface(id(subscriptionId, resourceGroup, name));
        return ResponseEntity.ok().eTag(stored.etag()).body(shapes.networkInterface(stored));
    }

    @DeleteMapping(NIC)
    ResponseEntity<Void> delete(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                                @PathVariable String name,
                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return NetworkListing.deleted(networks.deleteInterface(id(subscriptionId, resourceGroup, name),
                NetworkListing.preconditions(ifMatch, null)));
    }

    @GetMapping("/resourceGroups/{resourceGroup}/providers/Microsoft.Network/networkInterfaces")
    ObjectNode listInGroup(@PathVariable String subscriptionId, @PathVariable String resourceGroup) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return listing.list(NetworkInterface.class, subscriptionId, resourceGroup, shapes::networkInterface,
                NetworkInterface::key);
    }

    @GetMapping("/providers/Microsoft.Network/networkInterfaces")
    ObjectNode listInSubscription(@PathVariable String subscriptionId) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return listing.list(NetworkInterface.class, subscriptionId, null, shapes::networkInterface,
                NetworkInterface::key);
    }
}
