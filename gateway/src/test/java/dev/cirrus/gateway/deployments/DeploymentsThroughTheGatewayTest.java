package dev.cirrus.gateway.deployments;

import static dev.cirrus.gateway.support.Gateway.errorCode;
import static dev.cirrus.gateway.support.Gateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.ChildService;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import dev.cirrus.testkit.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Template deployments through the real gateway, creating real availability sets and virtual machines in
 * compute-vm (with the placement engine behind it, both as child processes): each resource is a separate call
 * through the gateway's own routing with the deploying caller's token.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeploymentsThroughTheGatewayTest {

    static final String V = "api-version=2024-11-01";
    static final int computeVmPort = FakeService.freePort();
    static final int placementHttpPort = FakeService.freePort();
    static final int placementGrpcPort = FakeService.freePort();
    static final FakeService otherServices = FakeService.start();
    static ChildService placement;
    static ChildService computeVm;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_deployments");
        registry.add("cirrus.gateway.services.compute-vm", () -> "http://127.0.0.1:" + computeVmPort);
        for (String module : new String[] {"compute-container", "app-service", "serverless", "billing"}) {
            registry.add("cirrus.gateway.services." + module, () -> otherServices.url().toString());
        }
        registry.add("cirrus.deployments.poll-interval", () -> "100ms");
    }

    @BeforeAll
    static void startTheServicesBehindTheGateway() {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        String[] common = {"--spring.datasource.username=" + pg.username(),
                "--spring.datasource.password=" + pg.password(), "--cirrus.kafka.bootstrap-servers="};
        placement = ChildService.launch("placement-engine", placementHttpPort, concat(common,
                "--spring.datasource.url=" + pg.newDatabase("deployments_placement"),
                "--cirrus.placement.grpc-port=" + placementGrpcPort));
        computeVm = ChildService.launch("compute-vm", computeVmPort, concat(common,
                "--spring.datasource.url=" + pg.newDatabase("deployments_compute_vm"),
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

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    private static final String TEMPLATE = """
            {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
             "contentVersion": "1.0.0.0",
             "parameters": {"sets": {"type": "int", "defaultValue": 3, "maxValue": 10},
                            "password": {"type": "securestring"}},
             "variables": {"vmName": "[concat('vm-', uniqueString(resourceGroup().id))]"},
             "resources": [
               {"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01",
                "name": "[concat('set-', copyIndex())]", "location": "[resourceGroup().location]",
                "sku": {"name": "Aligned"},
                "properties": {"platformFaultDomainCount": 2, "platformUpdateDomainCount": 5},
                "copy": {"name": "sets", "count": "[parameters('sets')]"}},
               {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01", "name": "vnet",
                "location": "[resourceGroup().location]",
                "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]},
                  "subnets": [{"name": "default", "properties": {"addressPrefix": "10.1.0.0/24"}}]}},
               {"type": "Microsoft.Network/networkInterfaces", "apiVersion": "2024-05-01", "name": "nic",
                "location": "[resourceGroup().location]", "dependsOn": ["vnet"],
                "properties": {"ipConfigurations": [{"name": "ipconfig1", "properties": {"subnet": {"id":
                  "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default')]"}}}]}},
               {"type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-07-01",
                "name": "[variables('vmName')]", "location": "[resourceGroup().location]", "dependsOn": ["nic"],
                "properties": {
                  "availabilitySet": {"id": "[resourceId('Microsoft.Compute/availabilitySets', 'set-0')]"},
                  "hardwareProfile": {"vmSize": "Standard_B2s"},
                  "storageProfile": {"imageReference": {"publisher": "Canonical",
                     "offer": "0001-com-ubuntu-server-jammy", "sku": "22_04-lts-gen2", "version": "latest"}},
                  "osProfile": {"computerName": "tvm", "adminUsername": "azureuser",
                                "adminPassword": "[parameters('password')]"},
                  "networkProfile": {"networkInterfaces": [{"id":
                     "[resourceId('Microsoft.Network/networkInterfaces', 'nic')]", "properties": {"primary": true}}]}}},
               {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "nested",
                "dependsOn": ["sets"],
                "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"},
                  "parameters": {"domains": {"value": "[reference('set-1').platformFaultDomainCount]"}},
                  "template": {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                    "contentVersion": "1.0.0.0", "parameters": {"domains": {"type": "int"}},
                    "resources": [{"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01",
                      "name": "nested-set", "location": "[resourceGroup().location]", "sku": {"name": "Aligned"},
                      "properties": {"platformFaultDomainCount": "[parameters('domains')]"}}],
                    "outputs": {"domains": {"type": "int", "value": "[parameters('domains')]"}}}}}
             ],
             "outputs": {
               "vmId": {"type": "string", "value": "[resourceId('Microsoft.Compute/virtualMachines', variables('vmName'))]"},
               "vmState": {"type": "string", "value": "[reference(variables('vmName')).provisioningState]"},
               "nestedDomains": {"type": "int", "value": "[reference('nested').outputs.domains.value]"},
               "secret": {"type": "securestring", "value": "[parameters('password')]"}}}
            """;

    @Test
    void aTemplateCreatesItsResourcesInDependencyOrderThroughTheGateway() {
        Gateway gateway = Gateway.admin(port, data);
        String sub = gateway.newSubscription();
        String group = "/subscriptions/" + sub + "/resourceGroups/tpl";
        assertThat(gateway.put(group + "?" + V, "{\"location\":\"eastus\"}").statusCode()).isEqualTo(201);
        String deployment = group + "/providers/Microsoft.Resources/deployments/first";

        HttpResponse<String> accepted = gateway.put(deployment + "?" + V, "{\"properties\": {\"mode\": "
                + "\"Incremental\", \"template\": " + TEMPLATE + ", \"parameters\": {\"password\": {\"value\": "
                + "\"Cirrus-Passw0rd!\"}}}}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
        assertThat(accepted.headers().firstValue("Azure-AsyncOperation")).isPresent();
        assertThat(json(accepted).path("properties").path("provisioningState").asString()).isEqualTo("Accepted");

        JsonNode done = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> json(gateway.get(deployment + "?" + V)), d -> List.of("Succeeded", "Failed")
                        .contains(d.path("properties").path("provisioningState").asString()));
        assertThat(done.path("properties").path("provisioningState").asString()).as(done.toString())
                .isEqualTo("Succeeded");
        JsonNode outputs = done.path("properties").path("outputs");
        String vmId = outputs.path("vmId").path("value").asString();
        assertThat(vmId).startsWith(group + "/providers/Microsoft.Compute/virtualMachines/vm-");
        assertThat(outputs.path("vmState").path("value").asString()).isEqualTo("Succeeded");
        assertThat(outputs.path("nestedDomains").path("value").asInt()).isEqualTo(2);
        assertThat(outputs.path("secret").has("value")).isFalse();
        assertThat(done.toString()).doesNotContain("Cirrus-Passw0rd!");
        assertThat(done.path("properties").path("outputResources").size()).isEqualTo(7);
        assertThat(done.path("properties").path("duration").asString()).startsWith("PT");

        JsonNode vm = json(gateway.get(vmId + "?api-version=2024-07-01"));
        assertThat(vm.path("properties").path("availabilitySet").path("id").asString())
                .isEqualToIgnoringCase(group + "/providers/Microsoft.Compute/availabilitySets/set-0");
        assertThat(json(gateway.get(group + "/providers/Microsoft.Network/networkInterfaces/nic?api-version=2024-05-01"))
                .path("properties").path("virtualMachine").path("id").asString()).isEqualToIgnoringCase(vmId);
        assertThat(gateway.get(group + "/providers/Microsoft.Compute/availabilitySets/nested-set?api-version="
                + "2024-07-01").statusCode()).isEqualTo(200);

        JsonNode operations = json(gateway.get(deployment + "/operations?" + V)).path("value");
        assertThat(operations.size()).isEqualTo(7);
        operations.forEach(op -> assertThat(op.path("properties").path("provisioningState").asString())
                .isEqualTo("Succeeded"));
        assertThat(operations.toString()).doesNotContain("Cirrus-Passw0rd!");

        assertThat(json(gateway.get(group + "/providers/Microsoft.Resources/deployments?" + V)).path("value")
                .findValuesAsString("name")).contains("first", "nested");
        assertThat(json(gateway.send("POST", deployment + "/exportTemplate?" + V, null)).path("template")
                .path("contentVersion").asString()).isEqualTo("1.0.0.0");
    }

    @Test
    void aResourceTheGatewayRefusesFailsTheDeploymentWithItsErrorInTheOperations() {
        Gateway gateway = Gateway.admin(port, data);
        String sub = gateway.newSubscription();
        String group = "/subscriptions/" + sub + "/resourceGroups/bad";
        gateway.put(group + "?" + V, "{\"location\":\"eastus\"}");
        String deployment = group + "/providers/Microsoft.Resources/deployments/broken";
        HttpResponse<String> accepted = gateway.put(deployment + "?" + V, """
                {"properties": {"mode": "Incremental", "template": {
                  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                  "contentVersion": "1.0.0.0",
                  "resources": [{"type": "Microsoft.Compute/noSuchThings", "apiVersion": "2024-07-01", "name": "x",
                                 "location": "eastus"},
                                {"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01",
                                 "name": "after", "location": "eastus", "dependsOn": ["x"]}]}}}
                """);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
        JsonNode done = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> json(gateway.get(deployment + "?" + V)), d -> List.of("Succeeded", "Failed")
                        .contains(d.path("properties").path("provisioningState").asString()));
        assertThat(done.path("properties").path("provisioningState").asString()).isEqualTo("Failed");
        JsonNode error = done.path("properties").path("error");
        assertThat(error.path("code").asString()).isEqualTo("DeploymentFailed");
        assertThat(error.path("details").get(0).path("code").asString()).isNotBlank();
        JsonNode operations = json(gateway.get(deployment + "/operations?" + V)).path("value");
        assertThat(operations.size()).isEqualTo(1);
        // the gateway refuses a type no provider registers (NotFound), before any service is asked
        assertThat(operations.get(0).path("properties").path("statusCode").asString()).isEqualTo("NotFound");
        assertThat(operations.get(0).path("properties").path("provisioningState").asString()).isEqualTo("Failed");
        assertThat(operations.get(0).path("properties").path("statusMessage").path("error").path("code").asString())
                .isEqualTo(error.path("details").get(0).path("code").asString());
        assertThat(gateway.get(group + "/providers/Microsoft.Compute/availabilitySets/after?api-version=2024-07-01")
                .statusCode()).isEqualTo(404);
    }

    @Test
    void aBadTemplateIsRefusedBeforeAnythingIsStoredAndValidateSaysWhy() {
        Gateway gateway = Gateway.admin(port, data);
        String sub = gateway.newSubscription();
        String group = "/subscriptions/" + sub + "/resourceGroups/val";
        gateway.put(group + "?" + V, "{\"location\":\"eastus\"}");
        String deployment = group + "/providers/Microsoft.Resources/deployments/cyclic";
        String cyclic = """
                {"properties": {"mode": "Incremental", "template": {
                  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                  "contentVersion": "1.0.0.0",
                  "resources": [{"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01",
                                 "name": "a", "location": "eastus", "dependsOn": ["b"]},
                                {"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01",
                                 "name": "b", "location": "eastus", "dependsOn": ["a"]}]}}}
                """;
        HttpResponse<String> refused = gateway.put(deployment + "?" + V, cyclic);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(errorCode(refused)).isEqualTo("InvalidTemplate");
        assertThat(json(refused).path("error").path("message").asString()).contains("Circular dependency detected");
        assertThat(errorCode(gateway.get(deployment + "?" + V))).isEqualTo("DeploymentNotFound");

        HttpResponse<String> validated = gateway.send("POST", deployment + "/validate?" + V, cyclic);
        assertThat(validated.statusCode()).isEqualTo(400);
        assertThat(errorCode(validated)).isEqualTo("InvalidTemplate");

        HttpResponse<String> good = gateway.send("POST", deployment + "/validate?" + V,
                cyclic.replace("\"dependsOn\": [\"a\"]", "\"dependsOn\": []"));
        assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
        assertThat(json(good).path("properties").path("validatedResources").findValuesAsString("id"))
                .containsExactly(group + "/providers/Microsoft.Compute/availabilitySets/a",
                        group + "/providers/Microsoft.Compute/availabilitySets/b");
        assertThat(errorCode(gateway.get(deployment + "?" + V))).isEqualTo("DeploymentNotFound");

        assertThat(errorCode(gateway.put(deployment + "?" + V, "{\"properties\": {\"mode\": \"Sometimes\", "
                + "\"template\": {}}}"))).isEqualTo("InvalidRequestContent");
        assertThat(errorCode(gateway.put(deployment + "?" + V, "{}"))).isEqualTo("InvalidRequestContent");
        assertThat(errorCode(gateway.put(group + "/providers/Microsoft.Resources/deployments/" + "x".repeat(65)
                + "?" + V, cyclic))).isEqualTo("DeploymentNameLengthLimitExceeded");
        assertThat(errorCode(gateway.put("/subscriptions/" + sub + "/resourceGroups/nogroup/providers/"
                + "Microsoft.Resources/deployments/d?" + V, cyclic))).isEqualTo("ResourceGroupNotFound");
        assertThat(errorCode(gateway.put("/subscriptions/" + sub + "/providers/Microsoft.Resources/deployments/"
                + "s?" + V, cyclic))).isEqualTo("LocationRequired");
        assertThat(errorCode(gateway.send("POST", deployment + "/cancel?" + V, null)))
                .isEqualTo("DeploymentNotFound");
    }

    @Autowired
    dev.cirrus.gateway.tls.HttpsListener https;

    /** The official Java SDK's deployment API, as a user writes it for Azure. */
    @Test
    void theJavaSdkDeploysATemplateAndReadsItsOutputs() throws Exception {
        JsonNode credentials = Gateway.JSON.readTree(java.nio.file.Files.readString(data.credentialsFile()));
        String endpoint = "https://localhost:" + https.port() + "/";
        io.netty.handler.ssl.SslContext trust = io.netty.handler.ssl.SslContextBuilder.forClient()
                .trustManager(data.dataDir().resolve("tls/gateway.crt.pem").toFile()).build();
        com.azure.core.http.HttpClient http = new com.azure.core.http.netty.NettyAsyncHttpClientBuilder(
                reactor.netty.http.client.HttpClient.create().secure(tls -> tls.sslContext(trust))).build();
        com.azure.core.management.AzureEnvironment cirrus = new com.azure.core.management.AzureEnvironment(
                java.util.Map.of("resourceManagerEndpointUrl", endpoint, "managementEndpointUrl", endpoint,
                        "activeDirectoryEndpointUrl", endpoint, "activeDirectoryResourceId", endpoint,
                        "microsoftGraphResourceId", "https://graph.microsoft.com/"));
        com.azure.core.management.profile.AzureProfile profile = new com.azure.core.management.profile.AzureProfile(
                credentials.path("tenantId").asString(), credentials.path("subscriptionId").asString(), cirrus);
        com.azure.core.credential.TokenCredential credential = new com.azure.identity.ClientSecretCredentialBuilder()
                .authorityHost(endpoint).disableInstanceDiscovery()
                .tenantId(credentials.path("tenantId").asString())
                .clientId(credentials.path("clientId").asString())
                .clientSecret(credentials.path("clientSecret").asString())
                .httpClient(http).build();
        com.azure.resourcemanager.AzureResourceManager azure = com.azure.resourcemanager.AzureResourceManager
                .configure().withHttpClient(http).authenticate(credential, profile).withDefaultSubscription();

        azure.resourceGroups().define("sdk-deploy").withRegion(com.azure.core.management.Region.US_EAST).create();
        com.azure.resourcemanager.resources.models.Deployment deployment = azure.deployments().define("sdk-dep")
                .withExistingResourceGroup("sdk-deploy")
                .withTemplate("""
                        {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                         "contentVersion": "1.0.0.0",
                         "parameters": {"name": {"type": "string"}},
                         "resources": [{"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01",
                           "name": "[parameters('name')]", "location": "[resourceGroup().location]",
                           "sku": {"name": "Aligned"},
                           "properties": {"platformFaultDomainCount": 2}}],
                         "outputs": {"id": {"type": "string",
                           "value": "[resourceId('Microsoft.Compute/availabilitySets', parameters('name'))]"}}}
                        """)
                .withParameters(java.util.Map.of("name", java.util.Map.of("value", "sdk-set")))
                .withMode(com.azure.resourcemanager.resources.models.DeploymentMode.INCREMENTAL)
                .create();
        assertThat(deployment.provisioningState()).isEqualTo("Succeeded");
        assertThat(deployment.outputs().toString()).contains("availabilitySets/sdk-set");
        assertThat(azure.availabilitySets().getByResourceGroup("sdk-deploy", "sdk-set").faultDomainCount())
                .isEqualTo(2);
        assertThat(azure.deployments().getByResourceGroup("sdk-deploy", "sdk-dep").deploymentOperations().list()
                .stream().count()).isEqualTo(1);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
