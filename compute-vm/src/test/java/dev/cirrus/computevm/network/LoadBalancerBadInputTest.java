package dev.cirrus.computevm.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

import dev.cirrus.computevm.ComputeVmTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The bad-input table of load balancers: each case is Azure's status and code, an ARM error body with its target,
 * and nothing changes (every network row of the subscription, every address held, every pool member as before).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadBalancerBadInputTest extends ComputeVmTestSupport {

    static final String SUB = UUID.randomUUID().toString();
    static final String RG = "/subscriptions/" + SUB + "/resourceGroups/lb-bad/providers/Microsoft.Network/";
    static final String VNET = RG + "virtualNetworks/base";
    static final String SUBNET = VNET + "/subnets/default";
    static final String LB = RG + "loadBalancers/lb";
    static final String USED_LB = RG + "loadBalancers/used";
    static final String STANDARD_IP = RG + "publicIPAddresses/standard";
    static final String BASIC_IP = RG + "publicIPAddresses/basic";
    static final String NIC_IP = RG + "publicIPAddresses/on-a-nic";
    static final String LB_IP = RG + "publicIPAddresses/on-an-lb";

    /** One row of the table. */
    record Case(String name, String method, String path, String body, int status, String code, String target) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    void fixture() {
        expect(put(VNET, NetworkHttpTest.vnetBody("\"10.50.0.0/16\"", "default", "10.50.0.0/24")), 201);
        expect(put(STANDARD_IP, "{\"location\":\"westeurope\",\"sku\":{\"name\":\"Standard\"}}"), 201);
        expect(put(BASIC_IP, "{\"location\":\"westeurope\",\"sku\":{\"name\":\"Basic\"}}"), 201);
        expect(put(NIC_IP, "{\"location\":\"westeurope\",\"sku\":{\"name\":\"Standard\"}}"), 201);
        expect(put(LB_IP, "{\"location\":\"westeurope\",\"sku\":{\"name\":\"Standard\"}}"), 201);
        expect(put(RG + "networkInterfaces/holder", "{\"location\":\"westeurope\",\"properties\":{\"ipConfigurations\":"
                + "[{\"name\":\"c\",\"properties\":{\"subnet\":{\"id\":\"" + SUBNET + "\"},\"privateIPAllocationMethod\":"
                + "\"Static\",\"privateIPAddress\":\"10.50.0.10\",\"publicIPAddress\":{\"id\":\"" + NIC_IP + "\"}}}]}}"),
                201);
        expect(put(USED_LB, body("Standard", USED_LB, "{\"publicIPAddress\":{\"id\":\"" + LB_IP + "\"}}", "", "")),
                201);
        expect(put(RG + "networkInterfaces/member", "{\"location\":\"westeurope\",\"properties\":{\"ipConfigurations\":"
                + "[{\"name\":\"c\",\"properties\":{\"subnet\":{\"id\":\"" + SUBNET + "\"},"
                + "\"loadBalancerBackendAddressPools\":[{\"id\":\"" + USED_LB + "/backendAddressPools/pool\"}]}}]}}"),
                201);
    }

    private void expect(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    }

    /**
     * A load balancer {@code lb} with frontend {@code fe} (the given properties), pool {@code pool}, Tcp probe
     * {@code tcp}, Http probe properties {@code probe} when given, and the given rules and NAT rules (JSON elements).
     */
    static String body(String sku, String lb, String frontend, String rules, String natRules) {
        return body(sku, lb, frontend, "{\"protocol\":\"Tcp\",\"port\":80}", rules, natRules);
    }

    static String body(String sku, String lb, String frontend, String probe, String rules, String natRules) {
        return "{\"location\":\"westeurope\",\"sku\":{\"name\":\"" + sku + "\"},\"properties\":{"
                + "\"frontendIPConfigurations\":[{\"name\":\"fe\",\"properties\":" + frontend + "}],"
                + "\"backendAddressPools\":[{\"name\":\"pool\"}],"
                + "\"probes\":[{\"name\":\"probe\",\"properties\":" + probe + "}],"
                + "\"loadBalancingRules\":[" + rules + "],\"inboundNatRules\":[" + natRules + "]}}";
    }

    static String rule(String name, String protocol, Object frontendPort, Object backendPort, String extra) {
        return "{\"name\":\"" + name + "\",\"properties\":{\"frontendIPConfiguration\":{\"id\":\"" + LB
                + "/frontendIPConfigurations/fe\"},\"backendAddressPool\":{\"id\":\"" + LB + "/backendAddressPools/pool\"},"
                + "\"probe\":{\"id\":\"" + LB + "/probes/probe\"},\"protocol\":\"" + protocol + "\",\"frontendPort\":"
                + frontendPort + ",\"backendPort\":" + backendPort + extra + "}}";
    }

    static String nat(String name, Object frontendPort) {
        return "{\"name\":\"" + name + "\",\"properties\":{\"frontendIPConfiguration\":{\"id\":\"" + LB
                + "/frontendIPConfigurations/fe\"},\"protocol\":\"Tcp\",\"frontendPort\":" + frontendPort
                + ",\"backendPort\":22}}";
    }

    static final String PRIVATE = "{\"subnet\":{\"id\":\"" + SUBNET + "\"}}";
    static final String PUBLIC = "{\"publicIPAddress\":{\"id\":\"" + STANDARD_IP + "\"}}";

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        String r0 = "properties.loadBalancingRules[0].properties";
        cases.add(new Case("no location", "PUT", LB, "{\"properties\":{}}", 400, "LocationRequired", "location"));
        cases.add(new Case("unknown sku", "PUT", LB, "{\"location\":\"westeurope\",\"sku\":{\"name\":\"Premium\"}}",
                400, "InvalidParameter", "sku.name"));
        cases.add(new Case("bad name", "PUT", RG + "loadBalancers/-lb", "{\"location\":\"westeurope\"}", 400,
                "InvalidResourceName", "name"));
        cases.add(new Case("frontend with neither public IP nor subnet", "PUT", LB,
                body("Standard", LB, "{}", "", ""), 400, "InvalidRequestFormat",
                "properties.frontendIPConfigurations[0].properties.publicIPAddress"));
        cases.add(new Case("frontend with both public IP and subnet", "PUT", LB,
                body("Standard", LB, "{\"publicIPAddress\":{\"id\":\"" + STANDARD_IP + "\"},\"subnet\":{\"id\":\""
                        + SUBNET + "\"}}", "", ""), 400, "InvalidRequestFormat",
                "properties.frontendIPConfigurations[0].properties.subnet"));
        cases.add(new Case("public IP that does not exist", "PUT", LB,
                body("Standard", LB, "{\"publicIPAddress\":{\"id\":\"" + RG + "publicIPAddresses/ghost\"}}", "", ""),
                400, "InvalidResourceReference",
                "properties.frontendIPConfigurations[0].properties.publicIPAddress.id"));
        cases.add(new Case("Basic public IP on a Standard load balancer", "PUT", LB,
                body("Standard", LB, "{\"publicIPAddress\":{\"id\":\"" + BASIC_IP + "\"}}", "", ""), 400,
                "PublicIPAndLBSkuDoNotMatch", "properties.frontendIPConfigurations[0].properties.publicIPAddress.id"));
        cases.add(new Case("public IP a NIC uses", "PUT", LB,
                body("Standard", LB, "{\"publicIPAddress\":{\"id\":\"" + NIC_IP + "\"}}", "", ""), 400,
                "PublicIPAddressInUse", "properties.frontendIPConfigurations[0].properties.publicIPAddress.id"));
        cases.add(new Case("public IP another load balancer uses", "PUT", LB,
                body("Standard", LB, "{\"publicIPAddress\":{\"id\":\"" + LB_IP + "\"}}", "", ""), 400,
                "PublicIPAddressInUse", "properties.frontendIPConfigurations[0].properties.publicIPAddress.id"));
        cases.add(new Case("subnet that does not exist", "PUT", LB,
                body("Standard", LB, "{\"subnet\":{\"id\":\"" + VNET + "/subnets/ghost\"}}", "", ""), 400,
                "InvalidResourceReference", "properties.frontendIPConfigurations[0].properties.subnet.id"));
        cases.add(new Case("Static frontend address a NIC holds", "PUT", LB,
                body("Standard", LB, "{\"subnet\":{\"id\":\"" + SUBNET + "\"},\"privateIPAllocationMethod\":\"Static\","
                        + "\"privateIPAddress\":\"10.50.0.10\"}", "", ""), 400, "PrivateIPAddressInUse",
                "properties.frontendIPConfigurations[0].properties.privateIPAddress"));
        cases.add(new Case("Static frontend address outside the subnet", "PUT", LB,
                body("Standard", LB, "{\"subnet\":{\"id\":\"" + SUBNET + "\"},\"privateIPAllocationMethod\":\"Static\","
                        + "\"privateIPAddress\":\"10.50.9.10\"}", "", ""), 400, "PrivateIPAddressNotInSubnet",
                "properties.frontendIPConfigurations[0].properties.privateIPAddress"));
        cases.add(new Case("Static frontend without an address", "PUT", LB,
                body("Standard", LB, "{\"subnet\":{\"id\":\"" + SUBNET + "\"},\"privateIPAllocationMethod\":\"Static\"}",
                        "", ""), 400, "PrivateIPAddressRequired",
                "properties.frontendIPConfigurations[0].properties.privateIPAddress"));
        cases.add(new Case("probe interval under 5 seconds", "PUT", LB, body("Standard", LB, PRIVATE,
                "{\"protocol\":\"Tcp\",\"port\":80,\"intervalInSeconds\":4}", "", ""), 400, "InvalidParameter",
                "properties.probes[0].properties.intervalInSeconds"));
        cases.add(new Case("Http probe without a requestPath", "PUT", LB, body("Standard", LB, PRIVATE,
                "{\"protocol\":\"Http\",\"port\":80}", "", ""), 400, "InvalidParameter",
                "properties.probes[0].properties.requestPath"));
        cases.add(new Case("probe protocol Icmp", "PUT", LB, body("Standard", LB, PRIVATE,
                "{\"protocol\":\"Icmp\",\"port\":80}", "", ""), 400, "InvalidParameter",
                "properties.probes[0].properties.protocol"));
        cases.add(new Case("probe port 0", "PUT", LB, body("Standard", LB, PRIVATE,
                "{\"protocol\":\"Tcp\",\"port\":0}", "", ""), 400, "InvalidParameter",
                "properties.probes[0].properties.port"));
        cases.add(new Case("probe without a port", "PUT", LB, body("Standard", LB, PRIVATE,
                "{\"protocol\":\"Tcp\"}", "", ""), 400, "InvalidParameter", "properties.probes[0].properties.port"));
        cases.add(new Case("rule frontend port 65535", "PUT", LB, body("Standard", LB, PRIVATE,
                rule("r", "Tcp", 65535, 80, ""), ""), 400, "InvalidParameter", r0 + ".frontendPort"));
        cases.add(new Case("rule backend port -1", "PUT", LB, body("Standard", LB, PRIVATE,
                rule("r", "Tcp", 80, -1, ""), ""), 400, "InvalidParameter", r0 + ".backendPort"));
        cases.add(new Case("rule protocol Icmp", "PUT", LB, body("Standard", LB, PRIVATE,
                rule("r", "Icmp", 80, 80, ""), ""), 400, "InvalidParameter", r0 + ".protocol"));
        cases.add(new Case("rule protocol All on port 80", "PUT", LB, body("Standard", LB, PRIVATE,
                rule("r", "All", 80, 80, ""), ""), 400, "InvalidParameter", r0 + ".frontendPort"));
        cases.add(new Case("idle timeout 31 on Basic", "PUT", LB, body("Basic", LB, PRIVATE,
                rule("r", "Tcp", 80, 80, ",\"idleTimeoutInMinutes\":31"), ""), 400, "InvalidParameter",
                r0 + ".idleTimeoutInMinutes"));
        cases.add(new Case("idle timeout 101 on Standard", "PUT", LB, body("Standard", LB, PRIVATE,
                rule("r", "Tcp", 80, 80, ",\"idleTimeoutInMinutes\":101"), ""), 400, "InvalidParameter",
                r0 + ".idleTimeoutInMinutes"));
        cases.add(new Case("idle timeout 3", "PUT", LB, body("Standard", LB, PRIVATE,
                rule("r", "Tcp", 80, 80, ",\"idleTimeoutInMinutes\":3"), ""), 400, "InvalidParameter",
                r0 + ".idleTimeoutInMinutes"));
        cases.add(new Case("two rules on the same frontend, protocol and port", "PUT", LB, body("Standard", LB, PRIVATE,
                rule("a", "Tcp", 80, 80, "") + "," + rule("b", "Tcp", 80, 81, ""), ""), 400,
                "RulesUseSameFrontendIpConfigurationProtocolAndPort",
                "properties.loadBalancingRules[1].properties.frontendPort"));
        cases.add(new Case("a NAT rule on a rule's frontend port", "PUT", LB, body("Standard", LB, PRIVATE,
                rule("a", "Tcp", 2222, 80, ""), nat("ssh", 2222)), 400,
                "RulesUseSameFrontendIpConfigurationProtocolAndPort",
                "properties.inboundNatRules[0].properties.frontendPort"));
        cases.add(new Case("two rules on the same pool, protocol and backend port", "PUT", LB, body("Standard", LB,
                PRIVATE, rule("a", "Tcp", 80, 8080, "") + "," + rule("b", "Tcp", 81, 8080, ""), ""), 400,
                "RulesUseSameBackendPortProtocolAndPool", "properties.loadBalancingRules[1].properties.backendPort"));
        cases.add(new Case("rule pointing at a frontend that does not exist", "PUT", LB, body("Standard", LB, PRIVATE,
                rule("r", "Tcp", 80, 80, "").replace("/frontendIPConfigurations/fe", "/frontendIPConfigurations/x"),
                ""), 400, "InvalidResourceReference", r0 + ".frontendIPConfiguration.id"));
        cases.add(new Case("rule pointing at another load balancer's pool", "PUT", LB, body("Standard", LB, PRIVATE,
                rule("r", "Tcp", 80, 80, "").replace(LB + "/backendAddressPools", USED_LB + "/backendAddressPools"),
                ""), 400, "InvalidResourceReference", r0 + ".backendAddressPool.id"));
        cases.add(new Case("rule without a backend pool", "PUT", LB, body("Standard", LB, PRIVATE,
                rule("r", "Tcp", 80, 80, "").replace("\"backendAddressPool\":{\"id\":\"" + LB
                        + "/backendAddressPools/pool\"},", ""), ""), 400, "InvalidParameter",
                r0 + ".backendAddressPool"));
        cases.add(new Case("NAT rule frontend port 0", "PUT", LB, body("Standard", LB, PRIVATE, "", nat("ssh", 0)),
                400, "InvalidParameter", "properties.inboundNatRules[0].properties.frontendPort"));
        cases.add(new Case("two pools with one name", "PUT", LB, "{\"location\":\"westeurope\",\"properties\":"
                + "{\"backendAddressPools\":[{\"name\":\"p\"},{\"name\":\"P\"}]}}", 400, "DuplicateResourceName",
                "properties.backendAddressPools[1].name"));
        cases.add(new Case("changing the SKU", "PUT", USED_LB, body("Basic", USED_LB, PRIVATE, "", ""), 409,
                "PropertyChangeNotAllowed", "sku.name"));
        cases.add(new Case("deleting a public IP a frontend uses", "DELETE", LB_IP, null, 400, "PublicIPAddressInUse",
                null));
        cases.add(new Case("deleting a load balancer whose pool has a NIC", "DELETE", USED_LB, null, 400,
                "InUseBackendAddressPoolCannotBeDeleted", null));
        cases.add(new Case("NIC joining a pool that does not exist", "PUT", RG + "networkInterfaces/joiner",
                "{\"location\":\"westeurope\",\"properties\":{\"ipConfigurations\":[{\"name\":\"c\",\"properties\":"
                        + "{\"subnet\":{\"id\":\"" + SUBNET + "\"},\"loadBalancerBackendAddressPools\":[{\"id\":\""
                        + USED_LB + "/backendAddressPools/ghost\"}]}}]}}", 400, "InvalidResourceReference",
                "properties.ipConfigurations[0].properties.loadBalancerBackendAddressPools[0].id"));
        cases.add(new Case("NIC naming a pool with a subnet id", "PUT", RG + "networkInterfaces/joiner",
                "{\"location\":\"westeurope\",\"properties\":{\"ipConfigurations\":[{\"name\":\"c\",\"properties\":"
                        + "{\"subnet\":{\"id\":\"" + SUBNET + "\"},\"loadBalancerBackendAddressPools\":[{\"id\":\""
                        + SUBNET + "\"}]}}]}}", 400, "LinkedInvalidPropertyId",
                "properties.ipConfigurations[0].properties.loadBalancerBackendAddressPools[0].id"));
        return cases.stream();
    }

    @Test
    void theTableIsLargeEnough() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(15);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsRefusedWithAzuresCodeAndChangesNothing(Case c) {
        List<String> before = state();
        HttpResponse<String> response = c.method().equals("DELETE") ? delete(c.path())
                : send(c.method(), withApi(c.path()), c.body());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(c.status());
        JsonNode error = json(response).path("error");
        assertThat(error.path("code").stringValue()).as(response.body()).isEqualTo(c.code());
        assertThat(error.path("message").stringValue()).isNotBlank();
        if (c.target() != null) {
            assertThat(error.path("target").stringValue()).as(response.body()).isEqualTo(c.target());
        }
        assertThat(state()).isEqualTo(before);
    }

    /** Every network row of the subscription with its ETag, every address held, every pool member. */
    private List<String> state() {
        String sub = SUB.toLowerCase(Locale.ROOT);
        String like = "/subscriptions/" + sub + "/%";
        List<String> rows = new ArrayList<>(jdbc.queryForList("select resource_key || ' ' || etag from "
                + "network_resources where subscription_key = ? order by resource_key", String.class, sub));
        rows.addAll(jdbc.queryForList("select subnet_key || ' ' || address || ' ' || nic_key from network_private_ips "
                + "where nic_key like ? order by 1", String.class, like));
        rows.addAll(jdbc.queryForList("select public_ip_key || ' ' || address from network_public_ips "
                + "where public_ip_key like ? order by 1", String.class, like));
        rows.addAll(jdbc.queryForList("select pool_key || ' ' || ip_configuration_id from network_lb_backend_members "
                + "where lb_key like ? order by 1", String.class, like));
        return rows;
    }
}
