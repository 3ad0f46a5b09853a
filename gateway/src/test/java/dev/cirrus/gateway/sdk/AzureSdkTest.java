package dev.cirrus.gateway.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.Region;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.resourcemanager.AzureResourceManager;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.models.HardwareProfile;
import com.azure.resourcemanager.compute.models.ImageReference;
import com.azure.resourcemanager.compute.models.NetworkInterfaceReference;
import com.azure.resourcemanager.compute.models.NetworkProfile;
import com.azure.resourcemanager.compute.models.OSProfile;
import com.azure.resourcemanager.compute.models.StorageProfile;
import com.azure.resourcemanager.compute.models.VirtualMachine;
import com.azure.resourcemanager.compute.models.VirtualMachineSizeTypes;
import com.azure.resourcemanager.resources.models.ResourceGroup;
import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.ChildService;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import dev.cirrus.gateway.tls.HttpsListener;
import dev.cirrus.testkit.TestInfrastructure;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The official Azure SDK for Java against the gateway over HTTPS, as a user would write it for Azure: only the
 * endpoints (resource manager and authority = the gateway), and trust of the gateway's certificate, are configured.
 * Behind the gateway run the real compute-vm and placement-engine (their executable jars as child processes, with
 * the testkit's PostgreSQL; events stay in their outboxes).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AzureSdkTest {

    static final int computeVmPort = FakeService.freePort();
    static final int placementHttpPort = FakeService.freePort();
    static final int placementGrpcPort = FakeService.freePort();
    static ChildService placement;
    static ChildService computeVm;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_sdk");
        registry.add("cirrus.gateway.services.compute-vm", () -> "http://127.0.0.1:" + computeVmPort);
    }

    @BeforeAll
    static void startTheServicesBehindTheGateway() {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        String[] common = {"--spring.datasource.username=" + pg.username(),
                "--spring.datasource.password=" + pg.password(), "--cirrus.kafka.bootstrap-servers="};
        placement = ChildService.launch("placement-engine", placementHttpPort, concat(common,
                "--spring.datasource.url=" + pg.newDatabase("sdk_placement"),
                "--cirrus.placement.grpc-port=" + placementGrpcPort));
        computeVm = ChildService.launch("compute-vm", computeVmPort, concat(common,
                "--spring.datasource.url=" + pg.newDatabase("sdk_compute_vm"),
                "--cirrus.placement.target=127.0.0.1:" + placementGrpcPort,
                "--cirrus.vm.timings.provisioning=200ms", "--cirrus.vm.timings.deletion=200ms",
                "--cirrus.vm.worker.poll-interval=200ms"));
        placement.awaitReady();
        computeVm.awaitReady();
    }

    @AfterAll
    static void stopThem() {
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
    void theJavaSdkCreatesReadsListsAndDeletesAGroupAndAVirtualMachine() throws Exception {
        JsonNode credentials = Gateway.JSON.readTree(Files.readString(data.credentialsFile()));
        String gateway = "https://localhost:" + https.port() + "/";

        // trust: the certificate the gateway generated on first start
        io.netty.handler.ssl.SslContext trust = SslContextBuilder.forClient()
                .trustManager(data.dataDir().resolve("tls/gateway.crt.pem").toFile()).build();
        HttpClient http = new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
                .secure(tls -> tls.sslContext(trust))).build();
        // endpoints: Cirrus instead of Azure's public cloud
        AzureEnvironment cirrus = new AzureEnvironment(Map.of(
                "resourceManagerEndpointUrl", gateway,
                "managementEndpointUrl", gateway,
                "activeDirectoryEndpointUrl", gateway,
                "activeDirectoryResourceId", gateway,
                "microsoftGraphResourceId", "https://graph.microsoft.com/"));
        AzureProfile profile = new AzureProfile(credentials.path("tenantId").asString(),
                credentials.path("subscriptionId").asString(), cirrus);
        TokenCredential credential = new ClientSecretCredentialBuilder()
                .authorityHost(gateway)
                // MSAL would ask Microsoft's public cloud to vouch for an authority it does not know; Azure Stack
                // and other private authorities are configured the same way
                .disableInstanceDiscovery()
                .tenantId(credentials.path("tenantId").asString())
                .clientId(credentials.path("clientId").asString())
                .clientSecret(credentials.path("clientSecret").asString())
                .httpClient(http)
                .build();

        // from here on: what a user writes for Azure
        AzureResourceManager azure = AzureResourceManager.configure().withHttpClient(http)
                .authenticate(credential, profile).withDefaultSubscription();

        ResourceGroup group = azure.resourceGroups().define("sdk-rg").withRegion(Region.US_EAST)
                .withTag("made-by", "azure-sdk-for-java").create();
        assertThat(group.name()).isEqualTo("sdk-rg");
        assertThat(group.regionName()).isEqualTo("eastus");
        assertThat(azure.resourceGroups().contain("sdk-rg")).isTrue();

        VirtualMachineInner definition = new VirtualMachineInner()
                .withLocation("eastus")
                .withHardwareProfile(new HardwareProfile().withVmSize(VirtualMachineSizeTypes.fromString("Standard_B2s")))
                .withStorageProfile(new StorageProfile().withImageReference(new ImageReference()
                        .withPublisher("Canonical").withOffer("0001-com-ubuntu-server-jammy").withSku("22_04-lts-gen2")
                        .withVersion("latest")))
                .withOsProfile(new OSProfile().withComputerName("sdk-vm").withAdminUsername("azureuser")
                        .withAdminPassword("Cirrus-Passw0rd!"))
                .withNetworkProfile(new NetworkProfile().withNetworkInterfaces(List.of(new NetworkInterfaceReference()
                        .withId("/subscriptions/" + profile.getSubscriptionId()
                                + "/resourceGroups/sdk-rg/providers/Microsoft.Network/networkInterfaces/sdk-nic")
                        .withPrimary(true))));
        VirtualMachineInner created = azure.virtualMachines().manager().serviceClient().getVirtualMachines()
                .createOrUpdate("sdk-rg", "sdk-vm", definition);
        assertThat(created.provisioningState()).isEqualTo("Succeeded");

        VirtualMachine vm = azure.virtualMachines().getByResourceGroup("sdk-rg", "sdk-vm");
        assertThat(vm.name()).isEqualTo("sdk-vm");
        assertThat(vm.size().toString()).isEqualTo("Standard_B2s");
        assertThat(vm.provisioningState()).isEqualTo("Succeeded");
        assertThat(azure.virtualMachines().listByResourceGroup("sdk-rg").stream().map(VirtualMachine::name))
                .containsExactly("sdk-vm");

        azure.virtualMachines().deleteByResourceGroup("sdk-rg", "sdk-vm");
        assertThat(azure.virtualMachines().listByResourceGroup("sdk-rg").stream().count()).isZero();
        azure.resourceGroups().deleteByName("sdk-rg");
        assertThat(azure.resourceGroups().contain("sdk-rg")).isFalse();
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
