package dev.cirrus.gateway.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
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
import com.azure.resourcemanager.network.models.Network;
import com.azure.resourcemanager.resources.models.ResourceGroup;
import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.ChildService;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import dev.cirrus.gateway.tls.HttpsListener;
import dev.cirrus.testkit.ServiceCredentials;
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
    /** the services not run here answer as a service that lists nothing (a group deletion sweeps them all) */
    static final FakeService otherServices = FakeService.start();
    static ChildService placement;
    static ChildService computeVm;
    static String placementDatabase;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_sdk");
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
        placementDatabase = pg.newDatabase("sdk_placement");
        placement = ChildService.launch("placement-engine", placementHttpPort, concat(common,
                "--spring.datasource.url=" + placementDatabase,
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

        // a VM stands on a network interface, in a subnet of a virtual network of its region
        Network network = azure.networks().define("sdk-vnet").withRegion(Region.US_EAST)
                .withExistingResourceGroup("sdk-rg").withAddressSpace("10.0.0.0/16")
                .withSubnet("default", "10.0.0.0/24").create();
        com.azure.resourcemanager.network.models.NetworkInterface nic = azure.networkInterfaces().define("sdk-nic")
                .withRegion(Region.US_EAST).withExistingResourceGroup("sdk-rg")
                .withExistingPrimaryNetwork(network).withSubnet("default").withPrimaryPrivateIPAddressDynamic()
                .create();

        VirtualMachineInner definition = new VirtualMachineInner()
                .withLocation("eastus")
                .withHardwareProfile(new HardwareProfile().withVmSize(VirtualMachineSizeTypes.fromString("Standard_B2s")))
                .withStorageProfile(new StorageProfile().withImageReference(new ImageReference()
                        .withPublisher("Canonical").withOffer("0001-com-ubuntu-server-jammy").withSku("22_04-lts-gen2")
                        .withVersion("latest")))
                .withOsProfile(new OSProfile().withComputerName("sdk-vm").withAdminUsername("azureuser")
                        .withAdminPassword("Cirrus-Passw0rd!"))
                .withNetworkProfile(new NetworkProfile().withNetworkInterfaces(List.of(new NetworkInterfaceReference()
                        .withId(nic.id()).withPrimary(true))));
        VirtualMachineInner created = azure.virtualMachines().manager().serviceClient().getVirtualMachines()
                .createOrUpdate("sdk-rg", "sdk-vm", definition);
        assertThat(created.provisioningState()).isEqualTo("Succeeded");

        VirtualMachine vm = azure.virtualMachines().getByResourceGroup("sdk-rg", "sdk-vm");
        assertThat(vm.name()).isEqualTo("sdk-vm");
        assertThat(vm.size().toString()).isEqualTo("Standard_B2s");
        assertThat(vm.provisioningState()).isEqualTo("Succeeded");
        assertThat(azure.virtualMachines().listByResourceGroup("sdk-rg").stream().map(VirtualMachine::name))
                .containsExactly("sdk-vm");
        assertThat(vm.primaryNetworkInterfaceId()).isEqualToIgnoringCase(nic.id());
        com.azure.resourcemanager.network.models.NetworkInterface attached = vm.getPrimaryNetworkInterface();
        assertThat(attached.virtualMachineId()).isEqualToIgnoringCase(vm.id());
        assertThat(attached.macAddress()).startsWith("00-0D-3A-");
        assertThat(attached.primaryPrivateIP()).isEqualTo("10.0.0.4");

        azure.virtualMachines().deleteByResourceGroup("sdk-rg", "sdk-vm");
        assertThat(azure.virtualMachines().listByResourceGroup("sdk-rg").stream().count()).isZero();
        assertThat(azure.networkInterfaces().getById(nic.id()).virtualMachineId()).as("detached").isNull();
        azure.resourceGroups().deleteByName("sdk-rg");
        assertThat(azure.resourceGroups().contain("sdk-rg")).isFalse();
    }

    /**
     * The official Azure SDK for JavaScript ({@code src/test/node/sdk-test.js}: @azure/identity, @azure/arm-resources,
     * @azure/arm-compute, installed with npm into target/) over HTTPS, trusting the gateway's certificate through
     * {@code NODE_EXTRA_CA_CERTS}. Skipped where Node.js is not installed.
     */
    @Test
    void theJavaScriptSdkCreatesReadsListsAndDeletesAGroupAndAVirtualMachine() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.cirrus.gateway.support.NodeScript.available(),
                "node and npm are not installed");
        JsonNode credentials = Gateway.JSON.readTree(Files.readString(data.credentialsFile()));

        var run = dev.cirrus.gateway.support.NodeScript.run("sdk-test.js", Map.of(
                "CIRRUS_GATEWAY", "https://localhost:" + https.port(),
                "NODE_EXTRA_CA_CERTS", data.dataDir().resolve("tls/gateway.crt.pem").toAbsolutePath().toString(),
                "AZURE_TENANT_ID", credentials.path("tenantId").asString(),
                "AZURE_CLIENT_ID", credentials.path("clientId").asString(),
                "AZURE_CLIENT_SECRET", credentials.path("clientSecret").asString(),
                "AZURE_SUBSCRIPTION_ID", credentials.path("subscriptionId").asString(),
                "GROUP", "js-sdk-rg",
                "WITH_VM", "true"), 120);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode result = Gateway.JSON.readTree(run.stdout().strip().lines().reduce((a, b) -> b).orElseThrow());
        assertThat(result.path("created").path("name").asString()).isEqualTo("js-sdk-rg");
        assertThat(result.path("created").path("location").asString()).isEqualTo("eastus");
        assertThat(result.path("created").path("tags").path("made-by").asString()).isEqualTo("azure-sdk-for-js");
        assertThat(result.path("got").asString()).isEqualTo("js-sdk-rg");
        assertThat(result.path("listed").valueStream().map(JsonNode::asString).toList()).contains("js-sdk-rg");
        assertThat(result.path("vmCreated").asString()).isEqualTo("Succeeded");
        assertThat(result.path("vm").path("name").asString()).isEqualTo("js-vm");
        assertThat(result.path("vm").path("size").asString()).isEqualTo("Standard_B2s");
        assertThat(result.path("vms").valueStream().map(JsonNode::asString).toList()).containsExactly("js-vm");
        assertThat(result.path("nicVm").asString()).as("the VM stands on the NIC the SDK created")
                .endsWithIgnoringCase("/providers/Microsoft.Compute/virtualMachines/js-vm");
        assertThat(result.path("vmsAfterDelete").size()).isZero();
        assertThat(result.path("existsAfterDelete").asBoolean(true)).isFalse();
    }

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    /**
     * Group deletion with the real services: the gateway deletes the VMs through compute-vm, which releases them,
     * the one created at compute-vm directly (the gateway never saw it: no events here) included.
     */
    @Test
    void deletingAGroupDeletesItsVirtualMachinesThroughComputeVmAndReleasesTheirHosts() throws Exception {
        Gateway gateway = Gateway.admin(port, data);
        String sub = gateway.newSubscription();
        String group = "/subscriptions/" + sub + "/resourcegroups/doomed-rg";
        String vms = "/subscriptions/" + sub + "/resourceGroups/doomed-rg/providers/Microsoft.Compute/virtualMachines/";
        String v = "?api-version=2024-07-01";
        assertThat(gateway.put(group + v, "{\"location\":\"eastus\"}").statusCode()).isEqualTo(201);
        // direct calls to compute-vm, as another service of the platform makes them: with the service credential
        java.net.http.HttpClient plain = ServiceCredentials.httpClient();
        String network = "/subscriptions/" + sub + "/resourceGroups/doomed-rg/providers/Microsoft.Network/";
        assertThat(gateway.put(network + "virtualNetworks/vnet" + v, """
                {"location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
                 "subnets": [{"name": "default", "properties": {"addressPrefix": "10.0.0.0/24"}}]}}
                """).statusCode()).isEqualTo(201);
        for (String name : List.of("vm-a", "vm-b", "vm-behind")) {
            assertThat(gateway.put(network + "networkInterfaces/" + name + "-nic" + v, """
                    {"location": "eastus", "properties": {"ipConfigurations": [{"name": "ipconfig1", "properties":
                     {"subnet": {"id": "%svirtualNetworks/vnet/subnets/default"}}}]}}
                    """.formatted(network)).statusCode()).isEqualTo(201);
        }
        for (String name : List.of("vm-a", "vm-b", "vm-behind")) {
            String body = """
                    {"location": "eastus", "properties": {
                       "hardwareProfile": {"vmSize": "Standard_B2s"},
                       "storageProfile": {"imageReference": {"publisher": "Canonical",
                           "offer": "0001-com-ubuntu-server-jammy", "sku": "22_04-lts", "version": "latest"}},
                       "osProfile": {"computerName": "%s", "adminUsername": "azureuser", "adminPassword": "Cirrus-Passw0rd!"},
                       "networkProfile": {"networkInterfaces": [{"id": "%snetworkInterfaces/%s-nic",
                           "properties": {"primary": true}}]}}}
                    """.formatted(name, network, name);
            HttpResponse<String> created = name.equals("vm-behind")
                    ? plain.send(java.net.http.HttpRequest.newBuilder(computeVm.url().resolve(vms + name + v))
                            .header("Content-Type", "application/json")
                            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString())
                    : gateway.put(vms + name + v, body);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> allocations(sub) == 3);

        HttpResponse<String> accepted = gateway.send("DELETE", group + v, null);
        assertThat(accepted.statusCode()).isEqualTo(202);
        URI location = URI.create(accepted.headers().firstValue("Location").orElseThrow());
        await().atMost(Duration.ofSeconds(60)).until(() ->
                gateway.get(location.getRawPath() + "?" + location.getRawQuery()).statusCode() == 200);

        assertThat(gateway.get(group + v).statusCode()).isEqualTo(404);
        for (String name : List.of("vm-a", "vm-b", "vm-behind")) {
            HttpResponse<String> atComputeVm = plain.send(java.net.http.HttpRequest.newBuilder(
                    computeVm.url().resolve(vms + name + v)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(atComputeVm.statusCode()).as(name + " is gone from compute-vm").isEqualTo(404);
        }
        assertThat(allocations(sub)).as("their hosts are released").isZero();
        assertThat(jdbc.queryForList("select event_type from outbox where record_key = ?", String.class,
                ("/subscriptions/" + sub + "/resourceGroups/doomed-rg").toLowerCase()))
                .contains(dev.cirrus.contracts.events.EventTypes.RESOURCE_GROUP_DELETED);
    }

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    /** The placement engine's allocations of the subscription's VMs (its own database). */
    private static int allocations(String subscription) throws Exception {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        try (var connection = java.sql.DriverManager.getConnection(placementDatabase, pg.username(), pg.password());
             var statement = connection.prepareStatement(
                     "select count(*) from allocation where lower(resource_id) like ?")) {
            statement.setString(1, "/subscriptions/" + subscription.toLowerCase() + "/%");
            try (var rs = statement.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
