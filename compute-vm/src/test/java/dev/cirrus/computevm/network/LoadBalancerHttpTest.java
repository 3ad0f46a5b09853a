package dev.cirrus.computevm.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import dev.cirrus.computevm.ComputeVmTestSupport;
import dev.cirrus.computevm.TopicReader;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Microsoft.Network/loadBalancers over HTTP: public and private frontends (the public IP and the subnet address they
 * take, and the in-use refusals that follow), pools that NICs join, probes, rules and NAT rules with their
 * back-references, and the lifecycle events.
 */
class LoadBalancerHttpTest extends ComputeVmTestSupport {

    private final String sub = newSubscription();

    String path(String type, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/lb-rg/providers/Microsoft.Network/" + type + "/" + name;
    }

    private static String code(HttpResponse<String> response) {
        return json(response).path("error").path("code").stringValue();
    }

    /** A load balancer with one frontend {@code fe} (the given properties), pool {@code pool}, a probe and a rule. */
    static String lbBody(String sku, String lb, String frontendProperties) {
        return """
                {"location":"westeurope","sku":{"name":"%1$s"},"properties":{
                  "frontendIPConfigurations":[{"name":"fe","properties":%3$s}],
                  "backendAddressPools":[{"name":"pool"}],
                  "probes":[{"name":"health","properties":{"protocol":"Http","port":80,"requestPath":"/healthz",
                    "intervalInSeconds":5,"numberOfProbes":2}}],
                  "loadBalancingRules":[{"name":"http","properties":{
                    "frontendIPConfiguration":{"id":"%2$s/frontendIPConfigurations/fe"},
                    "backendAddressPool":{"id":"%2$s/backendAddressPools/pool"},
                    "probe":{"id":"%2$s/probes/health"},
                    "protocol":"Tcp","frontendPort":80,"backendPort":8080,"idleTimeoutInMinutes":10}}],
                  "inboundNatRules":[{"name":"ssh","properties":{
                    "frontendIPConfiguration":{"id":"%2$s/frontendIPConfigurations/fe"},
                    "protocol":"Tcp","frontendPort":50022,"backendPort":22}}]}}
                """.formatted(sku, lb, frontendProperties);
    }

