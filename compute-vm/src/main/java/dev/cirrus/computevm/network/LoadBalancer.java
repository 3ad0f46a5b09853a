package dev.cirrus.computevm.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.cirrus.contracts.arm.ResourceId;

/**
 * A load balancer (compute-vm/README.md): frontends (a public IP, or a private address of a subnet handed out as a
 * NIC's), backend address pools (which NIC IP configurations join from their side, {@link BackendPoolMembers}),
 * health probes, load-balancing rules and inbound NAT rules. Children point at each other by name; their ids are
 * {@code {id}/{collection}/{name}}.
 *
 * @param sku Basic or Standard
 */
public record LoadBalancer(String subscriptionId, String resourceGroup, String name, String location,
                           Map<String, String> tags, String sku, List<Frontend> frontends, List<BackendPool> pools,
                           List<Probe> probes, List<Rule> rules, List<NatRule> natRules) {

    public static final String TYPE = "Microsoft.Network/loadBalancers";
    public static final String FRONTENDS = "frontendIPConfigurations";
    public static final String POOLS = "backendAddressPools";
    public static final String PROBES = "probes";
    public static final String RULES = "loadBalancingRules";
    public static final String NAT_RULES = "inboundNatRules";

    public LoadBalancer {
        tags = Map.copyOf(tags);
        frontends = List.copyOf(frontends);
        pools = List.copyOf(pools);
        probes = List.copyOf(probes);
        rules = List.copyOf(rules);
        natRules = List.copyOf(natRules);
    }

    /**
     * A frontend: exactly one of a public IP and a subnet.
     *
     * @param privateIpAddress the address held (after allocation) or the Static address asked for; null for a public
     *                         frontend
     */
    public record Frontend(String name, String publicIpAddressId, String subnetId, String privateIpAllocationMethod,
                           String privateIpAddress) {

        public boolean isPublic() {
            return publicIpAddressId != null;
        }

        public Frontend withAddress(String address) {
            return new Frontend(name, publicIpAddressId, subnetId, privateIpAllocationMethod, address);
        }
    }

    public record BackendPool(String name) {
    }

    /** @param requestPath the path of an Http(s) probe, null for Tcp */
    public record Probe(String name, String protocol, int port, int intervalInSeconds, int numberOfProbes,
                        String requestPath) {
    }

    /** A load-balancing rule; {@code frontend}, {@code pool} and {@code probe} (nullable) are children's names. */
    public record Rule(String name, String frontend, String pool, String probe, String protocol, int frontendPort,
                       int backendPort, int idleTimeoutInMinutes, boolean enableFloatingIp, String loadDistribution,
                       boolean disableOutboundSnat) {
    }

    /** An inbound NAT rule; {@code frontend} is a frontend's name. */
    public record NatRule(String name, String frontend, String protocol, int frontendPort, int backendPort,
                          int idleTimeoutInMinutes, boolean enableFloatingIp) {
    }

    public ResourceId resourceId() {
        return ResourceId.of(subscriptionId, resourceGroup, "Microsoft.Network", "loadBalancers", name);
    }

    public String id() {
        return resourceId().toString();
    }

    public String key() {
        return resourceId().key();
    }

    /** The id of a child: {@code childId(POOLS, "pool")}. */
    public String childId(String collection, String childName) {
        return id() + "/" + collection + "/" + childName;
    }

    public Optional<BackendPool> pool(String poolName) {
        return pools.stream().filter(p -> p.name().equalsIgnoreCase(poolName)).findFirst();
    }

    public Optional<Frontend> frontend(String frontendName) {
        return frontends.stream().filter(f -> f.name().equalsIgnoreCase(frontendName)).findFirst();
    }

    public LoadBalancer withFrontends(List<Frontend> next) {
        return new LoadBalancer(subscriptionId, resourceGroup, name, location, tags, sku, next, pools, probes, rules,
                natRules);
    }

    public LoadBalancer withTags(Map<String, String> next) {
        return new LoadBalancer(subscriptionId, resourceGroup, name, location, next, sku, frontends, pools, probes,
                rules, natRules);
    }

    /** The lower-cased ids this load balancer points at: its frontends' public IPs and subnets. */
    public List<String> references() {
        List<String> refs = new ArrayList<>();
        for (Frontend f : frontends) {
            refs.add((f.isPublic() ? f.publicIpAddressId() : f.subnetId()).toLowerCase(Locale.ROOT));
        }
        return refs.stream().distinct().toList();
    }
}
