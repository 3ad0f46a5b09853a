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
 * function app made with {@code az resource create} (and a function with {@code az rest}), and the commands that
 * read and change them: {@code vm get-instance-view}, {@code vm stop}/{@code start}, {@code functionapp function
 * keys list}, {@code resource list/show/tag}, {@code group export}, {@code group delete}.
 * The CLI trusts the gateway's generated certificate through {@code REQUESTS_CA_BUNDLE}, keeps its state in an
 * {@code AZURE_CONFIG_DIR} of its own under {@code target/}, and uses the Azure Stack profile
 * {@code 2020-09-01-hybrid} (the Debian package loads its compute and network commands only under that profile).
 * Skipped, with the reason, where {@code az} is not on the PATH ({@code .ci/run} installs it when it runs as root).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AzureCliTest {

    static final String LOCATION = "koreacentral";
    static final String GROUP = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    static final String VM = "cli-vm1";
    static final String FUNCTION_APP = "cli-fn-" + UUID.randomUUID().toString().substring(0, 8);
    static final String FUNCTION = "hello";
    static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path data;

    RunningPlatform platform;
    Path az;
    Path configDir;
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
        az("cloud", "register", "-n", "cirrus", "--endpoint-resource-manager", resourceManager,
                "--profile", "2020-09-01-hybrid");
        az("cloud", "set", "-n", "cirrus");

        JsonNode cloud = az("cloud", "show", "-n", "cirrus");
        assertThat(cloud.path("endpoints").path("activeDirectory").asString()).isEqualTo(resourceManager + "adfs");
        assertThat(cloud.path("endpoints").path("activeDirectoryResourceId").asString()).isEqualTo(resourceManager);
        assertThat(cloud.path("profile").asString()).isEqualTo("2020-09-01-hybrid");
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
    @Order(11)
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
    @Order(12)
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
    @Order(13)
    void resourceListOfTheGroupListsExactlyTheResourcesCreated() {
        List<String> resources = new ArrayList<>();
        az("resource", "list", "-g", GROUP).forEach(r ->
                resources.add(r.path("type").asString() + "/" + r.path("name").asString()));

        assertThat(resources).containsExactlyInAnyOrder(
                "Microsoft.Compute/virtualMachines/" + VM, "Microsoft.Web/sites/" + FUNCTION_APP);
    }

    @Test
    @Order(14)
    void resourceShowPrintsTheVmWithItsSize() {
        JsonNode vm = az("resource", "show", "-g", GROUP, "-n", VM, "--resource-type", "Microsoft.Compute/virtualMachines");

        assertThat(vm.path("id").asString()).endsWith("/resourceGroups/" + GROUP
                + "/providers/Microsoft.Compute/virtualMachines/" + VM);
        assertThat(vm.path("properties").path("hardwareProfile").path("vmSize").asString()).isEqualTo("Standard_B1s");
    }

    @Test
    @Order(15)
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
    @Order(16)
    void groupExportWritesTheVmAndTheFunctionAppAsATemplate() {
        JsonNode template = az("group", "export", "-n", GROUP, "--include-parameter-default-value");

        assertThat(template.path("$schema").asString()).endsWith("/deploymentTemplate.json#");
        List<String> types = new ArrayList<>();
        template.path("resources").forEach(r -> types.add(r.path("type").asString()));
        assertThat(types).containsExactlyInAnyOrder("Microsoft.Compute/virtualMachines", "Microsoft.Web/sites");
        String vmName = "virtualMachines_" + VM.replace('-', '_') + "_name";
        assertThat(template.path("parameters").path(vmName).path("defaultValue").asString()).isEqualTo(VM);
        for (JsonNode resource : template.path("resources")) {
            if (resource.path("type").asString().equals("Microsoft.Compute/virtualMachines")) {
                assertThat(resource.path("name").asString()).isEqualTo("[parameters('" + vmName + "')]");
                assertThat(resource.path("properties").path("hardwareProfile").path("vmSize").asString())
                        .isEqualTo("Standard_B1s");
                assertThat(resource.path("properties").has("provisioningState")).isFalse();
                assertThat(resource.path("tags").path("owner").asString()).isEqualTo("cli");
            } else {
                assertThat(resource.path("kind").asString()).isEqualTo("functionapp");
            }
        }
    }

    @Test
    @Order(20)
    void theResourceGroupIsDeleted() {
        az("group", "delete", "-n", GROUP, "--yes");

        List<String> names = new ArrayList<>();
        az("group", "list").forEach(g -> names.add(g.path("name").asString()));
        assertThat(names).doesNotContain(GROUP);
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
        return "/subscriptions/" + credentials.path("subscriptionId").asString() + "/resourceGroups/" + GROUP
                + "/providers/Microsoft.Web/sites/" + FUNCTION_APP;
    }

    /** Runs {@code az <args> -o json}; fails with the CLI's own output unless it exits 0. */
    JsonNode az(String... args) {
        List<String> command = new ArrayList<>(List.of(az.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-o", "json"));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("AZURE_CONFIG_DIR", configDir.toString());
        env.put("REQUESTS_CA_BUNDLE", data.resolve("gateway").resolve("tls").resolve("gateway.crt.pem").toString());
        env.put("AZURE_CORE_COLLECT_TELEMETRY", "false");
        env.put("AZURE_CORE_NO_COLOR", "true");
        env.put("AZURE_CORE_ONLY_SHOW_ERRORS", "true");
        try {
            Path out = Files.createTempFile(configDir, "az", ".out");
            Path err = Files.createTempFile(configDir, "az", ".err");
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("az " + String.join(" ", args) + " did not finish within " + COMMAND_TIMEOUT);
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            String shown = redacted(String.join(" ", args));
            assertThat(process.exitValue()).as("az %s\nstdout: %s\nstderr: %s", shown, stdout, stderr).isZero();
            return stdout.isBlank() ? Arm.JSON.createObjectNode() : Arm.JSON.readTree(stdout);
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
