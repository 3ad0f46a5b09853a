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
        registry.add("cirrus.deployments.template-link-timeout", () -> "2s");
        registry.add("cirrus.deployments.template-link-max-bytes", () -> "65536");
        // one principal writes several hundred times here (the 86-row bad-input table among them): ARM's write bucket
        // would answer 429 to a late row on a fast run; throttling has its own test (throttling/ThrottlingTest)
        registry.add("cirrus.gateway.throttling.writes.capacity", () -> "100000");
        registry.add("cirrus.gateway.throttling.writes.refill-per-second", () -> "10000");
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
    void aFailedResourceFailsTheDeploymentWhichKeepsWhatItCreatedAndSaysSoInItsOperations() {
        Gateway gateway = Gateway.admin(port, data);
        String sub = gateway.newSubscription();
        String group = "/subscriptions/" + sub + "/resourceGroups/bad";
        gateway.put(group + "?" + V, "{\"location\":\"eastus\"}");
        String deployment = group + "/providers/Microsoft.Resources/deployments/broken";
        HttpResponse<String> accepted = gateway.put(deployment + "?" + V, """
                {"properties": {"mode": "Incremental", "template": {
                  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                  "contentVersion": "1.0.0.0",
                  "resources": [{"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01",
                                 "name": "first", "location": "eastus", "sku": {"name": "Aligned"}},
                                {"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01",
                                 "name": "x", "location": "eastus", "dependsOn": ["first"],
                                 "properties": {"platformFaultDomainCount": 4}},
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
        assertThat(operations.size()).isEqualTo(2);
        JsonNode first = operations.get(0).path("properties");
        JsonNode failed = operations.get(1).path("properties");
        assertThat(first.path("targetResource").path("resourceName").asString()).isEqualTo("first");
        assertThat(first.path("provisioningState").asString()).isEqualTo("Succeeded");
        // compute-vm refuses a fault domain count over 3: its 400 is the operation's status
        assertThat(failed.path("targetResource").path("resourceName").asString()).isEqualTo("x");
        assertThat(failed.path("statusCode").asString()).isEqualTo("BadRequest");
        assertThat(failed.path("provisioningState").asString()).isEqualTo("Failed");
        assertThat(failed.path("statusMessage").path("error").path("code").asString())
                .isEqualTo(error.path("details").get(0).path("code").asString());
        // as in Incremental mode: what was created stays, what came after the failure was never started
        assertThat(gateway.get(group + "/providers/Microsoft.Compute/availabilitySets/first?api-version=2024-07-01")
                .statusCode()).isEqualTo(200);
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

    private com.azure.resourcemanager.AzureResourceManager sdk() throws Exception {
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
        return com.azure.resourcemanager.AzureResourceManager
                .configure().withHttpClient(http).authenticate(credential, profile).withDefaultSubscription();
    }

    /** The official Java SDK's deployment API, as a user writes it for Azure. */
    @Test
    void theJavaSdkDeploysATemplateAndReadsItsOutputs() throws Exception {
        com.azure.resourcemanager.AzureResourceManager azure = sdk();
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

    /** The Java SDK's what-if, as generated from ARM's REST specification (202, Location, then the result). */
    @Test
    void theJavaSdkAsksWhatIfAndGetsTheChangesWithoutAnythingChanging() throws Exception {
        com.azure.resourcemanager.AzureResourceManager azure = sdk();
        azure.resourceGroups().define("sdk-whatif").withRegion(com.azure.core.management.Region.US_EAST).create();
        Gateway gateway = Gateway.admin(port, data);
        String group = "/subscriptions/" + azure.subscriptionId() + "/resourceGroups/sdk-whatif";
        assertThat(gateway.put(group + "/providers/Microsoft.Compute/availabilitySets/there?api-version=2024-07-01",
                "{\"location\": \"eastus\", \"sku\": {\"name\": \"Aligned\"}, \"properties\": "
                        + "{\"platformFaultDomainCount\": 2}}").statusCode()).isIn(200, 201);
        java.util.Map<String, Object> template = Gateway.JSON.readValue("""
                {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                 "contentVersion": "1.0.0.0",
                 "resources": [
                   {"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01", "name": "there",
                    "location": "[resourceGroup().location]", "sku": {"name": "Aligned"},
                    "properties": {"platformFaultDomainCount": 3}},
                   {"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01", "name": "new",
                    "location": "[resourceGroup().location]", "sku": {"name": "Aligned"}}]}
                """, java.util.Map.class);
        com.azure.resourcemanager.resources.fluent.models.WhatIfOperationResultInner result = azure.deployments()
                .manager().deploymentClient().getDeployments().whatIf("sdk-whatif", "sdk-what",
                        new com.azure.resourcemanager.resources.models.DeploymentWhatIf().withProperties(
                                new com.azure.resourcemanager.resources.models.DeploymentWhatIfProperties()
                                        .withMode(com.azure.resourcemanager.resources.models.DeploymentMode.INCREMENTAL)
                                        .withTemplate(template)));
        assertThat(result.status()).isEqualTo("Succeeded");
        java.util.Map<String, com.azure.resourcemanager.resources.models.WhatIfChange> changes = new java.util.HashMap<>();
        result.changes().forEach(c -> changes.put(c.resourceId().substring(c.resourceId().lastIndexOf('/') + 1), c));
        assertThat(changes.get("new").changeType())
                .isEqualTo(com.azure.resourcemanager.resources.models.ChangeType.CREATE);
        assertThat(changes.get("there").changeType())
                .isEqualTo(com.azure.resourcemanager.resources.models.ChangeType.MODIFY);
        assertThat(changes.get("there").delta()).anySatisfy(d -> {
            assertThat(d.path()).isEqualTo("properties.platformFaultDomainCount");
            assertThat(d.propertyChangeType())
                    .isEqualTo(com.azure.resourcemanager.resources.models.PropertyChangeType.MODIFY);
        });
        assertThat(gateway.get(group + "/providers/Microsoft.Compute/availabilitySets/new?api-version=2024-07-01")
                .statusCode()).isEqualTo(404);
    }

    @Test
    void whatIfComparesTheTemplateWithTheResourcesAsTheyAreAndChangesNothing() {
        Gateway gateway = Gateway.admin(port, data);
        String sub = gateway.newSubscription();
        String group = "/subscriptions/" + sub + "/resourceGroups/whatif";
        gateway.put(group + "?" + V, "{\"location\":\"eastus\"}");
        String sets = group + "/providers/Microsoft.Compute/availabilitySets/";
        for (String name : new String[] {"changed", "same", "other"}) {
            HttpResponse<String> put = gateway.put(sets + name + "?api-version=2024-07-01", "{\"location\": "
                    + "\"eastus\", \"sku\": {\"name\": \"Aligned\"}, \"tags\": {\"env\": \"dev\"}, "
                    + "\"properties\": {\"platformFaultDomainCount\": 2}}");
            assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
        }
        String template = """
                {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                 "contentVersion": "1.0.0.0",
                 "parameters": {"domains": {"type": "int", "defaultValue": 3}},
                 "resources": [
                   {"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01", "name": "changed",
                    "location": "[resourceGroup().location]", "sku": {"name": "Aligned"}, "tags": {"env": "prod"},
                    "properties": {"platformFaultDomainCount": "[parameters('domains')]"}},
                   {"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01", "name": "same",
                    "location": "eastus", "sku": {"name": "Aligned"}, "tags": {"env": "dev"},
                    "properties": {"platformFaultDomainCount": 2}},
                   {"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01", "name": "fresh",
                    "location": "eastus", "sku": {"name": "Aligned"}},
                   {"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01", "name": "later",
                    "location": "eastus", "dependsOn": ["fresh"],
                    "tags": {"from": "[reference('fresh').platformFaultDomainCount]"}}]}
                """;
        String deployment = group + "/providers/Microsoft.Resources/deployments/what";
        JsonNode incremental = whatIf(gateway, deployment, "Incremental", template);
        assertThat(incremental.path("status").asString()).isEqualTo("Succeeded");
        java.util.Map<String, JsonNode> changes = byName(incremental);
        assertThat(changes.keySet()).containsExactlyInAnyOrder("changed", "same", "fresh", "later", "other");
        JsonNode changed = changes.get("changed");
        assertThat(changed.path("changeType").asString()).isEqualTo("Modify");
        assertThat(changed.path("before").path("properties").path("platformFaultDomainCount").asInt()).isEqualTo(2);
        assertThat(changed.path("after").path("properties").path("platformFaultDomainCount").asInt()).isEqualTo(3);
        assertThat(changed.path("delta").toString()).contains("\"path\":\"tags.env\"")
                .contains("\"path\":\"properties.platformFaultDomainCount\"");
        assertThat(changes.get("same").path("changeType").asString()).isEqualTo("NoChange");
        assertThat(changes.get("fresh").path("changeType").asString()).isEqualTo("Create");
        assertThat(changes.get("fresh").path("after").path("location").asString()).isEqualTo("eastus");
        // its tag reads a resource that does not exist yet: it stays the expression, as in ARM's what-if
        assertThat(changes.get("later").path("changeType").asString()).isEqualTo("Create");
        assertThat(changes.get("later").path("after").path("tags").path("from").asString())
                .isEqualTo("[reference('fresh').platformFaultDomainCount]");
        assertThat(changes.get("other").path("changeType").asString()).isEqualTo("Ignore");

        JsonNode complete = whatIf(gateway, deployment, "Complete", template);
        assertThat(byName(complete).get("other").path("changeType").asString()).isEqualTo("Delete");

        JsonNode idsOnly = whatIf(gateway, deployment, "{\"properties\": {\"mode\": \"Incremental\", "
                + "\"whatIfSettings\": {\"resultFormat\": \"ResourceIdOnly\"}, \"template\": " + template + "}}");
        assertThat(byName(idsOnly).get("changed").has("delta")).isFalse();
        assertThat(byName(idsOnly).get("changed").path("changeType").asString()).isEqualTo("Modify");

        // nothing changed, nothing was stored
        assertThat(json(gateway.get(sets + "changed?api-version=2024-07-01")).path("properties")
                .path("platformFaultDomainCount").asInt()).isEqualTo(2);
        assertThat(gateway.get(sets + "fresh?api-version=2024-07-01").statusCode()).isEqualTo(404);
        assertThat(errorCode(gateway.get(deployment + "?" + V))).isEqualTo("DeploymentNotFound");

        // at subscription scope: a resource group to create, an existing one unchanged, a nested deployment
        String atSubscription = "/subscriptions/" + sub + "/providers/Microsoft.Resources/deployments/groups";
        JsonNode groups = whatIf(gateway, atSubscription, """
                {"location": "eastus", "properties": {"mode": "Incremental", "template": {
                  "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
                  "contentVersion": "1.0.0.0",
                  "resources": [
                    {"type": "Microsoft.Resources/resourceGroups", "apiVersion": "2022-09-01", "name": "brand-new",
                     "location": "eastus"},
                    {"type": "Microsoft.Resources/resourceGroups", "apiVersion": "2022-09-01", "name": "whatif",
                     "location": "eastus"},
                    {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "inner",
                     "resourceGroup": "whatif", "properties": {"mode": "Incremental", "template": {
                       "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                       "contentVersion": "1.0.0.0", "resources": []}}}]}}}
                """);
        java.util.Map<String, JsonNode> byGroup = byName(groups);
        assertThat(byGroup.get("brand-new").path("changeType").asString()).as(groups.toString()).isEqualTo("Create");
        assertThat(byGroup.get("whatif").path("changeType").asString()).as(groups.toString()).isEqualTo("NoChange");
        assertThat(byGroup.get("inner").path("changeType").asString()).isEqualTo("Unsupported");
        assertThat(gateway.get("/subscriptions/" + sub + "/resourceGroups/brand-new?api-version=2022-09-01")
                .statusCode()).isEqualTo(404);

        // a bad template is refused at once, as a PUT would be
        HttpResponse<String> refused = gateway.send("POST", deployment + "/whatIf?" + V, "{\"properties\": "
                + "{\"mode\": \"Incremental\", \"template\": {\"resources\": []}}}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(errorCode(refused)).isEqualTo("InvalidTemplate");
        assertThat(errorCode(gateway.get(deployment + "/whatIfOperationResults/" + java.util.UUID.randomUUID()
                + "?" + V))).isEqualTo("OperationNotFound");
    }

    private static JsonNode whatIf(Gateway gateway, String deployment, String mode, String template) {
        return whatIf(gateway, deployment, "{\"properties\": {\"mode\": \"" + mode + "\", \"template\": "
                + template + "}}");
    }

    private static JsonNode whatIf(Gateway gateway, String deployment, String body) {
        HttpResponse<String> accepted = gateway.send("POST", deployment + "/whatIf?" + V, body);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertThat(location).contains("/whatIfOperationResults/");
        String path = java.net.URI.create(location).getRawPath() + "?" + java.net.URI.create(location).getRawQuery();
        HttpResponse<String> result = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> gateway.get(path), r -> r.statusCode() != 202);
        assertThat(result.statusCode()).as(result.body()).isEqualTo(200);
        return json(result);
    }

    private static java.util.Map<String, JsonNode> byName(JsonNode result) {
        java.util.Map<String, JsonNode> out = new java.util.HashMap<>();
        result.path("properties").path("changes").forEach(c -> {
            String id = c.path("resourceId").asString();
            out.put(id.substring(id.lastIndexOf('/') + 1), c);
        });
        return out;
    }

    @Test
    void aTemplateLinkIsFetchedOverHttpAndWhatCannotBeFetchedIsInvalidContentLink() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        java.util.Map<String, String> content = java.util.Map.of(
                "/template.json", """
                        {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                         "contentVersion": "1.0.0.0",
                         "parameters": {"name": {"type": "string"}},
                         "resources": [{"type": "Microsoft.Compute/availabilitySets", "apiVersion": "2024-07-01",
                           "name": "[parameters('name')]", "location": "eastus", "sku": {"name": "Aligned"}}]}
                        """,
                "/parameters.json", "{\"$schema\": \"x\", \"contentVersion\": \"1.0.0.0\", \"parameters\": "
                        + "{\"name\": {\"value\": \"linked\"}}}",
                "/broken.json", "{\n  \"$schema\": \"x\",\n  \"resources\": [,]\n}",
                "/large.json", "{\"$schema\": \"" + "x".repeat(70_000) + "\"}");
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (path.equals("/slow.json")) {
                    exchange.sendResponseHeaders(200, 0);
                    exchange.getResponseBody().write("{".getBytes());
                    exchange.getResponseBody().flush();
                    await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
                    return;
                }
                String body = content.get(path);
                if (body == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            } catch (java.io.IOException | RuntimeException closed) {
                // the gateway gave up on a slow answer
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            Gateway gateway = Gateway.admin(port, data);
            String sub = gateway.newSubscription();
            String group = "/subscriptions/" + sub + "/resourceGroups/linked";
            gateway.put(group + "?" + V, "{\"location\":\"eastus\"}");
            String deployment = group + "/providers/Microsoft.Resources/deployments/linked";
            HttpResponse<String> accepted = gateway.put(deployment + "?" + V, "{\"properties\": {\"mode\": "
                    + "\"Incremental\", \"templateLink\": {\"uri\": \"" + base + "/template.json\"}, "
                    + "\"parametersLink\": {\"uri\": \"" + base + "/parameters.json\"}}}");
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
            assertThat(json(accepted).path("properties").path("templateLink").path("uri").asString())
                    .isEqualTo(base + "/template.json");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> json(gateway.get(deployment + "?" + V)).path("properties")
                            .path("provisioningState").asString(), "Succeeded"::equals);
            assertThat(gateway.get(group + "/providers/Microsoft.Compute/availabilitySets/linked?api-version="
                    + "2024-07-01").statusCode()).isEqualTo(200);

            String refusedName = group + "/providers/Microsoft.Resources/deployments/refused";
            for (String[] c : new String[][] {
                    {"/missing.json", "Unable to download deployment content"},
                    {"/broken.json", "line 3, position"},
                    {"/large.json", "larger than the maximum of 65536 bytes"},
                    {"/slow.json", "Unable to download deployment content"}}) {
                HttpResponse<String> refused = gateway.put(refusedName + "?" + V, "{\"properties\": {\"mode\": "
                        + "\"Incremental\", \"templateLink\": {\"uri\": \"" + base + c[0] + "\"}}}");
                assertThat(refused.statusCode()).as(c[0]).isEqualTo(400);
                assertThat(errorCode(refused)).as(c[0]).isEqualTo("InvalidContentLink");
                assertThat(Gateway.errorMessage(refused)).as(c[0]).contains(c[1]);
            }
            assertThat(errorCode(gateway.get(refusedName + "?" + V))).isEqualTo("DeploymentNotFound");
        } finally {
            server.stop(0);
        }
    }

    /**
     * The network of a Linux VM (templates/linux-vm-network.json: NSG, virtual network with a subnet, public IP with
     * a DNS label, a NIC using all three) deployed through the gateway to compute-vm's Microsoft.Network; then
     * what-if with the same template predicts no change.
     */
    @Test
    void aLinuxVmsNetworkDeploysAndWhatIfThenPredictsNoChange() throws Exception {
        String template = new String(getClass().getResourceAsStream("/templates/linux-vm-network.json")
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        Gateway gateway = Gateway.admin(port, data);
        String sub = gateway.newSubscription();
        String group = "/subscriptions/" + sub + "/resourceGroups/net";
        gateway.put(group + "?" + V, "{\"location\":\"eastus\"}");
        String deployment = group + "/providers/Microsoft.Resources/deployments/network";
        HttpResponse<String> accepted = gateway.put(deployment + "?" + V, "{\"properties\": {\"mode\": "
                + "\"Incremental\", \"template\": " + template + ", \"parameters\": {\"vmName\": {\"value\": "
                + "\"vm1\"}}}}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
        JsonNode done = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> json(gateway.get(deployment + "?" + V)), d -> List.of("Succeeded", "Failed")
                        .contains(d.path("properties").path("provisioningState").asString()));
        assertThat(done.path("properties").path("provisioningState").asString()).as(done.toString())
                .isEqualTo("Succeeded");
        assertThat(done.path("properties").path("outputs").path("hostname").path("value").asString())
                .startsWith("vm1-");
        String nicId = done.path("properties").path("outputs").path("nicId").path("value").asString();
        JsonNode nic = json(gateway.get(nicId + "?api-version=2023-09-01"));
        assertThat(nic.path("properties").path("networkSecurityGroup").path("id").asString())
                .endsWithIgnoringCase("/networkSecurityGroups/vm1-nsg");

        JsonNode predicted = whatIf(gateway, deployment, "Incremental", template.replace(
                "\"defaultValue\": \"simpleLinuxVM\"", "\"defaultValue\": \"vm1\""));
        assertThat(predicted.path("properties").path("changes").size()).as(predicted.toString()).isEqualTo(4);
        predicted.path("properties").path("changes").forEach(change -> assertThat(change.path("changeType")
                .asString()).as(change.toString()).isEqualTo("NoChange"));
    }

    private static volatile String badInputGroup;

    @org.junit.jupiter.params.ParameterizedTest(name = "[{index}] {0}")
    @org.junit.jupiter.params.provider.MethodSource("dev.cirrus.gateway.deployments.DeploymentBadInput#cases")
    void badInputIsRefusedWithArmsCodeAndNothingChanges(DeploymentBadInput.Case c) {
        Gateway gateway = Gateway.admin(port, data);
        if (badInputGroup == null) {
            String sub = gateway.newSubscription();
            badInputGroup = "/subscriptions/" + sub + "/resourceGroups/badinput";
            assertThat(gateway.put(badInputGroup + "?" + V, "{\"location\":\"eastus\"}").statusCode())
                    .isEqualTo(201);
        }
        String deployment = badInputGroup + "/providers/Microsoft.Resources/deployments/" + c.deployment();
        HttpResponse<String> refused = gateway.put(deployment + "?" + V, c.body());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(c.status());
        assertThat(errorCode(refused)).as(refused.body()).isEqualTo(c.code());
        assertThat(Gateway.errorMessage(refused)).as(refused.body()).contains(c.message());
        if (c.code().equals("InvalidTemplateDeployment")) {
            assertThat(json(refused).path("error").path("details").get(0).path("code").asString())
                    .isIn("InvalidResourceNamespace", "InvalidResourceType", "NoRegisteredProviderFound");
        }
        // validate answers the same, what-if too; nothing is stored, nothing is created
        HttpResponse<String> validated = gateway.send("POST", deployment + "/validate?" + V, c.body());
        assertThat(validated.statusCode()).isEqualTo(c.status());
        assertThat(errorCode(validated)).isEqualTo(c.code());
        assertThat(errorCode(gateway.send("POST", deployment + "/whatIf?" + V, c.body()))).isEqualTo(c.code());
        if (!c.code().startsWith("DeploymentName") && !c.code().equals("InvalidDeploymentName")) {
            assertThat(errorCode(gateway.get(deployment + "?" + V))).isEqualTo("DeploymentNotFound");
        }
        assertThat(json(gateway.get(badInputGroup + "/resources?api-version=2021-04-01")).path("value").size())
                .isZero();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
