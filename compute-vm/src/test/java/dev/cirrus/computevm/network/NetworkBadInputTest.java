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
 * The bad-input table of Microsoft.Network, generated from templates: every bad CIDR in every place a prefix goes,
 * Static addresses outside, reserved or taken, references that do not exist or are used elsewhere, duplicate NSG
 * priorities, bad rules, in-use deletes. Each is Azure's status and code, an ARM error body with its target, and
 * nothing changes (every network row of the subscription, every address held is as before).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkBadInputTest extends ComputeVmTestSupport {

    static final String SUB = UUID.randomUUID().toString();
    static final String RG = "/subscriptions/" + SUB + "/resourceGroups/bad-rg/providers/Microsoft.Network/";
    static final String VNET = RG + "virtualNetworks/base";
    static final String SUBNET = VNET + "/subnets/default";
    static final String FAR_SUBNET = RG + "virtualNetworks/far/subnets/default";
    static final String HOLDER = RG + "networkInterfaces/holder";
    static final String USED_IP = RG + "publicIPAddresses/used";
    static final String NSG = RG + "networkSecurityGroups/nsg";

    /** One row of the table. */
    record Case(String name, String method, String path, String body, int status, String code, String target) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    void fixture() {
        expect(put(VNET, NetworkHttpTest.vnetBody("\"10.20.0.0/16\"", "default", "10.20.0.0/24")), 201);
        expect(put(RG + "virtualNetworks/far", "{\"location\":\"northeurope\",\"properties\":{\"addressSpace\":"
                + "{\"addressPrefixes\":[\"10.30.0.0/16\"]},\"subnets\":[{\"name\":\"default\",\"properties\":"
                + "{\"addressPrefix\":\"10.30.0.0/24\"}}]}}"), 201);
        expect(put(USED_IP, "{\"location\":\"westeurope\",\"sku\":{\"name\":\"Standard\"}}"), 201);
        expect(put(NSG, "{\"location\":\"westeurope\",\"properties\":{\"securityRules\":[" + rule("ssh", 1000, "22")
                + "]}}"), 201);
        expect(put(HOLDER, nic(",\"privateIPAllocationMethod\":\"Static\",\"privateIPAddress\":\"10.20.0.10\","
                + "\"publicIPAddress\":{\"id\":\"" + USED_IP + "\"}")), 201);
        // a NIC using the NSG, so that deleting the NSG has something to refuse
        expect(put(RG + "networkInterfaces/nsg-user", "{\"location\":\"westeurope\",\"properties\":"
                + "{\"networkSecurityGroup\":{\"id\":\"" + NSG + "\"},\"ipConfigurations\":[{\"name\":\"c\","
                + "\"properties\":{\"subnet\":{\"id\":\"" + SUBNET + "\"}}}]}}"), 201);
    }

    private void expect(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    }

    static String rule(String name, int priority, String port) {
        return "{\"name\":\"" + name + "\",\"properties\":" + ruleProperties(priority, port, "*", "Tcp") + "}";
    }

    static String ruleProperties(Object priority, String port, String prefix, String protocol) {
        return "{\"protocol\":\"" + protocol + "\",\"sourcePortRange\":\"*\",\"destinationPortRange\":\"" + port
                + "\",\"sourceAddressPrefix\":\"" + prefix + "\",\"destinationAddressPrefix\":\"*\","
                + "\"access\":\"Allow\",\"priority\":" + priority + ",\"direction\":\"Inbound\"}";
    }

    static String nic(String extra) {
        return nic(SUBNET, extra);
    }

    static String nic(String subnet, String extra) {
        return "{\"location\":\"westeurope\",\"properties\":{\"ipConfigurations\":[{\"name\":\"ipconfig1\","
                + "\"properties\":{\"subnet\":{\"id\":\"" + subnet + "\"}" + extra + "}}]}}";
    }

    static String staticIp(String address) {
        return ",\"privateIPAllocationMethod\":\"Static\",\"privateIPAddress\":\"" + address + "\"";
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        List<String> badCidrs = List.of("10.0.0.0", "10.0.0.0/33", "10.20.0.1/16", "300.0.0.0/8", "ten/8",
                "10.0.0.0/-1", "10.0.0.0/16/2");
        for (String cidr : badCidrs) {
            cases.add(new Case("vnet address prefix " + cidr, "PUT", RG + "virtualNetworks/new",
                    NetworkHttpTest.vnetBody("\"" + cidr + "\""), 400, "InvalidAddressPrefixFormat",
                    "properties.addressSpace.addressPrefixes[0]"));
            cases.add(new Case("subnet prefix " + cidr, "PUT", VNET + "/subnets/new",
                    "{\"properties\":{\"addressPrefix\":\"" + cidr + "\"}}", 400, "InvalidAddressPrefixFormat",
                    "properties.addressPrefix"));
            if (Ipv4Prefix.parseAddress(cidr).isPresent()) {
                continue; // a rule may name a single address
            }
            cases.add(new Case("rule source prefix " + cidr, "PUT", NSG + "/securityRules/new",
                    "{\"properties\":" + ruleProperties(2000, "80", cidr, "Tcp") + "}", 400,
                    "SecurityRuleInvalidAddressPrefix", "properties.sourceAddressPrefix"));
        }
        cases.add(new Case("overlapping vnet prefixes", "PUT", RG + "virtualNetworks/new",
                NetworkHttpTest.vnetBody("\"10.0.0.0/16\",\"10.0.1.0/24\""), 400, "VnetAddressSpacesOverlap",
                "properties.addressSpace.addressPrefixes[1]"));
        cases.add(new Case("no address space", "PUT", RG + "virtualNetworks/new",
                "{\"location\":\"westeurope\"}", 400, "InvalidRequestFormat", "properties.addressSpace.addressPrefixes"));
        cases.add(new Case("vnet without location", "PUT", RG + "virtualNetworks/new",
                "{\"properties\":{\"addressSpace\":{\"addressPrefixes\":[\"10.0.0.0/16\"]}}}", 400, "LocationRequired",
                "location"));
        cases.add(new Case("vnet name starting with '-'", "PUT", RG + "virtualNetworks/-new",
                NetworkHttpTest.vnetBody("\"10.0.0.0/16\""), 400, "InvalidResourceName", "name"));
        cases.add(new Case("address prefixes not an array", "PUT", RG + "virtualNetworks/new",
                "{\"location\":\"westeurope\",\"properties\":{\"addressSpace\":{\"addressPrefixes\":\"10.0.0.0/16\"}}}",
                400, "InvalidRequestContent", "properties.addressSpace.addressPrefixes"));
        cases.add(new Case("subnet outside the space", "PUT", VNET + "/subnets/new",
                "{\"properties\":{\"addressPrefix\":\"10.21.0.0/24\"}}", 400, "NetcfgSubnetRangeOutsideVnet",
                "properties.addressPrefix"));
        cases.add(new Case("subnet overlapping a sibling", "PUT", VNET + "/subnets/new",
                "{\"properties\":{\"addressPrefix\":\"10.20.0.128/25\"}}", 400, "NetcfgSubnetRangesOverlap",
                "properties.addressPrefix"));
        cases.add(new Case("subnet smaller than a /29", "PUT", VNET + "/subnets/new",
                "{\"properties\":{\"addressPrefix\":\"10.20.1.0/30\"}}", 400, "NetcfgInvalidSubnet",
                "properties.addressPrefix"));
        cases.add(new Case("subnet without a prefix", "PUT", VNET + "/subnets/new", "{\"properties\":{}}", 400,
                "InvalidRequestFormat", "properties.addressPrefix"));
        cases.add(new Case("subnet with an NSG that does not exist", "PUT", VNET + "/subnets/new",
                "{\"properties\":{\"addressPrefix\":\"10.20.1.0/24\",\"networkSecurityGroup\":{\"id\":\""
                        + RG + "networkSecurityGroups/ghost\"}}}", 400, "InvalidResourceReference",
                "properties.networkSecurityGroup.id"));
        cases.add(new Case("subnet of a vnet that does not exist", "PUT", RG + "virtualNetworks/ghost/subnets/a",
                "{\"properties\":{\"addressPrefix\":\"10.20.1.0/24\"}}", 404, "ResourceNotFound", null));
        cases.add(new Case("inline subnets overlapping", "PUT", RG + "virtualNetworks/new",
                NetworkHttpTest.vnetBody("\"10.0.0.0/16\"", "a", "10.0.0.0/24", "b", "10.0.0.0/25"), 400,
                "NetcfgSubnetRangesOverlap", "properties.subnets[1].properties.addressPrefix"));
        cases.add(new Case("inline subnets with one name", "PUT", RG + "virtualNetworks/new",
                NetworkHttpTest.vnetBody("\"10.0.0.0/16\"", "a", "10.0.0.0/24", "A", "10.0.1.0/24"), 400,
                "DuplicateResourceName", "properties.subnets[1].name"));
        cases.add(new Case("replacing the vnet without its used subnet", "PUT", VNET,
                NetworkHttpTest.vnetBody("\"10.20.0.0/16\""), 400, "InUseSubnetCannotBeDeleted", null));
        // network interfaces
        cases.add(new Case("static address outside the subnet", "PUT", RG + "networkInterfaces/new",
                nic(staticIp("10.20.1.5")), 400, "PrivateIPAddressNotInSubnet",
                "properties.ipConfigurations[0].properties.privateIPAddress"));
        for (String reserved : List.of("10.20.0.0", "10.20.0.1", "10.20.0.2", "10.20.0.3", "10.20.0.255")) {
            cases.add(new Case("static reserved address " + reserved, "PUT", RG + "networkInterfaces/new",
                    nic(staticIp(reserved)), 400, "PrivateIPAddressInReservedRange",
                    "properties.ipConfigurations[0].properties.privateIPAddress"));
        }
        cases.add(new Case("static address taken", "PUT", RG + "networkInterfaces/new", nic(staticIp("10.20.0.10")),
                400, "PrivateIPAddressInUse", "properties.ipConfigurations[0].properties.privateIPAddress"));
        cases.add(new Case("static address not an address", "PUT", RG + "networkInterfaces/new",
                nic(staticIp("10.20.0.300")), 400, "InvalidParameter",
                "properties.ipConfigurations[0].properties.privateIPAddress"));
        cases.add(new Case("static without an address", "PUT", RG + "networkInterfaces/new",
                nic(",\"privateIPAllocationMethod\":\"Static\""), 400, "PrivateIPAddressRequired",
                "properties.ipConfigurations[0].properties.privateIPAddress"));
        cases.add(new Case("allocation method unknown", "PUT", RG + "networkInterfaces/new",
                nic(",\"privateIPAllocationMethod\":\"Sometimes\""), 400, "InvalidParameter",
                "properties.ipConfigurations[0].properties.privateIPAllocationMethod"));
        cases.add(new Case("subnet that does not exist", "PUT", RG + "networkInterfaces/new",
                nic(VNET + "/subnets/ghost", ""), 400, "InvalidResourceReference",
                "properties.ipConfigurations[0].properties.subnet.id"));
        cases.add(new Case("subnet in another region", "PUT", RG + "networkInterfaces/new", nic(FAR_SUBNET, ""), 400,
                "InvalidResourceReference", "properties.ipConfigurations[0].properties.subnet.id"));
        cases.add(new Case("subnet id that is no id", "PUT", RG + "networkInterfaces/new", nic("not-an-id", ""), 400,
                "LinkedInvalidPropertyId", "properties.ipConfigurations[0].properties.subnet.id"));
        cases.add(new Case("subnet id of a vnet", "PUT", RG + "networkInterfaces/new", nic(VNET, ""), 400,
                "LinkedInvalidPropertyId", "properties.ipConfigurations[0].properties.subnet.id"));
        cases.add(new Case("no IP configuration", "PUT", RG + "networkInterfaces/new",
                "{\"location\":\"westeurope\",\"properties\":{\"ipConfigurations\":[]}}", 400, "InvalidRequestFormat",
                "properties.ipConfigurations"));
        cases.add(new Case("public IP that does not exist", "PUT", RG + "networkInterfaces/new",
                nic(",\"publicIPAddress\":{\"id\":\"" + RG + "publicIPAddresses/ghost\"}"), 400,
                "InvalidResourceReference", "properties.ipConfigurations[0].properties.publicIPAddress.id"));
        cases.add(new Case("public IP used by another NIC", "PUT", RG + "networkInterfaces/new",
                nic(",\"publicIPAddress\":{\"id\":\"" + USED_IP + "\"}"), 400, "PublicIPAddressInUse",
                "properties.ipConfigurations[0].properties.publicIPAddress.id"));
        cases.add(new Case("NSG that does not exist", "PUT", RG + "networkInterfaces/new",
                "{\"location\":\"westeurope\",\"properties\":{\"networkSecurityGroup\":{\"id\":\"" + RG
                        + "networkSecurityGroups/ghost\"},\"ipConfigurations\":[{\"name\":\"c\",\"properties\":"
                        + "{\"subnet\":{\"id\":\"" + SUBNET + "\"}}}]}}", 400, "InvalidResourceReference",
                "properties.networkSecurityGroup.id"));
        cases.add(new Case("two primary IP configurations", "PUT", RG + "networkInterfaces/new",
                "{\"location\":\"westeurope\",\"properties\":{\"ipConfigurations\":[{\"name\":\"a\",\"properties\":"
                        + "{\"primary\":true,\"subnet\":{\"id\":\"" + SUBNET + "\"}}},{\"name\":\"b\",\"properties\":"
                        + "{\"primary\":true,\"subnet\":{\"id\":\"" + SUBNET + "\"}}}]}}", 400, "InvalidParameter",
                "properties.ipConfigurations"));
        // public IP addresses
        cases.add(new Case("Standard and Dynamic", "PUT", RG + "publicIPAddresses/new",
                "{\"location\":\"westeurope\",\"sku\":{\"name\":\"Standard\"},\"properties\":"
                        + "{\"publicIPAllocationMethod\":\"Dynamic\"}}", 400, "StandardSkuPublicIPAddressesMustBeStatic",
                "properties.publicIPAllocationMethod"));
        cases.add(new Case("unknown sku", "PUT", RG + "publicIPAddresses/new",
                "{\"location\":\"westeurope\",\"sku\":{\"name\":\"Premium\"}}", 400, "InvalidParameter", "sku.name"));
        cases.add(new Case("DNS label in capitals", "PUT", RG + "publicIPAddresses/new",
                "{\"location\":\"westeurope\",\"properties\":{\"dnsSettings\":{\"domainNameLabel\":\"MyApp\"}}}", 400,
                "InvalidDomainNameLabel", "properties.dnsSettings.domainNameLabel"));
        cases.add(new Case("idle timeout of 3 minutes", "PUT", RG + "publicIPAddresses/new",
                "{\"location\":\"westeurope\",\"properties\":{\"idleTimeoutInMinutes\":3}}", 400, "InvalidParameter",
                "properties.idleTimeoutInMinutes"));
        cases.add(new Case("deleting a public IP in use", "DELETE", USED_IP, null, 400, "PublicIPAddressInUse", null));
        // network security groups
        cases.add(new Case("two inbound rules with one priority", "PUT", RG + "networkSecurityGroups/new",
                "{\"location\":\"westeurope\",\"properties\":{\"securityRules\":[" + rule("a", 300, "80") + ","
                        + rule("b", 300, "443") + "]}}", 400, "SecurityRuleConflict",
                "properties.securityRules[1].properties.priority"));
        cases.add(new Case("a child rule taking a used priority", "PUT", NSG + "/securityRules/new",
                "{\"properties\":" + ruleProperties(1000, "80", "*", "Tcp") + "}", 400, "SecurityRuleConflict",
                "properties.priority"));
        for (Object priority : List.of(99, 4097, 0, "\"high\"")) {
            cases.add(new Case("priority " + priority, "PUT", NSG + "/securityRules/new",
                    "{\"properties\":" + ruleProperties(priority, "80", "*", "Tcp") + "}", 400,
                    "SecurityRuleInvalidPriority", "properties.priority"));
        }
        for (String port : List.of("70000", "abc", "443-80", "-1", "1-2-3")) {
            cases.add(new Case("port range " + port, "PUT", NSG + "/securityRules/new",
                    "{\"properties\":" + ruleProperties(2000, port, "*", "Tcp") + "}", 400,
                    "SecurityRuleInvalidPortRange", "properties.destinationPortRange"));
        }
        cases.add(new Case("protocol unknown", "PUT", NSG + "/securityRules/new",
                "{\"properties\":" + ruleProperties(2000, "80", "*", "Http") + "}", 400, "InvalidParameter",
                "properties.protocol"));
        cases.add(new Case("rule without direction", "PUT", NSG + "/securityRules/new",
                "{\"properties\":" + ruleProperties(2000, "80", "*", "Tcp").replace(",\"direction\":\"Inbound\"", "")
                        + "}", 400, "InvalidParameter", "properties.direction"));
        cases.add(new Case("deleting an NSG in use", "DELETE", NSG, null, 400, "InUseNetworkSecurityGroupCannotBeDeleted",
                null));
        cases.add(new Case("deleting a subnet in use", "DELETE", SUBNET, null, 400, "InUseSubnetCannotBeDeleted", null));
        cases.add(new Case("deleting a vnet in use", "DELETE", VNET, null, 400, "InUseSubnetCannotBeDeleted", null));
        cases.add(new Case("a body that is not an object", "PUT", RG + "networkSecurityGroups/new", "[1]", 400,
                "InvalidRequestContent", null));
        return cases.stream();
    }

    @Test
    void theTableIsLargeEnough() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(30);
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

    /** Every network row and address of the subscription, with its ETag. */
    private List<String> state() {
        String sub = SUB.toLowerCase(Locale.ROOT);
        List<String> rows = new ArrayList<>(jdbc.queryForList("select resource_key || ' ' || etag from "
                + "network_resources where subscription_key = ? order by resource_key", String.class, sub));
        rows.addAll(jdbc.queryForList("select subnet_key || ' ' || address || ' ' || nic_key from network_private_ips "
                + "where nic_key like ? order by 1", String.class, "/subscriptions/" + sub + "/%"));
        rows.addAll(jdbc.queryForList("select public_ip_key || ' ' || address from network_public_ips "
                + "where public_ip_key like ? order by 1", String.class, "/subscriptions/" + sub + "/%"));
        rows.addAll(jdbc.queryForList("select public_ip_key || ' ' || label from network_dns_labels "
                + "where public_ip_key like ? order by 1", String.class, "/subscriptions/" + sub + "/%"));
        return rows;
    }
}
