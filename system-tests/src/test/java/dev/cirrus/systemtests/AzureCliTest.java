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
 * {@code credentials.json} (MSAL against the gateway's AD FS style authority), then resource groups and VMs.
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
    void theVmsOfTheGroupAndOfTheSubscriptionAreListed() {
        assertThat(az("vm", "list", "-g", GROUP).isArray()).isTrue();
        assertThat(az("vm", "list").isArray()).isTrue();
    }

    @Test
    @Order(6)
    void theResourceGroupIsDeleted() {
        az("group", "delete", "-n", GROUP, "--yes");

        List<String> names = new ArrayList<>();
        az("group", "list").forEach(g -> names.add(g.path("name").asString()));
        assertThat(names).doesNotContain(GROUP);
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
