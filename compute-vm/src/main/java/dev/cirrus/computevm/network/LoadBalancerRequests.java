package dev.cirrus.computevm.network;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.ArmLocations;
import dev.cirrus.contracts.arm.ArmTags;
import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.plumbing.arm.ArmException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the body of a load balancer PUT into a {@link LoadBalancer}, checking what can be checked without the
 * database: each child's fields, the references between children (a rule's frontend, pool and probe must be
 * children of this load balancer), ports, idle timeouts per SKU, and rules clashing on a frontend port. Read-only
 * properties (provisioningState, backendIPConfigurations, a probe's loadBalancingRules, …) are ignored.
 */
final class LoadBalancerRequests {

    private static final String POOL_TYPE = LoadBalancer.TYPE + "/" + LoadBalancer.POOLS;

    private LoadBalancerRequests() {
    }

    /** One element of a child collection: its name, its {@code properties} and the path of the element. */
    private record Child(String name, JsonNode properties, String path) {
    }

    static LoadBalancer loadBalancer(String subscriptionId, String resourceGroup, String name, JsonNode body) {
        ArmJson.requireObject(body);
        String raw = ArmJson.string(body, "location", "location");
        if (raw == null || raw.isBlank()) {
            throw ArmException.badRequest("LocationRequired", "The location property is required for this definition.",
                    "location");
        }
        String location = ArmLocations.require(raw, "location");
        Map<String, String> tags = ArmTags.read(body);
        ObjectNode sku = ArmJson.object(body, "sku", "sku");
        String skuName = sku == null ? null : ArmJson.oneOf(sku, "name", "sku.name", "Basic", "Standard", "Gateway");
        if ("Gateway".equals(skuName)) {
            throw ArmException.invalidParameter("Gateway load balancers are not served by Cirrus.", "sku.name");
        }
        String tier = sku == null ? null : ArmJson.oneOf(sku, "tier", "sku.tier", "Regional", "Global");
        if ("Global".equals(tier)) {
            throw ArmException.invalidParameter("Global (cross-region) load balancers are not served by Cirrus.",
                    "sku.tier");
        }
        skuName = skuName == null ? "Basic" : skuName;
        ResourceId id = ResourceId.of(subscriptionId, resourceGroup, "Microsoft.Network", "loadBalancers", name);
        ObjectNode props = ArmJson.object(body, "properties", "properties");

        List<LoadBalancer.Frontend> frontends = new ArrayList<>();
        for (Child c : children(props, LoadBalancer.FRONTENDS)) {
            frontends.add(frontend(c));
        }
        List<LoadBalancer.BackendPool> pools = new ArrayList<>();
        for (Child c : children(props, LoadBalancer.POOLS)) {
            pools.add(new LoadBalancer.BackendPool(c.name()));
        }
        List<LoadBalancer.Probe> probes = new ArrayList<>();
        for (Child c : children(props, LoadBalancer.PROBES)) {
            probes.add(probe(c));
        }
        Map<String, String> frontendNames = names(frontends.stream().map(LoadBalancer.Frontend::name).toList());
        Map<String, String> poolNames = names(pools.stream().map(LoadBalancer.BackendPool::name).toList());
        Map<String, String> probeNames = names(probes.stream().map(LoadBalancer.Probe::name).toList());
        int maxIdle = skuName.equals("Basic") ? 30 : 100;

        List<LoadBalancer.Rule> rules = new ArrayList<>();
        for (Child c : children(props, LoadBalancer.RULES)) {
            JsonNode p = c.properties();
            String ruleId = id + "/" + LoadBalancer.RULES + "/" + c.name();
            String frontend = childReference(p, "frontendIPConfiguration", c.path(), id, LoadBalancer.FRONTENDS,
                    frontendNames, ruleId, true);
            String pool = childReference(p, "backendAddressPool", c.path(), id, LoadBalancer.POOLS, poolNames, ruleId,
                    true);
            String probe = childReference(p, "probe", c.path(), id, LoadBalancer.PROBES, probeNames, ruleId, false);
            String protocol = required(ArmJson.oneOf(p, "protocol", c.path() + ".protocol", "Tcp", "Udp", "All"),
                    "protocol", c.path() + ".protocol");
            int frontendPort = required(ArmJson.integer(p, "frontendPort", c.path() + ".frontendPort", 0, 65534),
                    "frontendPort", c.path() + ".frontendPort");
            int backendPort = required(ArmJson.integer(p, "backendPort", c.path() + ".backendPort", 0, 65534),
                    "backendPort", c.path() + ".backendPort");
            if (protocol.equals("All") && (frontendPort != 0 || backendPort != 0)) {
                throw ArmException.invalidParameter("Load balancing rule " + ruleId + " has protocol All: its "
                        + "frontendPort and backendPort must be 0 (all ports).", c.path()
                        + (frontendPort != 0 ? ".frontendPort" : ".backendPort"));
            }
            int idle = idleTimeout(p, c.path(), skuName, maxIdle);
            boolean floating = Boolean.TRUE.equals(ArmJson.bool(p, "enableFloatingIP", c.path() + ".enableFloatingIP"));
            String distribution = ArmJson.oneOf(p, "loadDistribution", c.path() + ".loadDistribution", "Default",
                    "SourceIP", "SourceIPProtocol");
            boolean noSnat = Boolean.TRUE.equals(ArmJson.bool(p, "disableOutboundSnat",
                    c.path() + ".disableOutboundSnat"));
            rules.add(new LoadBalancer.Rule(c.name(), frontend, pool, probe, protocol, frontendPort, backendPort, idle,
                    floating, distribution == null ? "Default" : distribution, noSnat));
        }
        List<LoadBalancer.NatRule> natRules = new ArrayList<>();
        for (Child c : children(props, LoadBalancer.NAT_RULES)) {
            JsonNode p = c.properties();
            String ruleId = id + "/" + LoadBalancer.NAT_RULES + "/" + c.name();
            String frontend = childReference(p, "frontendIPConfiguration", c.path(), id, LoadBalancer.FRONTENDS,
                    frontendNames, ruleId, true);
            String protocol = required(ArmJson.oneOf(p, "protocol", c.path() + ".protocol", "Tcp", "Udp", "All"),
                    "protocol", c.path() + ".protocol");
            int frontendPort = required(ArmJson.integer(p, "frontendPort", c.path() + ".frontendPort", 1, 65534),
                    "frontendPort", c.path() + ".frontendPort");
            int backendPort = required(ArmJson.integer(p, "backendPort", c.path() + ".backendPort", 1, 65535),
                    "backendPort", c.path() + ".backendPort");
            int idle = idleTimeout(p, c.path(), skuName, maxIdle);
            boolean floating = Boolean.TRUE.equals(ArmJson.bool(p, "enableFloatingIP", c.path() + ".enableFloatingIP"));
            natRules.add(new LoadBalancer.NatRule(c.name(), frontend, protocol, frontendPort, backendPort, idle,
                    floating));
        }
        checkFrontendPorts(id, rules, natRules);
        checkBackendPorts(id, rules);
        return new LoadBalancer(subscriptionId, resourceGroup, name, location, tags, skuName, frontends, pools, probes,
                rules, natRules);
    }

    /**
     * The backend pools each IP configuration of a NIC PUT body joins
     * ({@code properties.ipConfigurations[].properties.loadBalancerBackendAddressPools[].id}): lower-cased IP
     * configuration name → pool ids, each checked to be a pool id. The NIC parser ({@link NetworkRequests}) has read
     * and checked the rest of the body already.
     */
    static Map<String, List<String>> backendPoolReferences(JsonNode nicBody) {
        Map<String, List<String>> pools = new LinkedHashMap<>();
        JsonNode configs = ArmJson.array(ArmJson.object(nicBody, "properties", "properties"), "ipConfigurations",
                "properties.ipConfigurations");
        if (configs == null) {
            return pools;
        }
        for (int i = 0; i < configs.size(); i++) {
            String path = "properties.ipConfigurations[" + i + "].properties.loadBalancerBackendAddressPools";
            JsonNode array = ArmJson.array(configs.get(i).get("properties"), "loadBalancerBackendAddressPools", path);
            if (array == null) {
                continue;
            }
            List<String> ids = new ArrayList<>();
            for (int j = 0; j < array.size(); j++) {
                String refPath = path + "[" + j + "].id";
                if (!array.get(j).isObject()) {
                    throw ArmJson.wrongType(path + "[" + j + "]", "an object");
                }
                String text = ArmJson.string(array.get(j), "id", refPath);
                if (text == null) {
                    throw ArmJson.missing("id", refPath);
                }
                ResourceId pool = ResourceId.require(text, refPath);
                if (!pool.type().equalsIgnoreCase(POOL_TYPE)) {
                    throw ArmException.badRequest("LinkedInvalidPropertyId", "Property id '"
                            + NetworkRequests.shown(text) + "' at path '" + refPath + "' is invalid: it must be the id "
                            + "of a " + POOL_TYPE + ".", refPath);
                }
                if (ids.stream().noneMatch(pool.toString()::equalsIgnoreCase)) {
                    ids.add(pool.toString());
                }
            }
            String configName = configs.get(i).path("name").asString("");
            pools.put(configName.toLowerCase(Locale.ROOT), ids);
        }
        return pools;
    }

    // ------------------------------------------------------------------ children

    private static List<Child> children(JsonNode props, String collection) {
        String path = "properties." + collection;
        JsonNode array = ArmJson.array(props, collection, path);
        List<Child> children = new ArrayList<>();
        if (array == null) {
            return children;
        }
        for (int i = 0; i < array.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode element = array.get(i);
            if (!element.isObject()) {
                throw ArmJson.wrongType(at, "an object");
            }
            String childName = ArmJson.string(element, "name", at + ".name");
            if (childName == null) {
                throw ArmJson.missing("name", at + ".name");
            }
            NetworkRequests.checkName(childName, at + ".name");
            for (Child earlier : children) {
                if (earlier.name().equalsIgnoreCase(childName)) {
                    throw ArmException.badRequest("DuplicateResourceName", "The load balancer has two "
                            + collection + " named '" + childName + "'.", at + ".name");
                }
            }
            JsonNode p = element.get("properties");
            if (p != null && !p.isNull() && !p.isObject()) {
                throw ArmJson.wrongType(at + ".properties", "an object");
            }
            children.add(new Child(childName, p == null || p.isNull() ? null : p, at + ".properties"));
        }
        return children;
    }

    private static LoadBalancer.Frontend frontend(Child c) {
        JsonNode p = c.properties();
        String publicIp = reference(p, "publicIPAddress", c.path() + ".publicIPAddress", PublicIpAddress.TYPE);
        String subnet = reference(p, "subnet", c.path() + ".subnet", VirtualNetwork.TYPE + "/subnets");
        if ((publicIp == null) == (subnet == null)) {
            throw ArmException.badRequest("InvalidRequestFormat", "Frontend IP configuration " + c.name() + " must "
                    + "reference either a public IP address or a subnet" + (publicIp == null ? "" : ", not both")
                    + ".", c.path() + (publicIp == null ? ".publicIPAddress" : ".subnet"));
        }
        if (publicIp != null) {
            return new LoadBalancer.Frontend(c.name(), publicIp, null, null, null);
        }
        String method = ArmJson.oneOf(p, "privateIPAllocationMethod", c.path() + ".privateIPAllocationMethod",
                "Dynamic", "Static");
        String version = ArmJson.oneOf(p, "privateIPAddressVersion", c.path() + ".privateIPAddressVersion",
                "IPv4", "IPv6");
        if ("IPv6".equals(version)) {
            throw ArmException.invalidParameter("IPv6 private addresses are not served by Cirrus.",
                    c.path() + ".privateIPAddressVersion");
        }
        String address = ArmJson.string(p, "privateIPAddress", c.path() + ".privateIPAddress");
        if ("Static".equals(method)) {
            if (address == null) {
                throw ArmException.badRequest("PrivateIPAddressRequired", "Frontend IP configuration " + c.name()
                        + " has privateIPAllocationMethod Static and no privateIPAddress.",
                        c.path() + ".privateIPAddress");
            }
            if (Ipv4Prefix.parseAddress(address).isEmpty()) {
                throw ArmException.invalidParameter("The private IP address '" + NetworkRequests.shown(address)
                        + "' is not a valid IPv4 address.", c.path() + ".privateIPAddress");
            }
            return new LoadBalancer.Frontend(c.name(), null, subnet, "Static", address);
        }
        return new LoadBalancer.Frontend(c.name(), null, subnet, "Dynamic", null);
    }

    private static LoadBalancer.Probe probe(Child c) {
        JsonNode p = c.properties();
        String protocol = required(ArmJson.oneOf(p, "protocol", c.path() + ".protocol", "Tcp", "Http", "Https"),
                "protocol", c.path() + ".protocol");
        int port = required(ArmJson.integer(p, "port", c.path() + ".port", 1, 65535), "port", c.path() + ".port");
        Integer interval = ArmJson.integer(p, "intervalInSeconds", c.path() + ".intervalInSeconds", 5,
                Integer.MAX_VALUE);
        Integer count = ArmJson.integer(p, "numberOfProbes", c.path() + ".numberOfProbes", 1, Integer.MAX_VALUE);
        String requestPath = ArmJson.plainString(p, "requestPath", c.path() + ".requestPath", 2048);
        if (protocol.equals("Tcp") && requestPath != null) {
            throw ArmException.invalidParameter("Probe " + c.name() + " has protocol Tcp: a requestPath is only for "
                    + "Http and Https probes.", c.path() + ".requestPath");
        }
        if (!protocol.equals("Tcp") && (requestPath == null || requestPath.isBlank())) {
            throw ArmException.invalidParameter("Probe " + c.name() + " has protocol " + protocol + ": its "
                    + "requestPath is required.", c.path() + ".requestPath");
        }
        return new LoadBalancer.Probe(c.name(), protocol, port, interval == null ? 15 : interval,
                count == null ? 2 : count, requestPath);
    }

    private static int idleTimeout(JsonNode p, String path, String sku, int max) {
        JsonNode v = p == null ? null : p.get("idleTimeoutInMinutes");
        if (v == null || v.isNull()) {
            return 4;
        }
        if (v.isIntegralNumber() && (v.asLong() < 4 || v.asLong() > max)) {
            throw ArmException.invalidParameter("The idle timeout of a " + sku + " load balancer's rule must be from 4 "
                    + "to " + max + " minutes, not " + v + ".", path + ".idleTimeoutInMinutes");
        }
        return ArmJson.integer(p, "idleTimeoutInMinutes", path + ".idleTimeoutInMinutes", 4, max);
    }

    /** Lower-cased name → name as given. */
    private static Map<String, String> names(List<String> names) {
        Map<String, String> map = new HashMap<>();
        names.forEach(n -> map.put(n.toLowerCase(Locale.ROOT), n));
        return map;
    }

    /**
     * {@code {"id": "{lb}/{collection}/{name}"}} at {@code field}: the name of the child it points at, which must be
     * one of this load balancer's; null when absent and not required.
     */
    private static String childReference(JsonNode props, String field, String path, ResourceId lb, String collection,
                                         Map<String, String> names, String referrer, boolean required) {
        String at = path + "." + field;
        ObjectNode ref = ArmJson.object(props, field, at);
        String text = ref == null ? null : ArmJson.string(ref, "id", at + ".id");
        if (text == null) {
            if (required) {
                throw ArmJson.missing(field, at);
            }
            return null;
        }
        ResourceId id = ResourceId.require(text, at + ".id");
        boolean ours = id.type().equalsIgnoreCase(LoadBalancer.TYPE + "/" + collection)
                && id.parent().map(ResourceId::key).orElse("").equals(lb.key());
        String name = ours ? names.get(id.name().toLowerCase(Locale.ROOT)) : null;
        if (name == null) {
            throw ArmException.badRequest("InvalidResourceReference", "Resource " + NetworkRequests.shown(text)
                    + " referenced by resource " + referrer + " was not found. Please make sure that the referenced "
                    + "resource exists, and that both resources are in the same region.", at + ".id");
        }
        return name;
    }

    /** {@code {"id": "..."}} at {@code field}, checked to be an id of {@code type}, or null. */
    private static String reference(JsonNode props, String field, String path, String type) {
        ObjectNode ref = ArmJson.object(props, field, path);
        if (ref == null) {
            return null;
        }
        String text = ArmJson.string(ref, "id", path + ".id");
        if (text == null) {
            throw ArmJson.missing(path + ".id", path + ".id");
        }
        ResourceId id = ResourceId.require(text, path + ".id");
        if (!id.type().equalsIgnoreCase(type)) {
            throw ArmException.badRequest("LinkedInvalidPropertyId", "Property id '" + NetworkRequests.shown(text)
                    + "' at path '" + path + ".id' is invalid: it must be the id of a " + type + ".", path + ".id");
        }
        return id.toString();
    }

    /** No two rules (load-balancing or inbound NAT) listen on the same frontend, protocol and port. */
    private static void checkFrontendPorts(ResourceId lb, List<LoadBalancer.Rule> rules,
                                           List<LoadBalancer.NatRule> natRules) {
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            LoadBalancer.Rule r = rules.get(i);
            claim(seen, lb, r.frontend(), r.protocol(), r.frontendPort(), lb + "/" + LoadBalancer.RULES + "/"
                    + r.name(), "properties." + LoadBalancer.RULES + "[" + i + "].properties.frontendPort");
        }
        for (int i = 0; i < natRules.size(); i++) {
            LoadBalancer.NatRule r = natRules.get(i);
            claim(seen, lb, r.frontend(), r.protocol(), r.frontendPort(), lb + "/" + LoadBalancer.NAT_RULES + "/"
                    + r.name(), "properties." + LoadBalancer.NAT_RULES + "[" + i + "].properties.frontendPort");
        }
    }

    private static void claim(Map<String, String> seen, ResourceId lb, String frontend, String protocol, int port,
                              String ruleId, String target) {
        String key = frontend.toLowerCase(Locale.ROOT) + "|" + protocol + "|" + port;
        String other = seen.putIfAbsent(key, ruleId);
        if (other != null) {
            throw ArmException.badRequest("RulesUseSameFrontendIpConfigurationProtocolAndPort", "Load balancer rules "
                    + other + " and " + ruleId + " use the same frontend IP configuration " + lb + "/"
                    + LoadBalancer.FRONTENDS + "/" + frontend + ", protocol " + protocol + " and frontend port " + port
                    + ".", target);
        }
    }

    /** Two rules without floating IP that send the same protocol and backend port to the same pool clash. */
    private static void checkBackendPorts(ResourceId lb, List<LoadBalancer.Rule> rules) {
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            LoadBalancer.Rule r = rules.get(i);
            if (r.enableFloatingIp()) {
                continue;
            }
            String ruleId = lb + "/" + LoadBalancer.RULES + "/" + r.name();
            String other = seen.putIfAbsent(r.pool().toLowerCase(Locale.ROOT) + "|" + r.protocol() + "|"
                    + r.backendPort(), ruleId);
            if (other != null) {
                throw ArmException.badRequest("RulesUseSameBackendPortProtocolAndPool", "Load balancing rules " + other
                        + " and " + ruleId + " with floating IP disabled use the same protocol " + r.protocol()
                        + " and backend port " + r.backendPort() + ", and must not be used with the same backend "
                        + "address pool " + lb + "/" + LoadBalancer.POOLS + "/" + r.pool() + ".",
                        "properties." + LoadBalancer.RULES + "[" + i + "].properties.backendPort");
            }
        }
    }

    private static <T> T required(T value, String parameter, String path) {
        if (value == null) {
            throw ArmJson.missing(parameter, path);
        }
        return value;
    }
}
