package dev.cirrus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.cirrus.launcher.Platform;
import dev.cirrus.launcher.PlatformConfig;
import dev.cirrus.launcher.PortPlan;
import dev.cirrus.launcher.RunningPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The Azure CLI as a user installs it from the distribution ({@code azure-cli}), unchanged, against the whole
 * platform: {@code az cloud register} with only the resource manager's URL (the rest comes from the gateway's
 * {@code /metadata/endpoints}), {@code az login --service-principal} with the administrator of
 * {@code credentials.json} (MSAL against the gateway's AD FS style authority), then resource groups, a VM and a
 * function app made with {@code az resource create} (and a function with {@code az rest}), a virtual network, a
 * storage account, a function app made with {@code az functionapp create}, an availability set (which the CLI makes
 * with a template deployment), a ten-resource template deployed with {@code az deployment group create}, and the
 * commands that read and change them: {@code vm get-instance-view}, {@code vm stop}/{@code start}, {@code network
 * vnet show}, {@code storage account keys list}, {@code functionapp function keys list}, {@code deployment group
 * show}, {@code deployment operation group list}, {@code resource list/show/tag}, {@code group export},
 * {@code group delete}. One platform, one cloud registration and login, and one resource group (a second one for
 * the template, whose resources it lists exactly) serve every test, in order.
 * The CLI trusts the gateway's generated certificate through {@code REQUESTS_CA_BUNDLE}, keeps its state in an
 * {@code AZURE_CONFIG_DIR} of its own under {@code target/}, and uses the Azure Stack profile
 * {@code 2020-09-01-hybrid} (the Debian package loads its compute and network commands only under that profile).
 * {@code az functionapp create} reads the function app stacks, which the {@code Microsoft.Web} api-version of that
 * profile (2018-02-01) has no operation for: it runs in a copy of the configuration directory (the same login)
 * whose cloud has the {@code latest} profile.
 * Skipped, with the reason, where {@code az} is not on the PATH ({@code .ci/run} installs it when it runs as root).
 */
@Tag("scenario") // slow: runs in the second Maven run of ./cirrus test (root pom.xml)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AzureCliTest {

    static final String LOCATION = "koreacentral";
    static final String GROUP = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    static final String VM = "cli-vm1";
    static final String FUNCTION_APP = "cli-fn-" + UUID.randomUUID().toString().substring(0, 8);
    static final String FUNCTION = "hello";
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    /** The group of the template deployment, whose resources are listed exactly. */
    static final String TEMPLATE_GROUP = GROUP + "-template";
    static final String VNET = "cli-vnet";
    static final String STORAGE = "clist" + RUN;
    static final String CLI_APP = "cli-app-" + RUN;
    static final String AVAILABILITY_SET = "cli-set";
    static final String TEMPLATE_DEPLOYMENT = "cli-ten-resources";
    /** The group of az vm create, which makes its own network. */
    static final String VM_CREATE_GROUP = GROUP + "-vmcreate";
    /** An image of the catalogue: the CLI's default alias UbuntuLTS names Ubuntu 18.04, which the catalogue lacks. */
    static final String IMAGE = "Canonical:0001-com-ubuntu-server-jammy:22_04-lts:latest";
    static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path data;

    RunningPlatform platform;
    Path az;
    Path configDir;
    /** A copy of the CLI's state with the {@code latest} profile, for {@code functionapp create}; made when needed. */
    Path latestConfigDir;
    String storageKey1;
    String resourceManager;
    JsonNode credentials;

    @BeforeAll
    void startThePlatformWhereTheCliIsInstalled() throws Exception {
        az = onPath("az");
        if (az == null) {
            System.out.println("AzureCliTest skipped: no 'az' on the PATH (install the distribution's azure-cli "
                    + "package, e.g. apt-get install azure-cli; .ci/run does so when it runs as root)");
        }
        assumeTrue(az != null, "no 'az' on the PATH: install the distribution's azure-cli package");
        configDir = Path.of("target", "azure-cli-config-" + UUID.randomUUID()).toAbsolutePath();
        Files.createDirectories(configDir);
        platform = Platform.start(PlatformConfig.builder()
                .repoRoot(PlatformConfig.locateRepoRoot(Path.of("")))
                .dataDir(data)
                .ports(PortPlan.freePorts())
                // the CLI's commands take seconds each; a busy machine's slower start is no failure of what is tested
                .readinessTimeout(Duration.ofMinutes(6))
                .build());
        credentials = Arm.JSON.readTree(Files.readString(data.resolve("gateway").resolve("credentials.json")));
        // the HTTPS listener's address, as the gateway itself describes it (asked on localhost: the certificate's name)
        URI plain = platform.gatewayUrl();
        HttpResponse<String> metadata = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + plain.getPort() + "/metadata/endpoints?api-version=2022-09-01")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metadata.statusCode()).as(metadata.body()).isEqualTo(200);
        resourceManager = Arm.JSON.readTree(metadata.body()).path("resourceManager").asString();
        assertThat(resourceManager).startsWith("https://localhost:").endsWith("/");
    }

    @AfterAll
    void stopThePlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void cloudRegisterFindsTheAuthorityAndAudienceInTheGatewaysMetadata() {
        // CLI 2.45 reads no suffixes from the metadata (its 2015-01-01 shape has none): a private cloud names its
        // storage suffix on registration, as Azure Stack's does; the CLI writes it into the connection strings it makes
        az("cloud", "register", "-n", "cirrus", "--endpoint-resource-manager", resourceManager,
                "--profile", "2020-09-01-hybrid", "--suffix-storage-endpoint", "localhost");
        az("cloud", "set", "-n", "cirrus");

        JsonNode cloud = az("cloud", "show", "-n", "cirrus");
        assertThat(cloud.path("endpoints").path("activeDirectory").asString()).isEqualTo(resourceManager + "adfs");
        assertThat(cloud.path("endpoints").path("activeDirectoryResourceId").asString()).isEqualTo(resourceManager);
        assertThat(cloud.path("profile").asString()).isEqualTo("2020-09-01-hybrid");
        assertThat(cloud.path("suffixes").path("storageEndpoint").asString()).isEqualTo("localhost");
    }

    @Test
    @Order(2)
    void loginWithAServicePrincipalFindsTheDefaultSubscription() {
        JsonNode accounts = az("login", "--service-principal", "-u", credentials.path("clientId").asString(),
                "-p", credentials.path("clientSecret").asString(), "--tenant", credentials.path("tenantId").asString());

        assertThat(accounts.isArray()).isTrue();
        List<String> ids = new ArrayList<>();
        accounts.forEach(a -> ids.add(a.path("id").asString()));
        assertThat(ids).contains(credentials.path("subscriptionId").asString());
        az("account", "set", "--subscription", credentials.path("subscriptionId").asString());
    }

    @Test
    @Order(3)
    void aResourceGroupIsCreatedAndListed() {
        JsonNode group = az("group", "create", "-n", GROUP, "-l", LOCATION);
        assertThat(group.path("name").asString()).isEqualTo(GROUP);
        assertThat(group.path("properties").path("provisioningState").asString()).isEqualTo("Succeeded");

        List<String> names = new ArrayList<>();
        az("group", "list").forEach(g -> names.add(g.path("name").asString()));
        assertThat(names).contains(GROUP);
    }

    @Test
    @Order(4)
    void theVmSizesOfALocationAreListed() {
        JsonNode sizes = az("vm", "list-sizes", "-l", LOCATION);

        assertThat(sizes.isArray()).isTrue();
        assertThat(sizes.size()).isPositive();
        List<String> names = new ArrayList<>();
        sizes.forEach(s -> names.add(s.path("name").asString()));
        assertThat(names).anyMatch(n -> n.startsWith("Standard_"));
    }

    @Test
    @Order(5)
    void aVmIsCreatedWithResourceCreateAndReachesSucceeded() {
        // the VM's NIC, in a group of its own so that the listings and the export below stay the VM's
        String net = GROUP + "-net";
        az("group", "create", "-n", net, "-l", LOCATION);
        az("resource", "create", "-g", net, "-n", "vnet", "--resource-type", "Microsoft.Network/virtualNetworks",
                "--api-version", "2024-07-01", "--is-full-object", "--properties", """
                        {"location": "%s", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
                         "subnets": [{"name": "default", "properties": {"addressPrefix": "10.0.0.0/24"}}]}}
                        """.formatted(LOCATION));
        String nic = az("resource", "create", "-g", net, "-n", VM + "-nic", "--resource-type",
                "Microsoft.Network/networkInterfaces", "--api-version", "2024-07-01", "--is-full-object",
                "--properties", """
                        {"location": "%s", "properties": {"ipConfigurations": [{"name": "ipconfig1", "properties":
                         {"subnet": {"id": "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default"}}}]}}
                        """.formatted(LOCATION, credentials.path("subscriptionId").asString(), net)).path("id").asString();
        JsonNode vm = az("resource", "create", "-g", GROUP, "-n", VM,
                "--resource-type", "Microsoft.Compute/virtualMachines", "--api-version", "2024-07-01",
                "--is-full-object", "--properties", """
                        {"location": "%s",
                         "properties": {
                           "hardwareProfile": {"vmSize": "Standard_B1s"},
                           "storageProfile": {"imageReference": {"publisher": "Canonical",
                               "offer": "0001-com-ubuntu-server-jammy", "sku": "22_04-lts", "version": "latest"}},
                           "osProfile": {"computerName": "%s", "adminUsername": "azureuser",
                                         "adminPassword": "Sup3r$ecret!"},
                           "networkProfile": {"networkInterfaces": [{"id": "%s"}]}}}
                        """.formatted(LOCATION, VM, nic));

        assertThat(vm.path("name").asString()).isEqualTo(VM);
        assertThat(vm.path("type").asString()).isEqualTo("Microsoft.Compute/virtualMachines");
        // the CLI follows the long-running PUT to its end and prints the VM as it then is
        assertThat(vm.path("properties").path("provisioningState").asString()).isEqualTo("Succeeded");
        assertThat(vm.path("properties").path("vmId").asString()).isNotBlank();
        assertThat(vm.toString()).doesNotContain("Sup3r$ecret!");
    }

    @Test
    @Order(6)
    void theVmsOfTheGroupAndOfTheSubscriptionAreListed() {
        List<String> inGroup = new ArrayList<>();
        az("vm", "list", "-g", GROUP).forEach(v -> inGroup.add(v.path("name").asString()));
        assertThat(inGroup).containsExactly(VM);
        List<String> ids = new ArrayList<>();
        az("vm", "list").forEach(v -> ids.add(v.path("id").asString()));
        assertThat(ids).anyMatch(id -> id.endsWith("/resourceGroups/" + GROUP + "/providers/Microsoft.Compute/virtualMachines/" + VM));
    }

    @Test
    @Order(7)
    void theInstanceViewOfTheNewVmSaysItIsRunning() {
        JsonNode vm = az("vm", "get-instance-view", "-g", GROUP, "-n", VM);

        assertThat(vm.path("name").asString()).isEqualTo(VM);
        assertThat(powerState(vm)).isEqualTo("PowerState/running");
    }

    @Test
    @Order(8)
    void vmStopPowersTheVmOffAndItsInstanceViewSaysStopped() {
        az("vm", "stop", "-g", GROUP, "-n", VM);

        assertThat(powerState(az("vm", "get-instance-view", "-g", GROUP, "-n", VM))).isEqualTo("PowerState/stopped");
    }

    @Test
    @Order(9)
    void vmStartRunsTheVmAgainAndItsInstanceViewSaysRunning() {
        az("vm", "start", "-g", GROUP, "-n", VM);

        assertThat(powerState(az("vm", "get-instance-view", "-g", GROUP, "-n", VM))).isEqualTo("PowerState/running");
    }

    @Test
    @Order(10)
    void vnetCreateMakesAVirtualNetworkWithItsSubnet() {
        JsonNode created = az("network", "vnet", "create", "-g", GROUP, "-n", VNET, "--address-prefix", "10.0.0.0/16",
                "--subnet-name", "default", "--subnet-prefix", "10.0.0.0/24").path("newVNet");

        assertThat(created.path("name").asString()).isEqualTo(VNET);
        assertThat(created.path("location").asString()).isEqualTo(LOCATION);
        assertThat(created.path("provisioningState").asString()).isEqualTo("Succeeded");
        assertThat(strings(created.path("addressSpace").path("addressPrefixes"))).containsExactly("10.0.0.0/16");
        assertThat(created.path("subnets")).hasSize(1);
        assertThat(created.path("subnets").get(0).path("name").asString()).isEqualTo("default");
        assertThat(created.path("subnets").get(0).path("addressPrefix").asString()).isEqualTo("10.0.0.0/24");

        // the network is stored: show reads it back, and its subnet is a resource of its own
        JsonNode shown = az("network", "vnet", "show", "-g", GROUP, "-n", VNET);
        assertThat(shown.path("id").asString()).isEqualTo(created.path("id").asString());
        assertThat(shown.path("etag").asString()).isNotBlank();
        JsonNode subnets = az("network", "vnet", "subnet", "list", "-g", GROUP, "--vnet-name", VNET);
        assertThat(subnets).hasSize(1);
        assertThat(subnets.get(0).path("id").asString()).isEqualTo(created.path("id").asString() + "/subnets/default");
        assertThat(subnets.get(0).path("addressPrefix").asString()).isEqualTo("10.0.0.0/24");
    }

    @Test
    @Order(11)
    void aSubnetOverlappingItsSiblingIsRefusedWithAzuresCodeAndNothingChanges() {
        String error = azFails("network", "vnet", "subnet", "create", "-g", GROUP, "--vnet-name", VNET, "-n", "overlap",
                "--address-prefixes", "10.0.0.128/25");

        assertThat(error).contains("NetcfgSubnetRangesOverlap");
        List<String> names = new ArrayList<>();
        az("network", "vnet", "subnet", "list", "-g", GROUP, "--vnet-name", VNET)
                .forEach(subnet -> names.add(subnet.path("name").asString()));
        assertThat(names).containsExactly("default");
    }

    @Test
    @Order(12)
    void storageAccountCreateMakesAnAccountWithTheEmulatorsEndpoints() {
        JsonNode account = az("storage", "account", "create", "-g", GROUP, "-n", STORAGE, "-l", LOCATION,
                "--sku", "Standard_LRS");

        assertThat(account.path("name").asString()).isEqualTo(STORAGE);
        assertThat(account.path("type").asString()).isEqualTo("Microsoft.Storage/storageAccounts");
        assertThat(account.path("location").asString()).isEqualTo(LOCATION);
        assertThat(account.path("sku").path("name").asString()).isEqualTo("Standard_LRS");
        // the CLI's Azure Stack profile asks for the kind Storage when none is given
        assertThat(account.path("kind").asString()).isEqualTo("Storage");
        assertThat(account.path("provisioningState").asString()).isEqualTo("Succeeded");
        assertThat(account.path("primaryEndpoints").path("blob").asString())
                .isEqualTo("http://127.0.0.1:10000/" + STORAGE + "/");

        JsonNode shown = az("storage", "account", "show", "-g", GROUP, "-n", STORAGE);
        assertThat(shown.path("id").asString()).isEqualTo(account.path("id").asString());
        assertThat(shown.path("creationTime").asString()).isEqualTo(account.path("creationTime").asString());
    }

    @Test
    @Order(13)
    void theKeysOfTheStorageAccountAreListedAndMakeItsConnectionString() {
        JsonNode keys = az("storage", "account", "keys", "list", "-g", GROUP, "-n", STORAGE);

        assertThat(keys).hasSize(2);
        assertThat(keys.get(0).path("keyName").asString()).isEqualTo("key1");
        assertThat(keys.get(1).path("keyName").asString()).isEqualTo("key2");
        storageKey1 = keys.get(0).path("value").asString();
        assertThat(storageKey1).isNotBlank().isNotEqualTo(keys.get(1).path("value").asString());
        assertThat(Base64.getDecoder().decode(storageKey1)).hasSize(64);

        String connection = az("storage", "account", "show-connection-string", "-g", GROUP, "-n", STORAGE)
                .path("connectionString").asString();
        assertThat(connection).contains(";AccountName=" + STORAGE + ";AccountKey=" + storageKey1 + ";")
                .contains(";BlobEndpoint=http://127.0.0.1:10000/" + STORAGE + "/")
                .contains(";QueueEndpoint=http://127.0.0.1:10001/" + STORAGE + "/")
                .contains(";TableEndpoint=http://127.0.0.1:10002/" + STORAGE + "/");
    }

    @Test
    @Order(14)
    void functionappCreateMakesANodeAppOnTheStorageAccount() {
        JsonNode app = azLatest("functionapp", "create", "-g", GROUP, "-n", CLI_APP, "--storage-account", STORAGE,
                "--consumption-plan-location", LOCATION, "--functions-version", "4", "--runtime", "node");

        assertThat(app.path("name").asString()).isEqualTo(CLI_APP);
        assertThat(app.path("kind").asString()).isEqualTo("functionapp");
        assertThat(app.path("location").asString()).isEqualToIgnoringCase(LOCATION);
        assertThat(app.path("state").asString()).isEqualTo("Running");
        assertThat(app.path("defaultHostName").asString()).startsWith(CLI_APP + ".azurewebsites.");

        // the settings the CLI derived from the node stack and the storage account's key are the app's (the CLI
        // reads them with config/appsettings/list and marks the sticky ones from config/slotConfigNames)
        Map<String, String> settings = new HashMap<>();
        azLatest("functionapp", "config", "appsettings", "list", "-g", GROUP, "-n", CLI_APP).forEach(setting -> {
            assertThat(setting.path("slotSetting").asBoolean()).isFalse();
            settings.put(setting.path("name").asString(), setting.path("value").asString());
        });
        assertThat(settings).containsEntry("FUNCTIONS_WORKER_RUNTIME", "node")
                .containsEntry("FUNCTIONS_EXTENSION_VERSION", "~4")
                .containsEntry("WEBSITE_NODE_DEFAULT_VERSION", "~20");
        assertThat(settings.get("AzureWebJobsStorage"))
                .contains("AccountName=" + STORAGE + ";AccountKey=" + storageKey1);

        // az functionapp show reads the site, its config/web and its publishing profile (publishxml)
        JsonNode shown = azLatest("functionapp", "show", "-g", GROUP, "-n", CLI_APP);
        assertThat(shown.path("name").asString()).isEqualTo(CLI_APP);
        assertThat(shown.path("siteConfig").isObject()).isTrue();
        assertThat(shown.path("defaultHostName").asString()).startsWith(CLI_APP + ".azurewebsites.");
    }

    @Test
    @Order(15)
    void availabilitySetCreateRunsATemplateDeploymentThatMakesTheSet() {
        JsonNode set = az("vm", "availability-set", "create", "-g", GROUP, "-n", AVAILABILITY_SET,
                "--platform-fault-domain-count", "2", "--platform-update-domain-count", "5");

        assertThat(set.path("name").asString()).isEqualTo(AVAILABILITY_SET);
        assertThat(set.path("location").asString()).isEqualTo(LOCATION);
        assertThat(set.path("platformFaultDomainCount").asInt()).isEqualTo(2);
        assertThat(set.path("platformUpdateDomainCount").asInt()).isEqualTo(5);
        assertThat(set.path("sku").path("name").asString()).isEqualTo("Aligned");

        // made by the deployment the CLI submitted, which ran to its end
        List<JsonNode> deployments = new ArrayList<>();
        az("deployment", "group", "list", "-g", GROUP).forEach(deployments::add);
        assertThat(deployments).hasSize(1);
        JsonNode deployment = deployments.get(0);
        assertThat(deployment.path("name").asString()).startsWith("av_set_deploy_");
        assertThat(deployment.path("properties").path("provisioningState").asString()).isEqualTo("Succeeded");
        assertThat(deployment.path("properties").path("outputResources").get(0).path("id").asString())
                .isEqualTo(set.path("id").asString());
    }

    @Test
    @Order(16)
    void aFunctionAppIsCreatedWithResourceCreate() {
        JsonNode app = az("resource", "create", "-g", GROUP, "-n", FUNCTION_APP,
                "--resource-type", "Microsoft.Web/sites", "--api-version", "2022-03-01",
                "--is-full-object", "--properties", """
                        {"location": "%s", "kind": "functionapp",
                         "properties": {"siteConfig": {"appSettings": [
                             {"name": "FUNCTIONS_WORKER_RUNTIME", "value": "node"}]}}}
                        """.formatted(LOCATION));

        assertThat(app.path("name").asString()).isEqualTo(FUNCTION_APP);
        assertThat(app.path("kind").asString()).isEqualTo("functionapp");
        assertThat(app.path("properties").path("defaultHostName").asString()).isNotBlank();
    }

    @Test
    @Order(17)
    void aFunctionIsPutUnderTheAppWithAzRest() {
        JsonNode function = az("rest", "--method", "put", "--url", appPath() + "/functions/" + FUNCTION
                        + "?api-version=2022-03-01", "--body", """
                        {"properties": {
                           "config": {"bindings": [
                             {"type": "httpTrigger", "direction": "in", "name": "req", "authLevel": "function",
                              "methods": ["get"]},
                             {"type": "http", "direction": "out", "name": "res"}]},
                           "files": {"index.js": "module.exports = async function (context, req) { context.res = { body: 'hi' }; };"}}}
                        """);

        assertThat(function.path("name").asString()).endsWith(FUNCTION);
    }

    @Test
    @Order(18)
    void theKeysOfTheFunctionAreListedWithItsDefaultKey() {
        JsonNode keys = az("functionapp", "function", "keys", "list", "-g", GROUP, "-n", FUNCTION_APP,
                "--function-name", FUNCTION);

        assertThat(keys.path("default").asString()).isNotBlank();
        // the key listed is the one the function answers to
        JsonNode secrets = az("rest", "--method", "post", "--url", appPath() + "/functions/" + FUNCTION
                + "/listsecrets?api-version=2022-03-01");
        assertThat(secrets.path("key").asString()).isEqualTo(keys.path("default").asString());
    }

    @Test
    @Order(19)
    void aTenResourceTemplateIsDeployedWithItsOutputs() throws Exception {
        az("group", "create", "-n", TEMPLATE_GROUP, "-l", LOCATION);
        Path template = Path.of(getClass().getResource("/azure-cli/ten-resources.json").toURI());

        JsonNode deployment = az("deployment", "group", "create", "-g", TEMPLATE_GROUP, "-n", TEMPLATE_DEPLOYMENT,
                "--template-file", template.toString(), "--parameters", "prefix=web", "subnetCount=2");

        JsonNode properties = deployment.path("properties");
        assertThat(properties.path("provisioningState").asString()).isEqualTo("Succeeded");
        assertThat(properties.path("parameters").path("subnetCount").path("value").asInt()).isEqualTo(2);
        JsonNode outputs = properties.path("outputs");
        assertThat(outputs.path("vnetId").path("value").asString()).isEqualTo("/subscriptions/"
                + subscriptionId() + "/resourceGroups/" + TEMPLATE_GROUP
                + "/providers/Microsoft.Network/virtualNetworks/web-vnet");
        assertThat(strings(outputs.path("subnetPrefixes").path("value"))).containsExactly("10.20.0.0/24", "10.20.1.0/24");
        List<String> addresses = strings(outputs.path("publicIpAddresses").path("value"));
        assertThat(addresses).hasSize(3).doesNotHaveDuplicates()
                .allMatch(a -> a.matches("198\\.1[89]\\.\\d+\\.\\d+"), "in the public address pool 198.18.0.0/15");
        String storage = outputs.path("storageAccountName").path("value").asString();
        assertThat(storage).matches("st[a-z0-9]{13}");
        assertThat(outputs.path("blobEndpoint").path("value").asString())
                .isEqualTo("http://127.0.0.1:10000/" + storage + "/");

        // exactly the ten resources exist in the group, as the template wrote them
        List<String> resources = new ArrayList<>();
        az("resource", "list", "-g", TEMPLATE_GROUP).forEach(r ->
                resources.add(r.path("type").asString() + "/" + r.path("name").asString()));
        assertThat(resources).containsExactlyInAnyOrder(
                "Microsoft.Network/networkSecurityGroups/web-nsg-0", "Microsoft.Network/networkSecurityGroups/web-nsg-1",
                "Microsoft.Network/virtualNetworks/web-vnet",
                "Microsoft.Network/publicIPAddresses/web-ip-0", "Microsoft.Network/publicIPAddresses/web-ip-1",
                "Microsoft.Network/publicIPAddresses/web-ip-2",
                "Microsoft.Compute/availabilitySets/web-set-0", "Microsoft.Compute/availabilitySets/web-set-1",
                "Microsoft.Compute/availabilitySets/web-set-2",
                "Microsoft.Storage/storageAccounts/" + storage);
        JsonNode subnet = az("network", "vnet", "subnet", "show", "-g", TEMPLATE_GROUP, "--vnet-name", "web-vnet",
                "-n", "subnet-1");
        assertThat(subnet.path("networkSecurityGroup").path("id").asString()).endsWith("/networkSecurityGroups/web-nsg-1");
    }

    @Test
    @Order(20)
    void theTemplateDeploymentIsShownWithOneSucceededOperationPerResource() {
        JsonNode deployment = az("deployment", "group", "show", "-g", TEMPLATE_GROUP, "-n", TEMPLATE_DEPLOYMENT);
        assertThat(deployment.path("name").asString()).isEqualTo(TEMPLATE_DEPLOYMENT);
        assertThat(deployment.path("properties").path("provisioningState").asString()).isEqualTo("Succeeded");
        assertThat(deployment.path("properties").path("outputResources")).hasSize(10);

        JsonNode operations = az("deployment", "operation", "group", "list", "-g", TEMPLATE_GROUP,
                "-n", TEMPLATE_DEPLOYMENT);
        assertThat(operations).hasSize(10);
        List<String> targets = new ArrayList<>();
        for (JsonNode operation : operations) {
            JsonNode p = operation.path("properties");
            assertThat(p.path("provisioningState").asString()).as(operation.toString()).isEqualTo("Succeeded");
            assertThat(p.path("provisioningOperation").asString()).isEqualTo("Create");
            assertThat(p.path("statusCode").asString()).isIn("OK", "Created");
            targets.add(p.path("targetResource").path("resourceType").asString());
        }
        // the virtual network waited for the security groups its subnets use
        assertThat(targets).filteredOn("Microsoft.Network/networkSecurityGroups"::equals).hasSize(2);
        assertThat(targets.indexOf("Microsoft.Network/virtualNetworks"))
                .isGreaterThan(targets.lastIndexOf("Microsoft.Network/networkSecurityGroups"));
    }

    @Test
    @Order(21)
    void resourceListOfTheGroupListsExactlyTheResourcesCreated() {
        List<String> resources = new ArrayList<>();
        az("resource", "list", "-g", GROUP).forEach(r ->
                resources.add(r.path("type").asString() + "/" + r.path("name").asString()));

        assertThat(resources).containsExactlyInAnyOrder(
                "Microsoft.Compute/virtualMachines/" + VM, "Microsoft.Web/sites/" + FUNCTION_APP,
                "Microsoft.Web/sites/" + CLI_APP, "Microsoft.Network/virtualNetworks/" + VNET,
                "Microsoft.Storage/storageAccounts/" + STORAGE,
                "Microsoft.Compute/availabilitySets/" + AVAILABILITY_SET);
    }

    @Test
    @Order(22)
    void resourceShowPrintsTheVmWithItsSize() {
        JsonNode vm = az("resource", "show", "-g", GROUP, "-n", VM, "--resource-type", "Microsoft.Compute/virtualMachines");

        assertThat(vm.path("id").asString()).endsWith("/resourceGroups/" + GROUP
                + "/providers/Microsoft.Compute/virtualMachines/" + VM);
        assertThat(vm.path("properties").path("hardwareProfile").path("vmSize").asString()).isEqualTo("Standard_B1s");
    }

    @Test
    @Order(23)
    void resourceTagSetsTheTagsOfTheVmAndOfTheFunctionApp() {
        JsonNode vm = az("resource", "tag", "-g", GROUP, "-n", VM, "--resource-type",
                "Microsoft.Compute/virtualMachines", "--tags", "env=" + GROUP, "owner=cli");
        JsonNode app = az("resource", "tag", "-g", GROUP, "-n", FUNCTION_APP, "--resource-type",
                "Microsoft.Web/sites", "--tags", "env=" + GROUP);

        assertThat(vm.path("tags").properties()).hasSize(2);
        assertThat(vm.path("tags").path("owner").asString()).isEqualTo("cli");
        assertThat(app.path("tags").path("env").asString()).isEqualTo(GROUP);
        // the tags are stored, not only echoed: a later read and the subscription's tag filter see them
        assertThat(az("resource", "show", "-g", GROUP, "-n", VM, "--resource-type", "Microsoft.Compute/virtualMachines")
                .path("tags").path("env").asString()).isEqualTo(GROUP);
        // the CLI refuses --tag with -g: the subscription's tag filter is asked, with a value only this run uses
        List<String> tagged = new ArrayList<>();
        az("resource", "list", "--tag", "env=" + GROUP).forEach(r -> tagged.add(r.path("name").asString()));
        assertThat(tagged).containsExactlyInAnyOrder(VM, FUNCTION_APP);
    }

    @Test
    @Order(24)
    void groupExportWritesEveryResourceOfTheGroupAsATemplate() {
        JsonNode template = az("group", "export", "-n", GROUP, "--include-parameter-default-value");

        assertThat(template.path("$schema").asString()).endsWith("/deploymentTemplate.json#");
        List<String> types = new ArrayList<>();
        template.path("resources").forEach(r -> types.add(r.path("type").asString()));
        assertThat(types).containsExactlyInAnyOrder("Microsoft.Compute/virtualMachines", "Microsoft.Web/sites",
                "Microsoft.Web/sites", "Microsoft.Network/virtualNetworks", "Microsoft.Storage/storageAccounts",
                "Microsoft.Compute/availabilitySets");
        String vmName = "virtualMachines_" + VM.replace('-', '_') + "_name";
        assertThat(template.path("parameters").path(vmName).path("defaultValue").asString()).isEqualTo(VM);
        for (JsonNode resource : template.path("resources")) {
            switch (resource.path("type").asString()) {
                case "Microsoft.Compute/virtualMachines" -> {
                    assertThat(resource.path("name").asString()).isEqualTo("[parameters('" + vmName + "')]");
                    assertThat(resource.path("properties").path("hardwareProfile").path("vmSize").asString())
                            .isEqualTo("Standard_B1s");
                    assertThat(resource.path("properties").has("provisioningState")).isFalse();
                    assertThat(resource.path("tags").path("owner").asString()).isEqualTo("cli");
                }
                case "Microsoft.Web/sites" -> assertThat(resource.path("kind").asString()).isEqualTo("functionapp");
                case "Microsoft.Network/virtualNetworks" -> assertThat(strings(resource.path("properties")
                        .path("addressSpace").path("addressPrefixes"))).containsExactly("10.0.0.0/16");
                case "Microsoft.Storage/storageAccounts" ->
                        assertThat(resource.path("sku").path("name").asString()).isEqualTo("Standard_LRS");
                default -> assertThat(resource.path("properties").path("platformUpdateDomainCount").asInt())
                        .isEqualTo(5);
            }
        }
    }

    @Test
    @Order(25)
    void vmCreateWithDefaultNetworkingDeploysTheNetworkAndAVmThatShowsItsAddresses() {
        az("group", "create", "-n", VM_CREATE_GROUP, "-l", LOCATION);

        JsonNode created = az("vm", "create", "-g", VM_CREATE_GROUP, "-n", "cli-vm2", "--image", IMAGE,
                "--size", "Standard_B1s", "--admin-username", "azureuser", "--authentication-type", "password",
                "--admin-password", "Cirrus-Test-Passw0rd!", "--public-ip-sku", "Standard");

        assertThat(created.path("powerState").asString()).isEqualTo("VM running");
        assertThat(created.path("privateIpAddress").asString()).startsWith("10.0.0.");
        assertThat(created.path("publicIpAddress").asString()).startsWith("198.1");
        // what az vm show -d reads: the VM, its NIC (with the MAC the attachment gave it) and the NIC's public IP
        JsonNode shown = az("vm", "show", "-d", "-g", VM_CREATE_GROUP, "-n", "cli-vm2");
        assertThat(shown.path("privateIps").asString()).isEqualTo(created.path("privateIpAddress").asString());
        assertThat(shown.path("publicIps").asString()).isEqualTo(created.path("publicIpAddress").asString());
        assertThat(shown.path("macAddresses").asString()).matches("00-0D-3A(-[0-9A-F]{2}){3}");
        List<String> types = new ArrayList<>();
        az("resource", "list", "-g", VM_CREATE_GROUP).forEach(r -> types.add(r.path("type").asString()));
        assertThat(types).contains("Microsoft.Compute/virtualMachines", "Microsoft.Network/virtualNetworks",
                "Microsoft.Network/networkInterfaces", "Microsoft.Network/publicIPAddresses",
                "Microsoft.Network/networkSecurityGroups");
    }

    @Test
    @Order(26)
    void vmCreateInAnAvailabilitySetPlacesTheVmInTheSet() {
        az("vm", "availability-set", "create", "-g", VM_CREATE_GROUP, "-n", "cli-vmc-set",
                "--platform-fault-domain-count", "2", "--platform-update-domain-count", "5");

        JsonNode created = az("vm", "create", "-g", VM_CREATE_GROUP, "-n", "cli-vm3", "--image", IMAGE,
                "--size", "Standard_B1s", "--admin-username", "azureuser", "--authentication-type", "password",
                "--admin-password", "Cirrus-Test-Passw0rd!", "--public-ip-address", "", "--nsg", "",
                "--availability-set", "cli-vmc-set");

        assertThat(created.path("powerState").asString()).isEqualTo("VM running");
        JsonNode set = az("vm", "availability-set", "show", "-g", VM_CREATE_GROUP, "-n", "cli-vmc-set");
        assertThat(set.path("virtualMachines").toString()).containsIgnoringCase("/virtualMachines/cli-vm3");
        JsonNode view = az("vm", "get-instance-view", "-g", VM_CREATE_GROUP, "-n", "cli-vm3");
        assertThat(view.path("instanceView").has("platformFaultDomain")).isTrue();
    }

    @Test
    @Order(30)
    void theResourceGroupsAreDeletedWithEverythingInThem() {
        az("group", "delete", "-n", VM_CREATE_GROUP, "--yes");
        az("group", "delete", "-n", TEMPLATE_GROUP, "--yes");
        az("group", "delete", "-n", GROUP, "--yes");

        List<String> names = new ArrayList<>();
        az("group", "list").forEach(g -> names.add(g.path("name").asString()));
        assertThat(names).doesNotContain(GROUP, TEMPLATE_GROUP, VM_CREATE_GROUP);
        List<String> left = new ArrayList<>();
        az("resource", "list").forEach(r -> left.add(r.path("id").asString()));
        assertThat(left).noneMatch(id -> id.contains("/resourceGroups/" + GROUP + "/")
                || id.contains("/resourceGroups/" + TEMPLATE_GROUP + "/")
                || id.contains("/resourceGroups/" + VM_CREATE_GROUP + "/"));
    }

    /** The {@code PowerState/…} code among the statuses of a VM's instance view as {@code get-instance-view} prints it. */
    private static String powerState(JsonNode vm) {
        for (JsonNode status : vm.path("instanceView").path("statuses")) {
            if (status.path("code").asString().startsWith("PowerState/")) {
                return status.path("code").asString();
            }
        }
        throw new AssertionError("no PowerState among the statuses: " + vm.path("instanceView"));
    }

    private String appPath() {
        return "/subscriptions/" + subscriptionId() + "/resourceGroups/" + GROUP
                + "/providers/Microsoft.Web/sites/" + FUNCTION_APP;
    }

    private String subscriptionId() {
        return credentials.path("subscriptionId").asString();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.asString()));
        return out;
    }

    /** Runs {@code az <args> -o json}; fails with the CLI's own output unless it exits 0. */
    JsonNode az(String... args) {
        return json(run(configDir, args), args);
    }

    /**
     * Runs {@code az <args> -o json} in a second configuration whose cloud has the {@code latest} profile: on first
     * use a copy of the first one (its cloud, login and subscription), then {@code az cloud update --profile latest}.
     */
    JsonNode azLatest(String... args) {
        if (latestConfigDir == null) {
            Path copy = configDir.resolveSibling(configDir.getFileName() + "-latest");
            try (var files = Files.list(configDir)) {
                Files.createDirectories(copy);
                for (Path file : files.filter(f -> Files.isRegularFile(f) && !f.toString().endsWith(".out")
                        && !f.toString().endsWith(".err")).toList()) {
                    Files.copy(file, copy.resolve(file.getFileName()));
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            json(run(copy, "cloud", "update", "-n", "cirrus", "--profile", "latest"), "cloud", "update");
            latestConfigDir = copy;
        }
        return json(run(latestConfigDir, args), args);
    }

    /** Runs {@code az <args> -o json}, which must fail; its error output. */
    String azFails(String... args) {
        Finished finished = run(configDir, args);
        assertThat(finished.exitCode()).as("az %s should have failed\nstdout: %s", redacted(String.join(" ", args)),
                finished.stdout()).isNotZero();
        return finished.stderr();
    }

    record Finished(int exitCode, String stdout, String stderr) { }

    private JsonNode json(Finished finished, String... args) {
        assertThat(finished.exitCode()).as("az %s\nstdout: %s\nstderr: %s", redacted(String.join(" ", args)),
                finished.stdout(), finished.stderr()).isZero();
        return finished.stdout().isBlank() ? Arm.JSON.createObjectNode() : Arm.JSON.readTree(finished.stdout());
    }

    private Finished run(Path config, String... args) {
        List<String> command = new ArrayList<>(List.of(az.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-o", "json"));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("AZURE_CONFIG_DIR", config.toString());
        env.put("REQUESTS_CA_BUNDLE", data.resolve("gateway").resolve("tls").resolve("gateway.crt.pem").toString());
        env.put("AZURE_CORE_COLLECT_TELEMETRY", "false");
        env.put("AZURE_CORE_NO_COLOR", "true");
        env.put("AZURE_CORE_ONLY_SHOW_ERRORS", "true");
        try {
            Files.createDirectories(config);
            Path out = Files.createTempFile(config, "az", ".out");
            Path err = Files.createTempFile(config, "az", ".err");
            long started = System.nanoTime();
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("az " + redacted(String.join(" ", args)) + " did not finish within "
                        + COMMAND_TIMEOUT);
            }
            System.out.printf("az %s: %.1f s%n", redacted(String.join(" ", args)),
                    (System.nanoTime() - started) / 1e9);
            return new Finished(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String redacted(String text) {
        return credentials == null ? text : text.replace(credentials.path("clientSecret").asString(), "***");
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
