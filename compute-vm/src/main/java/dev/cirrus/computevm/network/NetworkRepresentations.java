package dev.cirrus.computevm.network;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.cirrus.computevm.network.NetworkRepository.Stored;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The ARM shapes of network resources, with their back-references (who uses a subnet, a public IP, an NSG). */
@Component
class NetworkRepresentations {

    private final Networks networks;
    private final BackendPoolMembers poolMembers;

    NetworkRepresentations(Networks networks, BackendPoolMembers poolMembers) {
        this.networks = networks;
        this.poolMembers = poolMembers;
    }

    private static ObjectNode header(String id, String name, String type, String location, Map<String, String> tags,
                                     String etag) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("id", id);
        body.put("name", name);
        body.put("type", type);
        body.put("location", location);
        ObjectNode t = body.putObject("tags");
        tags.forEach(t::put);
        body.put("etag", etag);
        return body;
    }

    /** Azure's resourceGuid: stable for the resource's id. */
    private static String guid(String key) {
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static void ref(ObjectNode parent, String name, String id) {
        if (id != null) {
            parent.putObject(name).put("id", id);
        }
    }

    ObjectNode network(Stored<VirtualNetwork> stored) {
        VirtualNetwork v = stored.resource();
        ObjectNode body = header(v.id(), v.name(), VirtualNetwork.TYPE, v.location(), v.tags(), stored.etag());
        ObjectNode p = body.putObject("properties");
        p.put("provisioningState", "Succeeded");
        p.put("resourceGuid", guid(v.key()));
        ArrayNode prefixes = p.putObject("addressSpace").putArray("addressPrefixes");
        v.addressPrefixes().forEach(prefixes::add);
        p.putObject("dhcpOptions").putArray("dnsServers");
        ArrayNode subnets = p.putArray("subnets");
        v.subnets().forEach(s -> subnets.add(subnet(v, s)));
        p.putArray("virtualNetworkPeerings");
        p.put("enableDdosProtection", false);
        return body;
    }

    ObjectNode subnet(VirtualNetwork v, VirtualNetwork.Subnet s) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("id", v.subnetId(s));
        body.put("name", s.name());
        body.put("etag", Networks.subnetEtag(v, s));
        body.put("type", VirtualNetwork.TYPE + "/subnets");
        ObjectNode p = body.putObject("properties");
        p.put("provisioningState", "Succeeded");
        p.put("addressPrefix", s.addressPrefix());
        ref(p, "networkSecurityGroup", s.networkSecurityGroupId());
        List<String> users = networks.privateIpsOfSubnet(v.subnetKey(s.name())).stream()
                .map(NetworkRepository.PrivateIp::configurationId).toList();
        if (!users.isEmpty()) {
            ArrayNode configs = p.putArray("ipConfigurations");
            users.forEach(id -> configs.addObject().put("id", id));
        }
        p.putArray("delegations");
        p.put("privateEndpointNetworkPolicies", "Disabled");
        p.put("privateLinkServiceNetworkPolicies", "Enabled");
        return body;
    }

    ObjectNode networkInterface(Stored<NetworkInterface> stored) {
        NetworkInterface n = stored.resource();
        ObjectNode body = header(n.id(), n.name(), NetworkInterface.TYPE, n.location(), n.tags(), stored.etag());
        ObjectNode p = body.putObject("properties");
        p.put("provisioningState", "Succeeded");
        p.put("resourceGuid", guid(n.key()));
        ArrayNode configs = p.putArray("ipConfigurations");
        Map<String, List<String>> pools = poolMembers.ofInterface(n.key());
        for (NetworkInterface.IpConfiguration c : n.ipConfigurations()) {
            ObjectNode config = configs.addObject();
            config.put("id", n.id() + "/ipConfigurations/" + c.name());
            config.put("name", c.name());
            config.put("etag", stored.etag());
            config.put("type", NetworkInterface.TYPE + "/ipConfigurations");
            ObjectNode cp = config.putObject("properties");
            cp.put("provisioningState", "Succeeded");
            cp.put("privateIPAddress", c.privateIpAddress());
            cp.put("privateIPAllocationMethod", c.privateIpAllocationMethod());
            cp.put("privateIPAddressVersion", "IPv4");
            ref(cp, "subnet", c.subnetId());
            cp.put("primary", c.primary());
            ref(cp, "publicIPAddress", c.publicIpAddressId());
            backendPools(cp, pools.getOrDefault((n.id() + "/ipConfigurations/" + c.name()).toLowerCase(
                    java.util.Locale.ROOT), List.of()));
        }
        ObjectNode dns = p.putObject("dnsSettings");
        dns.putArray("dnsServers");
        dns.putArray("appliedDnsServers");
        if (n.macAddress() != null) {
            p.put("macAddress", n.macAddress());
        }
        p.put("enableAcceleratedNetworking", false);
        p.put("enableIPForwarding", false);
        p.put("nicType", "Standard");
        ref(p, "networkSecurityGroup", n.networkSecurityGroupId());
        ref(p, "virtualMachine", n.virtualMachineId());
        if (n.virtualMachineId() != null) {
            p.put("primary", networks.attachedAsPrimary(n));
        }
        return body;
    }

    /** The load balancer backend pools an IP configuration is in ({@link BackendPoolMembers}). */
    private static void backendPools(ObjectNode configProperties, List<String> poolIds) {
        if (!poolIds.isEmpty()) {
            ArrayNode a = configProperties.putArray("loadBalancerBackendAddressPools");
            poolIds.forEach(id -> a.addObject().put("id", id));
        }
    }

    ObjectNode publicIp(Stored<PublicIpAddress> stored) {
        PublicIpAddress a = stored.resource();
        ObjectNode body = header(a.id(), a.name(), PublicIpAddress.TYPE, a.location(), a.tags(), stored.etag());
        ObjectNode sku = body.putObject("sku");
        sku.put("name", a.sku());
        sku.put("tier", "Regional");
        ObjectNode p = body.putObject("properties");
        p.put("provisioningState", "Succeeded");
        p.put("resourceGuid", guid(a.key()));
        p.put("publicIPAddressVersion", "IPv4");
        p.put("publicIPAllocationMethod", a.allocationMethod());
        p.put("idleTimeoutInMinutes", a.idleTimeoutInMinutes());
        if (a.ipAddress() != null) {
            p.put("ipAddress", a.ipAddress());
        }
        if (a.domainNameLabel() != null) {
            ObjectNode dns = p.putObject("dnsSettings");
            dns.put("domainNameLabel", a.domainNameLabel());
            dns.put("fqdn", networks.fqdn(a));
        }
        p.putArray("ipTags");
        networks.publicIpConfiguration(a).ifPresent(id -> ref(p, "ipConfiguration", id));
        return body;
    }

    ObjectNode securityGroup(Stored<NetworkSecurityGroup> stored) {
        NetworkSecurityGroup g = stored.resource();
        ObjectNode body = header(g.id(), g.name(), NetworkSecurityGroup.TYPE, g.location(), g.tags(), stored.etag());
        ObjectNode p = body.putObject("properties");
        p.put("provisioningState", "Succeeded");
        p.put("resourceGuid", guid(g.key()));
        ArrayNode rules = p.putArray("securityRules");
        g.securityRules().forEach(r -> rules.add(rule(g, r, "securityRules", stored.etag())));
        ArrayNode defaults = p.putArray("defaultSecurityRules");
        NetworkSecurityGroup.DEFAULT_RULES.forEach(r -> defaults.add(rule(g, r, "defaultSecurityRules",
                stored.etag())));
        List<String> nics = networks.securityGroupInterfaces(g.resourceId());
        if (!nics.isEmpty()) {
            ArrayNode a = p.putArray("networkInterfaces");
            nics.forEach(id -> a.addObject().put("id", id));
        }
        List<String> subnets = networks.securityGroupSubnets(g.resourceId());
        if (!subnets.isEmpty()) {
            ArrayNode a = p.putArray("subnets");
            subnets.forEach(id -> a.addObject().put("id", id));
        }
        return body;
    }

    ObjectNode rule(NetworkSecurityGroup g, NetworkSecurityGroup.SecurityRule r, String collection, String etag) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("id", g.id() + "/" + collection + "/" + r.name());
        body.put("name", r.name());
        body.put("etag", etag);
        body.put("type", NetworkSecurityGroup.TYPE + "/" + collection);
        ObjectNode p = body.putObject("properties");
        p.put("provisioningState", "Succeeded");
        if (r.description() != null) {
            p.put("description", r.description());
        }
        p.put("protocol", r.protocol());
        if (r.sourcePortRange() != null) {
            p.put("sourcePortRange", r.sourcePortRange());
        }
        if (r.destinationPortRange() != null) {
            p.put("destinationPortRange", r.destinationPortRange());
        }
        if (r.sourceAddressPrefix() != null) {
            p.put("sourceAddressPrefix", r.sourceAddressPrefix());
        }
        if (r.destinationAddressPrefix() != null) {
            p.put("destinationAddressPrefix", r.destinationAddressPrefix());
        }
        p.put("access", r.access());
        p.put("priority", r.priority());
        p.put("direction", r.direction());
        ArrayNode a = p.putArray("sourcePortRanges");
        r.sourcePortRanges().forEach(a::add);
        a = p.putArray("destinationPortRanges");
        r.destinationPortRanges().forEach(a::add);
        a = p.putArray("sourceAddressPrefixes");
        r.sourceAddressPrefixes().forEach(a::add);
        a = p.putArray("destinationAddressPrefixes");
        r.destinationAddressPrefixes().forEach(a::add);
        return body;
    }
}