    @Test
    void aPublicLoadBalancerTakesItsPublicIpWhichPointsBackAtTheFrontendAndCannotBeDeletedMeanwhile() {
        String pip = path("publicIPAddresses", "lb-pip");
        assertThat(put(pip, "{\"location\":\"westeurope\",\"sku\":{\"name\":\"Standard\"}}").statusCode())
                .isEqualTo(201);
        String lb = path("loadBalancers", "web-lb");
        HttpResponse<String> created = put(lb, lbBody("Standard", lb, "{\"publicIPAddress\":{\"id\":\"" + pip
                + "\"}}"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = json(created);
        assertThat(body.path("type").stringValue()).isEqualTo("Microsoft.Network/loadBalancers");
        assertThat(body.path("sku").path("name").stringValue()).isEqualTo("Standard");
        JsonNode props = body.path("properties");
        JsonNode fe = props.path("frontendIPConfigurations").get(0);
        assertThat(fe.path("id").stringValue()).isEqualTo(lb + "/frontendIPConfigurations/fe");
        assertThat(fe.path("properties").path("publicIPAddress").path("id").stringValue()).isEqualTo(pip);
        assertThat(fe.path("properties").path("loadBalancingRules").get(0).path("id").stringValue())
                .isEqualTo(lb + "/loadBalancingRules/http");
        assertThat(fe.path("properties").path("inboundNatRules").get(0).path("id").stringValue())
                .isEqualTo(lb + "/inboundNatRules/ssh");
        JsonNode rule = props.path("loadBalancingRules").get(0).path("properties");
        assertThat(rule.path("probe").path("id").stringValue()).isEqualTo(lb + "/probes/health");
        assertThat(rule.path("frontendPort").intValue()).isEqualTo(80);
        assertThat(rule.path("backendPort").intValue()).isEqualTo(8080);
        assertThat(rule.path("idleTimeoutInMinutes").intValue()).isEqualTo(10);
        assertThat(props.path("probes").get(0).path("properties").path("requestPath").stringValue())
                .isEqualTo("/healthz");
        assertThat(props.path("probes").get(0).path("properties").path("loadBalancingRules").get(0).path("id")
                .stringValue()).isEqualTo(lb + "/loadBalancingRules/http");

        // the public IP points at the frontend and refuses to go while the load balancer uses it
        assertThat(json(get(pip)).path("properties").path("ipConfiguration").path("id").stringValue())
                .isEqualTo(lb + "/frontendIPConfigurations/fe");
        HttpResponse<String> refused = delete(pip);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(code(refused)).isEqualTo("PublicIPAddressInUse");
        // nor can a NIC take it
        String vnet = path("virtualNetworks", "lb-vnet");
        assertThat(put(vnet, NetworkHttpTest.vnetBody("\"10.40.0.0/16\"", "default", "10.40.0.0/24")).statusCode())
                .isEqualTo(201);
        HttpResponse<String> nic = put(path("networkInterfaces", "thief"), "{\"location\":\"westeurope\","
                + "\"properties\":{\"ipConfigurations\":[{\"name\":\"c\",\"properties\":{\"subnet\":{\"id\":\""
                + vnet + "/subnets/default\"},\"publicIPAddress\":{\"id\":\"" + pip + "\"}}}]}}");
        assertThat(nic.statusCode()).isEqualTo(400);
        assertThat(code(nic)).isEqualTo("PublicIPAddressInUse");

        // children one by one, and lists
        assertThat(json(get(lb + "/probes/HEALTH")).path("properties").path("port").intValue()).isEqualTo(80);
        assertThat(json(get(lb + "/loadBalancingRules")).path("value").size()).isEqualTo(1);
        assertThat(get(lb + "/probes/none").statusCode()).isEqualTo(404);
        JsonNode listed = json(get("/subscriptions/" + sub + "/resourceGroups/lb-rg/providers/Microsoft.Network/"
                + "loadBalancers")).path("value");
        assertThat(listed.size()).isEqualTo(1);
        assertThat(listed.get(0).path("name").stringValue()).isEqualTo("web-lb");

        HttpResponse<String> patched = send("PATCH", withApi(lb), "{\"tags\":{\"tier\":\"web\"}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(get(lb)).path("tags").path("tier").stringValue()).isEqualTo("web");

        assertThat(delete(lb).statusCode()).isEqualTo(200);
        assertThat(json(get(pip)).path("properties").has("ipConfiguration")).isFalse();
        assertThat(delete(pip).statusCode()).isEqualTo(200);
        assertThat(delete(lb).statusCode()).isEqualTo(204);
        assertThat(get(lb).statusCode()).isEqualTo(404);
    }

    @Test
    void aPrivateFrontendHoldsASubnetAddressLikeANicsAndReleasesItWithTheLoadBalancer() {
        String vnet = path("virtualNetworks", "inner");
        assertThat(put(vnet, NetworkHttpTest.vnetBody("\"10.41.0.0/16\"", "lbs", "10.41.1.0/24")).statusCode())
                .isEqualTo(201);
        String subnet = vnet + "/subnets/lbs";
        String lb = path("loadBalancers", "inner-lb");
        HttpResponse<String> created = put(lb, lbBody("Basic", lb, "{\"subnet\":{\"id\":\"" + subnet + "\"}}"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode fe = json(created).path("properties").path("frontendIPConfigurations").get(0).path("properties");
        assertThat(fe.path("privateIPAddress").stringValue()).as("the subnet's first usable address")
                .isEqualTo("10.41.1.4");
        assertThat(fe.path("privateIPAllocationMethod").stringValue()).isEqualTo("Dynamic");
        // a second PUT keeps the address
        assertThat(json(put(lb, lbBody("Basic", lb, "{\"subnet\":{\"id\":\"" + subnet + "\"}}"))).path("properties")
                .path("frontendIPConfigurations").get(0).path("properties").path("privateIPAddress").stringValue())
                .isEqualTo("10.41.1.4");

        // a NIC in the same subnet gets the next one, and a Static address the frontend holds is refused
        String nicPath = path("networkInterfaces", "next");
        HttpResponse<String> nic = put(nicPath, "{\"location\":\"westeurope\",\"properties\":{\"ipConfigurations\":"
                + "[{\"name\":\"c\",\"properties\":{\"subnet\":{\"id\":\"" + subnet + "\"}}}]}}");
        assertThat(json(nic).path("properties").path("ipConfigurations").get(0).path("properties")
                .path("privateIPAddress").stringValue()).isEqualTo("10.41.1.5");
        HttpResponse<String> clash = put(path("loadBalancers", "clash"), lbBody("Basic", path("loadBalancers",
                "clash"), "{\"subnet\":{\"id\":\"" + subnet + "\"},\"privateIPAllocationMethod\":\"Static\","
                + "\"privateIPAddress\":\"10.41.1.4\"}"));
        assertThat(clash.statusCode()).isEqualTo(400);
        assertThat(code(clash)).isEqualTo("PrivateIPAddressInUse");
        assertThat(delete(nicPath).statusCode()).isEqualTo(200);

        // the subnet lists the frontend and refuses to go while it holds an address
        JsonNode users = json(get(subnet)).path("properties").path("ipConfigurations");
        assertThat(users.findValuesAsString("id")).containsExactly(lb + "/frontendIPConfigurations/fe");
        HttpResponse<String> refused = delete(subnet);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(code(refused)).isEqualTo("InUseSubnetCannotBeDeleted");
        assertThat(json(refused).path("error").path("message").stringValue())
                .contains(lb + "/frontendIPConfigurations/fe");

        // a Static frontend address moves the hold
        HttpResponse<String> moved = put(lb, lbBody("Basic", lb, "{\"subnet\":{\"id\":\"" + subnet + "\"},"
                + "\"privateIPAllocationMethod\":\"Static\",\"privateIPAddress\":\"10.41.1.50\"}"));
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        assertThat(count("select count(*) from network_private_ips where nic_key = ?", lb.toLowerCase(Locale.ROOT)))
                .isEqualTo(1);
        assertThat(count("select count(*) from network_private_ips where nic_key = ? and address = ?",
                lb.toLowerCase(Locale.ROOT), Ipv4Prefix.parseAddress("10.41.1.50").orElseThrow())).isEqualTo(1);

        assertThat(delete(lb).statusCode()).isEqualTo(200);
        assertThat(count("select count(*) from network_private_ips where nic_key = ?", lb.toLowerCase(Locale.ROOT)))
                .isZero();
        assertThat(delete(subnet).statusCode()).isEqualTo(200);
    }

    @Test
    void aNicIpConfigurationJoinsABackendPoolWhichListsItAndKeepsTheLoadBalancerUntilItLeaves() {
        String vnet = path("virtualNetworks", "pooled");
        assertThat(put(vnet, NetworkHttpTest.vnetBody("\"10.42.0.0/16\"", "default", "10.42.0.0/24")).statusCode())
                .isEqualTo(201);
        String subnet = vnet + "/subnets/default";
        String lb = path("loadBalancers", "pooled-lb");
        assertThat(put(lb, lbBody("Standard", lb, "{\"subnet\":{\"id\":\"" + subnet + "\"}}")).statusCode())
                .isEqualTo(201);
        String pool = lb + "/backendAddressPools/pool";
        String nic = path("networkInterfaces", "member");
        String member = "{\"location\":\"westeurope\",\"properties\":{\"ipConfigurations\":[{\"name\":\"ipconfig1\","
                + "\"properties\":{\"subnet\":{\"id\":\"" + subnet + "\"},\"loadBalancerBackendAddressPools\":"
                + "[{\"id\":\"" + pool + "\"}]}}]}}";
        HttpResponse<String> joined = put(nic, member);
        assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
        assertThat(json(joined).path("properties").path("ipConfigurations").get(0).path("properties")
                .path("loadBalancerBackendAddressPools").get(0).path("id").stringValue()).isEqualTo(pool);
        JsonNode pools = json(get(lb)).path("properties").path("backendAddressPools");
        assertThat(pools.get(0).path("properties").path("backendIPConfigurations").findValuesAsString("id"))
                .containsExactly(nic + "/ipConfigurations/ipconfig1");

        // the pool cannot be dropped, nor the load balancer deleted, while the NIC is in it
        HttpResponse<String> refused = delete(lb);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(code(refused)).isEqualTo("InUseBackendAddressPoolCannotBeDeleted");
        HttpResponse<String> dropped = put(lb, "{\"location\":\"westeurope\",\"sku\":{\"name\":\"Standard\"},"
                + "\"properties\":{\"frontendIPConfigurations\":[{\"name\":\"fe\",\"properties\":{\"subnet\":"
                + "{\"id\":\"" + subnet + "\"}}}]}}");
        assertThat(dropped.statusCode()).isEqualTo(400);
        assertThat(code(dropped)).isEqualTo("InUseBackendAddressPoolCannotBeDeleted");

        // a pool that does not exist refuses the NIC PUT, which changes nothing
        HttpResponse<String> ghost = put(nic, member.replace("/backendAddressPools/pool", "/backendAddressPools/ghost"));
        assertThat(ghost.statusCode()).isEqualTo(400);
        assertThat(code(ghost)).isEqualTo("InvalidResourceReference");
        assertThat(json(ghost).path("error").path("target").stringValue())
                .isEqualTo("properties.ipConfigurations[0].properties.loadBalancerBackendAddressPools[0].id");
        assertThat(json(get(lb)).path("properties").path("backendAddressPools").get(0).path("properties")
                .path("backendIPConfigurations").size()).isEqualTo(1);

        // a PUT of the NIC without the pool leaves it; deleting a NIC in a pool takes it out too
        assertThat(put(nic, member.replace(",\"loadBalancerBackendAddressPools\":[{\"id\":\"" + pool + "\"}]", ""))
                .statusCode()).isEqualTo(200);
        assertThat(json(get(lb)).path("properties").path("backendAddressPools").get(0).path("properties")
                .has("backendIPConfigurations")).isFalse();
        assertThat(put(nic, member).statusCode()).isEqualTo(200);
        assertThat(delete(nic).statusCode()).isEqualTo(200);
        assertThat(count("select count(*) from network_lb_backend_members where lb_key = ?",
                lb.toLowerCase(Locale.ROOT))).isZero();
        assertThat(delete(lb).statusCode()).isEqualTo(200);
    }

    @Test
    void everyLoadBalancerWriteIsAnEventWithItsTypeAndLocation() {
        String lb = path("loadBalancers", "evented-lb");
        String empty = "{\"location\":\"westeurope\"}";
        assertThat(put(lb, empty).statusCode()).isEqualTo(201);
        assertThat(put(lb, empty).statusCode()).isEqualTo(200);
        assertThat(delete(lb).statusCode()).isEqualTo(200);
        TopicReader reader = vmTopic();
        String key = lb.toLowerCase(Locale.ROOT);
        await().atMost(Duration.ofSeconds(60)).until(() -> reader.events(key).size() >= 3);
        List<TopicReader.Event> events = reader.events(key);
        assertThat(events.stream().map(TopicReader.Event::type).toList()).containsExactly(
                "Microsoft.Network.ResourceCreated", "Microsoft.Network.ResourceUpdated",
                "Microsoft.Network.ResourceDeleted");
        assertThat(events.getFirst().data().path("resourceType").stringValue())
                .isEqualTo("Microsoft.Network/loadBalancers");
        assertThat(events.getFirst().data().path("location").stringValue()).isEqualTo("westeurope");
    }
}
