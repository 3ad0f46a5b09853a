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

/** Microsoft.Network over HTTP: virtual networks, subnets, NICs, public IPs and NSGs, as the SDKs see them. */
class NetworkHttpTest extends ComputeVmTestSupport {

    private final String sub = newSubscription();

    String path(String type, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/net-rg/providers/Microsoft.Network/" + type + "/" + name;
    }

    static String vnetBody(String space, String... subnets) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < subnets.length; i += 2) {
            s.append(s.isEmpty() ? "" : ",").append("{\"name\":\"").append(subnets[i])
                    .append("\",\"properties\":{\"addressPrefix\":\"").append(subnets[i + 1]).append("\"}}");
        }
        return "{\"location\":\"westeurope\",\"properties\":{\"addressSpace\":{\"addressPrefixes\":[" + space
                + "]},\"subnets\":[" + s + "]}}";
    }

    String nicBody(String subnetId, String extra) {
        return "{\"location\":\"westeurope\",\"properties\":{\"ipConfigurations\":[{\"name\":\"ipconfig1\","
                + "\"properties\":{\"subnet\":{\"id\":\"" + subnetId + "\"}" + extra + "}}]}}";
    }

    private static String code(HttpResponse<String> response) {
        return json(response).path("error").path("code").stringValue();
    }

    private static String ip(HttpResponse<String> nic) {
        return json(nic).path("properties").path("ipConfigurations").get(0).path("properties")
                .path("privateIPAddress").stringValue();
    }

    @Test
    void aVirtualNetworkIsCreatedWithItsSubnetsListedPatchedAndDeleted() {
        String vnet = path("virtualNetworks", "Vnet1");
        HttpResponse<String> created = put(vnet, vnetBody("\"10.0.0.0/16\"", "default", "10.0.0.0/24"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = json(created);
        assertThat(body.path("id").stringValue()).isEqualTo(vnet);
        assertThat(body.path("type").stringValue()).isEqualTo("Microsoft.Network/virtualNetworks");
        assertThat(body.path("etag").stringValue()).startsWith("W/\"");
        assertThat(body.path("properties").path("provisioningState").stringValue()).isEqualTo("Succeeded");
        assertThat(body.path("properties").path("subnets").get(0).path("id").stringValue())
                .isEqualTo(vnet + "/subnets/default");

        HttpResponse<String> again = put(vnet, vnetBody("\"10.0.0.0/16\"", "default", "10.0.0.0/24", "web",
                "10.0.1.0/24"));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).path("etag").stringValue()).isNotEqualTo(body.path("etag").stringValue());

        HttpResponse<String> subnet = put(vnet + "/subnets/db", "{\"properties\":{\"addressPrefix\":\"10.0.2.0/24\"}}");
        assertThat(subnet.statusCode()).as(subnet.body()).isEqualTo(201);
        assertThat(json(subnet).path("type").stringValue()).isEqualTo("Microsoft.Network/virtualNetworks/subnets");
        assertThat(json(get(vnet + "/subnets")).path("value").size()).isEqualTo(3);
        assertThat(json(get(vnet + "/subnets/DB")).path("properties").path("addressPrefix").stringValue())
                .isEqualTo("10.0.2.0/24");
        assertThat(get(vnet + "/subnets/nope").statusCode()).isEqualTo(404);

        HttpResponse<String> patched = send("PATCH", withApi(vnet), "{\"tags\":{\"env\":\"prod\"}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(get(vnet)).path("tags").path("env").stringValue()).isEqualTo("prod");
        assertThat(json(get(vnet)).path("properties").path("subnets").size()).isEqualTo(3);

        assertThat(json(get("/subscriptions/" + sub + "/providers/Microsoft.Network/virtualNetworks"))
                .path("value").size()).isEqualTo(1);
        assertThat(json(get("/subscriptions/" + sub + "/resourceGroups/NET-RG/providers/Microsoft.Network/virtualNetworks"))
                .path("value").get(0).path("name").stringValue()).isEqualTo("Vnet1");

        assertThat(delete(vnet + "/subnets/db").statusCode()).isEqualTo(200);
        assertThat(delete(vnet + "/subnets/db").statusCode()).isEqualTo(204);
        assertThat(delete(vnet).statusCode()).isEqualTo(200);
        assertThat(get(vnet).statusCode()).isEqualTo(404);
        assertThat(delete(vnet).statusCode()).isEqualTo(204);
    }

    @Test
    void nicsGetTheLowestFreeAddressAfterTheReservedOnesAndReleaseItWhenDeleted() {
        String vnet = path("virtualNetworks", "alloc");
        assertThat(put(vnet, vnetBody("\"10.5.0.0/16\"", "default", "10.5.0.0/24")).statusCode()).isEqualTo(201);
        String subnet = vnet + "/subnets/default";

        HttpResponse<String> first = put(path("networkInterfaces", "nic1"), nicBody(subnet, ""));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(ip(first)).isEqualTo("10.5.0.4");
        JsonNode config = json(first).path("properties").path("ipConfigurations").get(0);
        assertThat(config.path("properties").path("privateIPAllocationMethod").stringValue()).isEqualTo("Dynamic");
        assertThat(config.path("properties").path("primary").booleanValue()).isTrue();
        assertThat(config.path("id").stringValue()).isEqualTo(path("networkInterfaces", "nic1") + "/ipConfigurations/ipconfig1");

        assertThat(ip(put(path("networkInterfaces", "nic2"), nicBody(subnet, "")))).isEqualTo("10.5.0.5");
        HttpResponse<String> fixed = put(path("networkInterfaces", "nic3"), nicBody(subnet,
                ",\"privateIPAllocationMethod\":\"Static\",\"privateIPAddress\":\"10.5.0.6\""));
        assertThat(fixed.statusCode()).as(fixed.body()).isEqualTo(201);
        assertThat(ip(fixed)).isEqualTo("10.5.0.6");
        assertThat(ip(put(path("networkInterfaces", "nic4"), nicBody(subnet, "")))).isEqualTo("10.5.0.7");
        // a PUT of the same NIC keeps its address
        assertThat(ip(put(path("networkInterfaces", "nic2"), nicBody(subnet, "")))).isEqualTo("10.5.0.5");

        JsonNode users = json(get(subnet)).path("properties").path("ipConfigurations");
        assertThat(users.findValuesAsString("id")).hasSize(4)
                .contains(path("networkInterfaces", "nic1") + "/ipConfigurations/ipconfig1");

        HttpResponse<String> inUse = delete(subnet);
        assertThat(inUse.statusCode()).isEqualTo(400);
        assertThat(code(inUse)).isEqualTo("InUseSubnetCannotBeDeleted");
        HttpResponse<String> vnetInUse = delete(vnet);
        assertThat(vnetInUse.statusCode()).isEqualTo(400);
        assertThat(code(vnetInUse)).isEqualTo("InUseSubnetCannotBeDeleted");
        HttpResponse<String> shrunk = put(vnet, vnetBody("\"10.5.0.0/16\"", "default", "10.5.0.0/25"));
        assertThat(shrunk.statusCode()).isEqualTo(400);
        assertThat(code(shrunk)).isEqualTo("InUseSubnetCannotBeUpdated");

        assertThat(delete(path("networkInterfaces", "nic1")).statusCode()).isEqualTo(200);
        assertThat(ip(put(path("networkInterfaces", "nic5"), nicBody(subnet, "")))).isEqualTo("10.5.0.4");

        for (String nic : List.of("nic2", "nic3", "nic4", "nic5")) {
            assertThat(delete(path("networkInterfaces", nic)).statusCode()).isEqualTo(200);
        }
        assertThat(json(get(subnet)).path("properties").has("ipConfigurations")).isFalse();
        assertThat(delete(vnet).statusCode()).isEqualTo(200);
    }

    @Test
    void concurrentNicsInOneSubnetNeverShareAnAddress() throws Exception {
        String vnet = path("virtualNetworks", "busy");
        assertThat(put(vnet, vnetBody("\"10.6.0.0/16\"", "default", "10.6.0.0/24")).statusCode()).isEqualTo(201);
        String subnet = vnet + "/subnets/default";
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String name = "par" + i;
            calls.add(java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> put(path("networkInterfaces", name), nicBody(subnet, ""))));
        }
        List<String> addresses = new java.util.ArrayList<>();
        for (var call : calls) {
            HttpResponse<String> r = call.get();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            addresses.add(ip(r));
        }
        assertThat(addresses).doesNotHaveDuplicates();
        assertThat(addresses.stream().map(a -> Integer.parseInt(a.substring(a.lastIndexOf('.') + 1))).sorted().toList())
                .isEqualTo(java.util.stream.IntStream.rangeClosed(4, 15).boxed().toList());
    }

    @Test
    void aStaticPublicIpGetsAnAddressFromThePoolAndADnsNameAndCannotBeDeletedWhileANicUsesIt() {
        String pip = path("publicIPAddresses", "web-ip");
        HttpResponse<String> created = put(pip, "{\"location\":\"westeurope\",\"sku\":{\"name\":\"Standard\"},"
                + "\"properties\":{\"dnsSettings\":{\"domainNameLabel\":\"web-" + sub.substring(0, 8) + "\"}}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode p = json(created).path("properties");
        assertThat(p.path("publicIPAllocationMethod").stringValue()).isEqualTo("Static");
        assertThat(Ipv4Prefix.parse("198.18.0.0/15").orElseThrow()
                .contains(Ipv4Prefix.parseAddress(p.path("ipAddress").stringValue()).orElseThrow())).isTrue();
        assertThat(p.path("dnsSettings").path("fqdn").stringValue())
                .isEqualTo("web-" + sub.substring(0, 8) + ".westeurope.cloudapp.localhost");

        HttpResponse<String> sameLabel = put(path("publicIPAddresses", "other-ip"), "{\"location\":\"westeurope\","
                + "\"properties\":{\"dnsSettings\":{\"domainNameLabel\":\"web-" + sub.substring(0, 8) + "\"}}}");
        assertThat(sameLabel.statusCode()).isEqualTo(400);
        assertThat(code(sameLabel)).isEqualTo("DnsRecordInUse");
        assertThat(get(path("publicIPAddresses", "other-ip")).statusCode()).isEqualTo(404);

        HttpResponse<String> dynamic = put(path("publicIPAddresses", "dyn-ip"), "{\"location\":\"westeurope\"}");
        assertThat(dynamic.statusCode()).isEqualTo(201);
        assertThat(json(dynamic).path("sku").path("name").stringValue()).isEqualTo("Basic");
        assertThat(json(dynamic).path("properties").path("publicIPAllocationMethod").stringValue()).isEqualTo("Dynamic");
        assertThat(json(dynamic).path("properties").has("ipAddress")).isFalse();

        String vnet = path("virtualNetworks", "pipnet");
        assertThat(put(vnet, vnetBody("\"10.7.0.0/16\"", "default", "10.7.0.0/24")).statusCode()).isEqualTo(201);
        String nic = path("networkInterfaces", "web-nic");
        HttpResponse<String> withIp = put(nic, nicBody(vnet + "/subnets/default",
                ",\"publicIPAddress\":{\"id\":\"" + pip + "\"}"));
        assertThat(withIp.statusCode()).as(withIp.body()).isEqualTo(201);
        assertThat(json(get(pip)).path("properties").path("ipConfiguration").path("id").stringValue())
                .isEqualTo(nic + "/ipConfigurations/ipconfig1");

        HttpResponse<String> twice = put(path("networkInterfaces", "thief"), nicBody(vnet + "/subnets/default",
                ",\"publicIPAddress\":{\"id\":\"" + pip + "\"}"));
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(code(twice)).isEqualTo("PublicIPAddressInUse");

        HttpResponse<String> inUse = delete(pip);
        assertThat(inUse.statusCode()).isEqualTo(400);
        assertThat(code(inUse)).isEqualTo("PublicIPAddressInUse");
        assertThat(delete(nic).statusCode()).isEqualTo(200);
        assertThat(delete(pip).statusCode()).isEqualTo(200);
        // the label is free again
        assertThat(put(path("publicIPAddresses", "other-ip"), "{\"location\":\"westeurope\",\"properties\":"
                + "{\"dnsSettings\":{\"domainNameLabel\":\"web-" + sub.substring(0, 8) + "\"}}}").statusCode())
                .isEqualTo(201);
    }

    @Test
    void aSecurityGroupListsAzuresDefaultRulesTakesChildRulesAndKnowsWhoUsesIt() {
        String nsg = path("networkSecurityGroups", "web-nsg");
        HttpResponse<String> created = put(nsg, "{\"location\":\"westeurope\",\"properties\":{\"securityRules\":[{"
                + "\"name\":\"ssh\",\"properties\":{\"protocol\":\"Tcp\",\"sourcePortRange\":\"*\","
                + "\"destinationPortRange\":\"22\",\"sourceAddressPrefix\":\"*\",\"destinationAddressPrefix\":\"*\","
                + "\"access\":\"Allow\",\"priority\":1000,\"direction\":\"Inbound\"}}]}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode p = json(created).path("properties");
        assertThat(p.path("defaultSecurityRules").findValuesAsString("name")).containsExactly("AllowVnetInBound",
                "AllowAzureLoadBalancerInBound", "DenyAllInBound", "AllowVnetOutBound", "AllowInternetOutBound",
                "DenyAllOutBound");
        assertThat(p.path("securityRules").get(0).path("id").stringValue()).isEqualTo(nsg + "/securityRules/ssh");

        String rule = "{\"properties\":{\"protocol\":\"Tcp\",\"sourcePortRange\":\"*\",\"destinationPortRange\":"
                + "\"80-443\",\"sourceAddressPrefix\":\"Internet\",\"destinationAddressPrefix\":\"10.0.0.0/8\","
                + "\"access\":\"Allow\",\"priority\":%d,\"direction\":\"Inbound\"}}";
        HttpResponse<String> conflict = put(nsg + "/securityRules/web", rule.formatted(1000));
        assertThat(conflict.statusCode()).isEqualTo(400);
        assertThat(code(conflict)).isEqualTo("SecurityRuleConflict");
        HttpResponse<String> web = put(nsg + "/securityRules/web", rule.formatted(1010));
        assertThat(web.statusCode()).as(web.body()).isEqualTo(201);
        assertThat(json(get(nsg + "/securityRules")).path("value").size()).isEqualTo(2);
        assertThat(json(get(nsg + "/defaultSecurityRules")).path("value").size()).isEqualTo(6);
        assertThat(delete(nsg + "/securityRules/web").statusCode()).isEqualTo(200);
        assertThat(delete(nsg + "/securityRules/web").statusCode()).isEqualTo(204);

        String vnet = path("virtualNetworks", "nsgnet");
        HttpResponse<String> guarded = put(vnet, "{\"location\":\"westeurope\",\"properties\":{\"addressSpace\":"
                + "{\"addressPrefixes\":[\"10.8.0.0/16\"]},\"subnets\":[{\"name\":\"default\",\"properties\":"
                + "{\"addressPrefix\":\"10.8.0.0/24\",\"networkSecurityGroup\":{\"id\":\"" + nsg + "\"}}}]}}");
        assertThat(guarded.statusCode()).as(guarded.body()).isEqualTo(201);
        String nic = path("networkInterfaces", "guarded-nic");
        String nicBody = "{\"location\":\"westeurope\",\"properties\":{\"networkSecurityGroup\":{\"id\":\"" + nsg
                + "\"},\"ipConfigurations\":[{\"name\":\"ipconfig1\",\"properties\":{\"subnet\":{\"id\":\"" + vnet
                + "/subnets/default\"}}}]}}";
        assertThat(put(nic, nicBody).statusCode()).isEqualTo(201);
        JsonNode users = json(get(nsg)).path("properties");
        assertThat(users.path("networkInterfaces").get(0).path("id").stringValue()).isEqualTo(nic);
        assertThat(users.path("subnets").get(0).path("id").stringValue()).isEqualTo(vnet + "/subnets/default");

        HttpResponse<String> inUse = delete(nsg);
        assertThat(inUse.statusCode()).isEqualTo(400);
        assertThat(code(inUse)).isEqualTo("InUseNetworkSecurityGroupCannotBeDeleted");
        assertThat(delete(nic).statusCode()).isEqualTo(200);
        assertThat(delete(vnet).statusCode()).isEqualTo(200);
        assertThat(delete(nsg).statusCode()).isEqualTo(200);
    }

    @Test
    void everyWriteIsAnEventOnTheComputeVmTopic() {
        String vnet = path("virtualNetworks", "evented");
        assertThat(put(vnet, vnetBody("\"10.9.0.0/16\"")).statusCode()).isEqualTo(201);
        assertThat(put(vnet, vnetBody("\"10.9.0.0/16\"", "a", "10.9.0.0/24")).statusCode()).isEqualTo(200);
        assertThat(delete(vnet).statusCode()).isEqualTo(200);
        TopicReader reader = vmTopic();
        String key = vnet.toLowerCase(Locale.ROOT);
        await().atMost(Duration.ofSeconds(60)).until(() -> reader.events(key).size() >= 3);
        List<TopicReader.Event> events = reader.events(key);
        assertThat(events.stream().map(TopicReader.Event::type).toList()).containsExactly(
                "Microsoft.Network.ResourceCreated", "Microsoft.Network.ResourceUpdated",
                "Microsoft.Network.ResourceDeleted");
        assertThat(events.getFirst().data().path("resourceType").stringValue())
                .isEqualTo("Microsoft.Network/virtualNetworks");
        assertThat(events.getFirst().data().path("name").stringValue()).isEqualTo("evented");
    }

    @Test
    void anIfMatchThatDoesNotMatchIsRefusedAndIfNoneMatchStarCreatesOnlyOnce() {
        String nsg = path("networkSecurityGroups", "etagged");
        HttpResponse<String> created = put(nsg, "{\"location\":\"westeurope\"}", "If-None-Match", "*");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(put(nsg, "{\"location\":\"westeurope\"}", "If-None-Match", "*").statusCode()).isEqualTo(412);
        assertThat(put(nsg, "{\"location\":\"westeurope\"}", "If-Match", "W/\"nope\"").statusCode()).isEqualTo(412);
        assertThat(put(nsg, "{\"location\":\"westeurope\"}", "If-Match", json(created).path("etag").stringValue())
                .statusCode()).isEqualTo(200);
        assertThat(delete(nsg, "If-Match", "W/\"nope\"").statusCode()).isEqualTo(412);
        assertThat(delete(nsg).statusCode()).isEqualTo(200);
    }
}
