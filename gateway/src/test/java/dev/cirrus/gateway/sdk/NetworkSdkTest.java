package dev.cirrus.gateway.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.Map;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.Region;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.resourcemanager.AzureResourceManager;
import com.azure.resourcemanager.network.models.LoadBalancer;
import com.azure.resourcemanager.network.models.LoadBalancerSkuType;
import com.azure.resourcemanager.network.models.LoadBalancingRule;
import com.azure.resourcemanager.network.models.Network;
import com.azure.resourcemanager.network.models.NetworkInterface;
import com.azure.resourcemanager.network.models.NetworkSecurityGroup;
import com.azure.resourcemanager.network.models.NetworkSecurityRule;
import com.azure.resourcemanager.network.models.PublicIPSkuType;
import com.azure.resourcemanager.network.models.PublicIpAddress;
import com.azure.resourcemanager.network.models.SecurityRuleAccess;
import com.azure.resourcemanager.network.models.SecurityRuleDirection;
import com.azure.resourcemanager.network.models.SecurityRuleProtocol;
import com.azure.resourcemanager.network.models.Subnet;
import com.azure.resourcemanager.network.models.TransportProtocol;
import com.azure.resourcemanager.resources.fluentcore.arm.models.HasName;
import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.AzureSdk;
import dev.cirrus.gateway.support.ChildService;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import dev.cirrus.gateway.tls.HttpsListener;
import dev.cirrus.testkit.TestInfrastructure;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The official Azure SDK for Java's Microsoft.Network fluent API against the gateway over HTTPS, configured as in
 * {@link AzureSdkTest} (only the endpoints and trust of the gateway's certificate). Behind the gateway runs the real
 * compute-vm, which owns Microsoft.Network (compute-vm/README.md), and the placement engine it needs to start.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Tag("scenario") // slow: runs in the second Maven run of ./cirrus test (root pom.xml)
class NetworkSdkTest {

    static final int computeVmPort = FakeService.freePort();
    static final int placementHttpPort = FakeService.freePort();
    static final int placementGrpcPort = FakeService.freePort();
    /** the services not run here answer as a service that lists nothing (a group deletion sweeps them all) */
    static final FakeService otherServices = FakeService.start();
    static ChildService placement;
    static ChildService computeVm;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_network_sdk");
        registry.add("cirrus.gateway.services.compute-vm", () -> "http://127.0.0.1:" + computeVmPort);
        for (String module : new String[] {"compute-container", "app-service", "serverless", "billing"}) {
            registry.add("cirrus.gateway.services." + module, () -> otherServices.url().toString());
        }
        registry.add("cirrus.gateway.resource-group-deletion.poll-interval", () -> "200ms");
    }

    @BeforeAll
    static void startTheServicesBehindTheGateway() {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        String[] common = {"--spring.datasource.username=" + pg.username(),
                "--spring.datasource.password=" + pg.password(), "--cirrus.kafka.bootstrap-servers="};
        placement = ChildService.launch("placement-engine", placementHttpPort, concat(common,
                "--spring.datasource.url=" + pg.newDatabase("network_sdk_placement"),
                "--cirrus.placement.grpc-port=" + placementGrpcPort));
        computeVm = ChildService.launch("compute-vm", computeVmPort, concat(common,
                "--spring.datasource.url=" + pg.newDatabase("network_sdk_compute_vm"),
                "--cirrus.placement.target=127.0.0.1:" + placementGrpcPort,
                "--cirrus.network.public-ip-pool=198.18.7.0/24",
                "--cirrus.network.dns-zone=cloudapp.cirrus.test"));
        placement.awaitReady();
        computeVm.awaitReady();
    }

    @AfterAll
    static void stopThem() {
        otherServices.close();
        if (computeVm != null) {
            computeVm.close();
        }
        if (placement != null) {
            placement.close();
        }
    }

    @Autowired
    GatewayData data;

    @Autowired
    HttpsListener https;

    @Test
    void theJavaSdkBuildsAVirtualNetworkAPublicIpASecurityGroupAndANetworkInterfaceThenDeletesThemInOrder()
            throws Exception {
        AzureResourceManager azure = sdk();
        String rg = "net-sdk-rg";
        azure.resourceGroups().define(rg).withRegion(Region.US_EAST).create();

        Network network = azure.networks().define("sdk-vnet").withRegion(Region.US_EAST)
                .withExistingResourceGroup(rg)
                .withAddressSpace("10.20.0.0/16")
                .withSubnet("front", "10.20.1.0/24")
                .withSubnet("back", "10.20.2.0/24")
                .create();
        assertThat(network.addressSpaces()).containsExactly("10.20.0.0/16");
        assertThat(network.subnets()).containsOnlyKeys("front", "back");
        assertThat(network.subnets().get("front").addressPrefix()).isEqualTo("10.20.1.0/24");
        assertThat(network.subnets().get("back").addressPrefix()).isEqualTo("10.20.2.0/24");
        assertThat(network.innerModel().provisioningState().toString()).isEqualTo("Succeeded");

        PublicIpAddress publicIp = azure.publicIpAddresses().define("sdk-pip").withRegion(Region.US_EAST)
                .withExistingResourceGroup(rg)
                .withSku(PublicIPSkuType.STANDARD)
                .withStaticIP()
                .withLeafDomainLabel("cirrus-sdk-web")
                .create();
        assertThat(publicIp.ipAddress()).as("the first host address of the configured pool").isEqualTo("198.18.7.1");
        assertThat(publicIp.fqdn()).isEqualTo("cirrus-sdk-web.eastus.cloudapp.cirrus.test");
        assertThat(publicIp.leafDomainLabel()).isEqualTo("cirrus-sdk-web");
        assertThat(publicIp.sku()).isEqualTo(PublicIPSkuType.STANDARD);
        assertThat(publicIp.hasAssignedNetworkInterface()).isFalse();

        NetworkSecurityGroup nsg = azure.networkSecurityGroups().define("sdk-nsg").withRegion(Region.US_EAST)
                .withExistingResourceGroup(rg)
                .defineRule("allow-https")
                    .allowInbound()
                    .fromAnyAddress()
                    .fromAnyPort()
                    .toAnyAddress()
                    .toPort(443)
                    .withProtocol(SecurityRuleProtocol.TCP)
                    .withPriority(100)
                    .attach()
                .create();
        assertThat(nsg.securityRules()).containsOnlyKeys("allow-https");
        NetworkSecurityRule rule = nsg.securityRules().get("allow-https");
        assertThat(rule.access()).isEqualTo(SecurityRuleAccess.ALLOW);
        assertThat(rule.direction()).isEqualTo(SecurityRuleDirection.INBOUND);
        assertThat(rule.protocol()).isEqualTo(SecurityRuleProtocol.TCP);
        assertThat(rule.destinationPortRange()).isEqualTo("443");
        assertThat(rule.priority()).isEqualTo(100);
        assertThat(nsg.defaultSecurityRules()).containsOnlyKeys("AllowVnetInBound", "AllowAzureLoadBalancerInBound",
                "DenyAllInBound", "AllowVnetOutBound", "AllowInternetOutBound", "DenyAllOutBound");
        assertThat(nsg.defaultSecurityRules().get("DenyAllInBound").priority()).isEqualTo(65500);

        NetworkInterface nic = azure.networkInterfaces().define("sdk-nic").withRegion(Region.US_EAST)
                .withExistingResourceGroup(rg)
                .withExistingPrimaryNetwork(network)
                .withSubnet("front")
                .withPrimaryPrivateIPAddressDynamic()
                .withExistingPrimaryPublicIPAddress(publicIp)
                .withExistingNetworkSecurityGroup(nsg)
                .create();
        assertThat(nic.primaryPrivateIP()).as("the subnet's first usable address").isEqualTo("10.20.1.4");
        assertThat(nic.primaryIPConfiguration().subnetName()).isEqualTo("front");
        assertThat(nic.primaryIPConfiguration().publicIpAddressId()).isEqualToIgnoringCase(publicIp.id());
        assertThat(nic.networkSecurityGroupId()).isEqualToIgnoringCase(nsg.id());

        // the back-references, read again
        Subnet front = azure.networks().getById(network.id()).subnets().get("front");
        assertThat(front.networkInterfaceIPConfigurationCount()).isEqualTo(1);
        assertThat(azure.publicIpAddresses().getById(publicIp.id()).hasAssignedNetworkInterface()).isTrue();
        assertThat(azure.networkSecurityGroups().getById(nsg.id()).networkInterfaceIds())
                .anySatisfy(id -> assertThat(id).isEqualToIgnoringCase(nic.id()));

        assertThat(azure.networks().listByResourceGroup(rg).stream().map(HasName::name)).containsExactly("sdk-vnet");
        assertThat(azure.publicIpAddresses().listByResourceGroup(rg).stream().map(HasName::name))
                .containsExactly("sdk-pip");
        assertThat(azure.networkSecurityGroups().listByResourceGroup(rg).stream().map(HasName::name))
                .containsExactly("sdk-nsg");
        assertThat(azure.networkInterfaces().listByResourceGroup(rg).stream().map(HasName::name))
                .containsExactly("sdk-nic");

        // the NIC first: it holds the address, the public IP and the NSG
        azure.networkInterfaces().deleteById(nic.id());
        azure.publicIpAddresses().deleteById(publicIp.id());
        azure.networkSecurityGroups().deleteById(nsg.id());
        azure.networks().deleteById(network.id());

        assertThat(azure.networkInterfaces().listByResourceGroup(rg).stream().count()).isZero();
        assertThat(azure.publicIpAddresses().listByResourceGroup(rg).stream().count()).isZero();
        assertThat(azure.networkSecurityGroups().listByResourceGroup(rg).stream().count()).isZero();
        assertThat(azure.networks().listByResourceGroup(rg).stream().count()).isZero();
        assertThatThrownBy(() -> azure.networks().getById(network.id()))
                .isInstanceOfSatisfying(ManagementException.class,
                        e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(404));
        assertThatThrownBy(() -> azure.networkInterfaces().getById(nic.id()))
                .isInstanceOfSatisfying(ManagementException.class,
                        e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(404));

        azure.resourceGroups().deleteByName(rg);
        assertThat(azure.resourceGroups().contain(rg)).isFalse();
    }

    @Test
    void theJavaSdkDefinesALoadBalancerThatANicJoinsAndTheGroupDeletionTakesThemAll() throws Exception {
        AzureResourceManager azure = sdk();
        String rg = "net-sdk-lb-rg";
        azure.resourceGroups().define(rg).withRegion(Region.US_EAST).create();
        Network network = azure.networks().define("lb-vnet").withRegion(Region.US_EAST)
                .withExistingResourceGroup(rg)
                .withAddressSpace("10.30.0.0/16")
                .withSubnet("backend", "10.30.1.0/24")
                .create();
        PublicIpAddress publicIp = azure.publicIpAddresses().define("lb-pip").withRegion(Region.US_EAST)
                .withExistingResourceGroup(rg)
                .withSku(PublicIPSkuType.STANDARD)
                .withStaticIP()
                .create();

        LoadBalancer lb = azure.loadBalancers().define("sdk-lb").withRegion(Region.US_EAST)
                .withExistingResourceGroup(rg)
                .defineLoadBalancingRule("http")
                    .withProtocol(TransportProtocol.TCP)
                    .fromExistingPublicIPAddress(publicIp)
                    .fromFrontendPort(80)
                    .toBackend("pool")
                    .toBackendPort(8080)
                    .withProbe("health")
                    .attach()
                .defineInboundNatRule("ssh")
                    .withProtocol(TransportProtocol.TCP)
                    .fromExistingPublicIPAddress(publicIp)
                    .fromFrontendPort(50022)
                    .toBackendPort(22)
                    .attach()
                .defineHttpProbe("health")
                    .withRequestPath("/healthz")
                    .withPort(8080)
                    .attach()
                .withSku(LoadBalancerSkuType.STANDARD)
                .create();
        assertThat(lb.sku()).isEqualTo(LoadBalancerSkuType.STANDARD);
        assertThat(lb.publicIpAddressIds()).anySatisfy(id -> assertThat(id).isEqualToIgnoringCase(publicIp.id()));
        assertThat(lb.publicFrontends()).hasSize(1);
        LoadBalancingRule http = lb.loadBalancingRules().get("http");
        assertThat(http.frontendPort()).isEqualTo(80);
        assertThat(http.backendPort()).isEqualTo(8080);
        assertThat(http.protocol()).isEqualTo(TransportProtocol.TCP);
        assertThat(http.backend().name()).isEqualTo("pool");
        assertThat(http.probe().name()).isEqualTo("health");
        assertThat(lb.httpProbes().get("health").requestPath()).isEqualTo("/healthz");
        assertThat(lb.inboundNatRules().get("ssh").frontendPort()).isEqualTo(50022);
        assertThat(lb.inboundNatRules().get("ssh").backendPort()).isEqualTo(22);

        // the public IP now belongs to the frontend and refuses to go
        assertThat(azure.publicIpAddresses().getById(publicIp.id()).hasAssignedLoadBalancer()).isTrue();
        assertThatThrownBy(() -> azure.publicIpAddresses().deleteById(publicIp.id()))
                .isInstanceOfSatisfying(ManagementException.class, e -> {
                    assertThat(e.getResponse().getStatusCode()).isEqualTo(400);
                    assertThat(e.getValue().getCode()).isEqualTo("PublicIPAddressInUse");
                });

        // a NIC joins the pool, which lists it
        NetworkInterface nic = azure.networkInterfaces().define("lb-nic").withRegion(Region.US_EAST)
                .withExistingResourceGroup(rg)
                .withExistingPrimaryNetwork(network)
                .withSubnet("backend")
                .withPrimaryPrivateIPAddressDynamic()
                .withExistingLoadBalancerBackend(lb, "pool")
                .create();
        assertThat(nic.primaryIPConfiguration().listAssociatedLoadBalancerBackends().stream().map(HasName::name))
                .containsExactly("pool");
        assertThat(azure.loadBalancers().getById(lb.id()).backends().get("pool").backendNicIPConfigurationNames()
                .keySet()).anySatisfy(id -> assertThat(id).isEqualToIgnoringCase(nic.id()));
        assertThat(azure.loadBalancers().listByResourceGroup(rg).stream().map(HasName::name))
                .containsExactly("sdk-lb");

        // the group deletion outlasts the refusals (the pool holds the load balancer, the frontend the public IP)
        azure.resourceGroups().deleteByName(rg);
        assertThat(azure.resourceGroups().contain(rg)).isFalse();
        assertThatThrownBy(() -> azure.loadBalancers().getById(lb.id()))
                .isInstanceOfSatisfying(ManagementException.class,
                        e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(404));
    }

    /** The SDK configured for Cirrus as in {@link AzureSdkTest}: endpoints and trust, nothing else. */
    private AzureResourceManager sdk() {
        return AzureSdk.signedIn(data, https.port());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
