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

/**
 * The ARM shape of a load balancer: every child with its id, type and back-references (which rules use a frontend, a
 * pool, a probe; which NIC IP configurations are in a pool).
 */
@Component
class LoadBalancerRepresentations {

    private final LoadBalancers loadBalancers;

    LoadBalancerRepresentations(LoadBalancers loadBalancers) {
        this.loadBalancers = loadBalancers;
    }

    ObjectNode loadBalancer(Stored<LoadBalancer> stored) {
        LoadBalancer lb = stored.resource();
        String etag = stored.etag();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("id", lb.id());
        body.put("name", lb.name());
        body.put("type", LoadBalancer.TYPE);
        body.put("location", lb.location());
        ObjectNode tags = body.putObject("tags");
        lb.tags().forEach(tags::put);
        body.put("etag", etag);
        ObjectNode sku = body.putObject("sku");
        sku.put("name", lb.sku());
        sku.put("tier", "Regional");
        ObjectNode p = body.putObject("properties");
        p.put("provisioningState", "Succeeded");
        p.put("resourceGuid", UUID.nameUUIDFromBytes(lb.key().getBytes(StandardCharsets.UTF_8)).toString());

        ArrayNode frontends = p.putArray(LoadBalancer.FRONTENDS);
        for (LoadBalancer.Frontend f : lb.frontends()) {
            ObjectNode fp = child(frontends, lb, LoadBalancer.FRONTENDS, f.name(), etag);
            if (f.isPublic()) {
                ref(fp, "publicIPAddress", f.publicIpAddressId());
            } else {
                fp.put("privateIPAddress", f.privateIpAddress());
                fp.put("privateIPAllocationMethod", f.privateIpAllocationMethod());
                fp.put("privateIPAddressVersion", "IPv4");
                ref(fp, "subnet", f.subnetId());
            }
            refs(fp, LoadBalancer.RULES, lb.rules().stream().filter(r -> r.frontend().equals(f.name()))
                    .map(r -> lb.childId(LoadBalancer.RULES, r.name())).toList());
            refs(fp, LoadBalancer.NAT_RULES, lb.natRules().stream().filter(r -> r.frontend().equals(f.name()))
                    .map(r -> lb.childId(LoadBalancer.NAT_RULES, r.name())).toList());
        }
        Map<String, List<String>> members = loadBalancers.poolMembers(lb.key());
        ArrayNode pools = p.putArray(LoadBalancer.POOLS);
        for (LoadBalancer.BackendPool pool : lb.pools()) {
            String poolId = lb.childId(LoadBalancer.POOLS, pool.name());
            ObjectNode pp = child(pools, lb, LoadBalancer.POOLS, pool.name(), etag);
            refs(pp, "backendIPConfigurations", members.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(poolId)).flatMap(e -> e.getValue().stream()).toList());
            refs(pp, LoadBalancer.RULES, lb.rules().stream().filter(r -> r.pool().equals(pool.name()))
                    .map(r -> lb.childId(LoadBalancer.RULES, r.name())).toList());
        }
        ArrayNode probes = p.putArray(LoadBalancer.PROBES);
        for (LoadBalancer.Probe probe : lb.probes()) {
            ObjectNode pp = child(probes, lb, LoadBalancer.PROBES, probe.name(), etag);
            pp.put("protocol", probe.protocol());
            pp.put("port", probe.port());
            pp.put("intervalInSeconds", probe.intervalInSeconds());
            pp.put("numberOfProbes", probe.numberOfProbes());
            pp.put("probeThreshold", 1);
            if (probe.requestPath() != null) {
                pp.put("requestPath", probe.requestPath());
            }
            refs(pp, LoadBalancer.RULES, lb.rules().stream().filter(r -> probe.name().equals(r.probe()))
                    .map(r -> lb.childId(LoadBalancer.RULES, r.name())).toList());
        }
        ArrayNode rules = p.putArray(LoadBalancer.RULES);
        for (LoadBalancer.Rule r : lb.rules()) {
            ObjectNode rp = child(rules, lb, LoadBalancer.RULES, r.name(), etag);
            ref(rp, "frontendIPConfiguration", lb.childId(LoadBalancer.FRONTENDS, r.frontend()));
            ref(rp, "backendAddressPool", lb.childId(LoadBalancer.POOLS, r.pool()));
            rp.putArray("backendAddressPools").addObject().put("id", lb.childId(LoadBalancer.POOLS, r.pool()));
            if (r.probe() != null) {
                ref(rp, "probe", lb.childId(LoadBalancer.PROBES, r.probe()));
            }
            rp.put("protocol", r.protocol());
            rp.put("frontendPort", r.frontendPort());
            rp.put("backendPort", r.backendPort());
            rp.put("idleTimeoutInMinutes", r.idleTimeoutInMinutes());
            rp.put("enableFloatingIP", r.enableFloatingIp());
            rp.put("enableTcpReset", false);
            rp.put("loadDistribution", r.loadDistribution());
            rp.put("disableOutboundSnat", r.disableOutboundSnat());
        }
        ArrayNode nat = p.putArray(LoadBalancer.NAT_RULES);
        for (LoadBalancer.NatRule r : lb.natRules()) {
            ObjectNode rp = child(nat, lb, LoadBalancer.NAT_RULES, r.name(), etag);
            ref(rp, "frontendIPConfiguration", lb.childId(LoadBalancer.FRONTENDS, r.frontend()));
            rp.put("protocol", r.protocol());
            rp.put("frontendPort", r.frontendPort());
            rp.put("backendPort", r.backendPort());
            rp.put("idleTimeoutInMinutes", r.idleTimeoutInMinutes());
            rp.put("enableFloatingIP", r.enableFloatingIp());
            rp.put("enableTcpReset", false);
        }
        p.putArray("inboundNatPools");
        p.putArray("outboundRules");
        return body;
    }

    /** Adds a child to {@code array}; returns its {@code properties}. */
    private static ObjectNode child(ArrayNode array, LoadBalancer lb, String collection, String name, String etag) {
        ObjectNode c = array.addObject();
        c.put("id", lb.childId(collection, name));
        c.put("name", name);
        c.put("etag", etag);
        c.put("type", LoadBalancer.TYPE + "/" + collection);
        ObjectNode p = c.putObject("properties");
        p.put("provisioningState", "Succeeded");
        return p;
    }

    private static void ref(ObjectNode parent, String name, String id) {
        parent.putObject(name).put("id", id);
    }

    private static void refs(ObjectNode parent, String name, List<String> ids) {
        if (!ids.isEmpty()) {
            ArrayNode a = parent.putArray(name);
            ids.forEach(id -> a.addObject().put("id", id));
        }
    }
}
