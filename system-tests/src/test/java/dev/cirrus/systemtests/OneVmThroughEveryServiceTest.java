package dev.cirrus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.launcher.Platform;
import dev.cirrus.launcher.PlatformConfig;
import dev.cirrus.launcher.PortPlan;
import dev.cirrus.launcher.RunningPlatform;
import dev.cirrus.launcher.ServiceModule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The whole platform (real PostgreSQL, real Kafka, every service as its own process, started by the same launcher
 * as {@code ./cirrus up}), driven only through the gateway's REST API and the Kafka topic, as a user would.
 * The steps build on each other, in order: one VM's life from creation to deletion, across a platform restart.
 */
@Tag("scenario") // slow: runs in the second Maven run of ./cirrus test (root pom.xml)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OneVmThroughEveryServiceTest {

    static final String SUB = UUID.randomUUID().toString();
    /** The gateway checks api-versions per resource type: Microsoft.Consumption has its own. */
    static final String CONSUMPTION_API = "api-version=2023-05-01";
    static final String RG = "Demo-RG";
    static final String VM_PATH = "/subscriptions/" + SUB + "/resourceGroups/" + RG
            + "/providers/Microsoft.Compute/virtualMachines/vm1";

    @TempDir
    static Path data;

    RunningPlatform platform;
    Arm arm;
    EventStream vmEvents;
    String host;

    @BeforeAll
    void startThePlatform() {
        start();
    }

    @AfterAll
    void stopThePlatform() {
        if (vmEvents != null) {
            vmEvents.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    private void start() {
        PlatformConfig config = PlatformConfig.builder()
                .repoRoot(PlatformConfig.locateRepoRoot(Path.of("")))
                .dataDir(data)
                .ports(platform == null ? PortPlan.freePorts() : platform.config().ports())
                .build();
        platform = Platform.start(config);
        arm = Arm.signedIn(platform.gatewayUrl(), data.resolve("gateway").resolve("credentials.json"));
        // the test's own subscription; the administrator becomes its Owner (idempotent across the restart)
        Arm.Reply subscription = arm.put("/cirrus/subscriptions/" + SUB, "{\"displayName\":\"system test\"}");
        assertThat(subscription.status()).as(subscription.body()).isIn(200, 201);
        if (vmEvents != null) {
            vmEvents.close();
        }
        vmEvents = new EventStream(platform.kafkaBootstrapServers(), Topics.COMPUTE_VM);
    }

    @Test
    @Order(1)
    void aResourceGroupIsCreatedThroughTheGateway() {
        Arm.Reply reply = arm.put("/subscriptions/" + SUB + "/resourcegroups/" + RG + "?" + Arm.API,
                "{\"location\":\"koreacentral\",\"tags\":{\"purpose\":\"system-test\"}}");
        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.json().path("name").asString()).isEqualTo(RG);
        assertThat(reply.header("x-ms-request-id")).isNotBlank();
    }

    @Test
    @Order(2)
    void aVmIsAcceptedAndItsOperationSucceedsOnceThePlacementEngineGivesItAHost() {
        NetworkFixture.network(arm, SUB, RG, "koreacentral");
        String nic = NetworkFixture.nic(arm, SUB, RG, "koreacentral", "vm1-nic");
        Arm.Reply created = arm.put(VM_PATH + "?" + Arm.API, """
                {"location": "koreacentral",
                 "properties": {
                   "hardwareProfile": {"vmSize": "Standard_D2s_v5"},
                   "storageProfile": {"imageReference": {"publisher": "Canonical",
                       "offer": "0001-com-ubuntu-server-jammy", "sku": "22_04-lts", "version": "latest"}},
                   "osProfile": {"computerName": "vm1", "adminUsername": "azureuser", "adminPassword": "Sup3r$ecret!"},
                   "networkProfile": {"networkInterfaces": [{"id": "%s", "properties": {"primary": true}}]}}}
                """.formatted(nic));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("properties").path("provisioningState").asString()).isEqualTo("Creating");
        assertThat(created.body()).doesNotContain("Sup3r$ecret!");
        String operation = created.header("Azure-AsyncOperation");
        assertThat(operation).startsWith(platform.gatewayUrl().toString());

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> arm.getAbsolute(operation).json().path("status").asString(), s -> !s.equals("InProgress"));
        assertThat(arm.getAbsolute(operation).json().path("status").asString()).isEqualTo("Succeeded");

        JsonNode vm = arm.get(VM_PATH + "?" + Arm.API + "&$expand=instanceView").json();
        assertThat(vm.path("properties").path("provisioningState").asString()).isEqualTo("Succeeded");
        JsonNode view = vm.path("properties").path("instanceView");
        assertThat(view.path("statuses").toString()).contains("PowerState/running");
        assertThat(view.has("platformFaultDomain")).isTrue();
        JsonNode attached = arm.get(nic + "?" + Arm.API).json().path("properties");
        assertThat(attached.path("virtualMachine").path("id").asString()).isEqualToIgnoringCase(VM_PATH);
        assertThat(attached.path("ipConfigurations").get(0).path("properties").path("privateIPAddress").asString())
                .isEqualTo("10.0.0.4");
    }

    static final String BIG = "{\"location\":\"koreacentral\",\"tags\":{\"pad\":\"" + "x".repeat(4 * 1024 * 1024 + 16) + "\"}}";

    static Stream<Arguments> badRequests() {
        String vm2 = "/subscriptions/" + SUB + "/resourceGroups/" + RG + "/providers/Microsoft.Compute/virtualMachines/vm2";
        String rg2 = "/subscriptions/" + SUB + "/resourcegroups/rg2";
        return Stream.of(
                Arguments.of("malformed JSON for a VM", "PUT", vm2 + "?" + Arm.API, "{\"location\": ", 400),
                Arguments.of("a VM body that is not an object", "PUT", vm2 + "?" + Arm.API, "[1,2]", 400),
                Arguments.of("a VM size that is a number", "PUT", vm2 + "?" + Arm.API,
                        "{\"location\":\"koreacentral\",\"properties\":{\"hardwareProfile\":{\"vmSize\":7}}}", 400),
                Arguments.of("a VM without location", "PUT", vm2 + "?" + Arm.API,
                        "{\"properties\":{\"hardwareProfile\":{\"vmSize\":\"Standard_B1s\"}}}", 400),
                Arguments.of("a VM of an unknown size", "PUT", vm2 + "?" + Arm.API,
                        "{\"location\":\"koreacentral\",\"properties\":{\"hardwareProfile\":{\"vmSize\":\"Standard_Nope\"},"
                                + "\"storageProfile\":{\"imageReference\":{\"publisher\":\"Canonical\",\"offer\":\"o\",\"sku\":\"s\"}}}}", 400),
                Arguments.of("a VM without api-version", "PUT", vm2, "{}", 400),
                Arguments.of("a VM with a malformed api-version", "PUT", vm2 + "?api-version=yesterday", "{}", 400),
                Arguments.of("a VM in a missing resource group", "PUT",
                        "/subscriptions/" + SUB + "/resourceGroups/nope/providers/Microsoft.Compute/virtualMachines/vm2?" + Arm.API,
                        "{}", 404),
                Arguments.of("a resource group with malformed JSON", "PUT", rg2 + "?" + Arm.API, "{", 400),
                Arguments.of("a resource group whose location is a number", "PUT", rg2 + "?" + Arm.API, "{\"location\":5}", 400),
                Arguments.of("a resource group without location", "PUT", rg2 + "?" + Arm.API, "{}", 400),
                Arguments.of("a resource group name ending with a dot", "PUT",
                        "/subscriptions/" + SUB + "/resourcegroups/bad.?" + Arm.API, "{\"location\":\"koreacentral\"}", 400),
                Arguments.of("a resource group body over 4 MB", "PUT", rg2 + "?" + Arm.API, BIG, 413),
                Arguments.of("a provider namespace nobody serves", "GET",
                        "/subscriptions/" + SUB + "/providers/Microsoft.Nothing/things?" + Arm.API, null, 400),
                Arguments.of("an unknown path", "GET", "/no/such/path?" + Arm.API, null, 404),
                Arguments.of("a wrong method on a resource group", "POST", rg2 + "?" + Arm.API, "{}", 405));
    }

    @ParameterizedTest(name = "{0} is a {4} with an ARM error and no trace")
    @MethodSource("badRequests")
    @Order(3)
    void badInputIsAnArmErrorAndLeavesNoTrace(String what, String method, String path, String body, int status) {
        Arm.Reply reply = arm.send(method, path, body == null ? null : "application/json", body);
        assertThat(reply.status()).as(what).isEqualTo(status);
        assertThat(reply.json().path("error").path("code").asString()).as(what).isNotBlank();
        assertThat(reply.json().path("error").path("message").asString()).as(what).isNotBlank();
        assertThat(reply.body()).as(what).doesNotContain("Exception").doesNotContain("at dev.cirrus");
        assertThat(arm.get("/subscriptions/" + SUB + "/resourcegroups/rg2?" + Arm.API).status()).isEqualTo(404);
        JsonNode vms = arm.get("/subscriptions/" + SUB + "/providers/Microsoft.Compute/virtualMachines?" + Arm.API).json();
        assertThat(vms.path("value").size()).isEqualTo(1);
    }

    @Test
    @Order(4)
    void theVmRunsOnAHostWhoseCapacityItUses() {
        JsonNode hosts = hostsOf("koreacentral");
        JsonNode used = null;
        for (JsonNode h : hosts.path("value")) {
            if (h.path("usedVcpus").asInt() > 0) {
                used = h;
            }
        }
        assertThat(used).as("a host in koreacentral carries the VM").isNotNull();
        assertThat(used.path("usedVcpus").asInt()).isEqualTo(2);
        assertThat(used.path("usedMemoryMib").asInt()).isEqualTo(8192);
        host = used.path("name").asString();
    }

    @Test
    @Order(5)
    void itsLifecycleEventsAreOnTheTopicKeyedByTheLowerCasedResourceId() {
        await().atMost(Duration.ofSeconds(30)).until(() -> types(vmEvents.about(VM_PATH)),
                t -> t.contains(EventTypes.VM_STARTED));
        List<EventStream.Received> events = vmEvents.about(VM_PATH);
        assertThat(types(events)).startsWith(EventTypes.VM_CREATED);
        assertThat(events).allSatisfy(r -> assertThat(r.key()).isEqualTo(VM_PATH.toLowerCase(Locale.ROOT)));
        JsonNode started = events.stream().filter(r -> r.event().type().equals(EventTypes.VM_STARTED)).findFirst()
                .orElseThrow().event().data();
        assertThat(started.path("powerState").asString()).isEqualTo("running");
        assertThat(started.path("vmSize").asString()).isEqualTo("Standard_D2s_v5");
        assertThat(started.path("host").asString()).isEqualTo(host);
        assertThat(events.toString()).doesNotContain("Sup3r$ecret!");
    }

    @Test
    @Order(6)
    void itsCostGrowsWhileItRuns() {
        await().atMost(Duration.ofSeconds(30)).until(() -> vmCost().signum() > 0);
        BigDecimal first = vmCost();
        await().atMost(Duration.ofSeconds(30)).until(() -> vmCost().compareTo(first) > 0);
    }

    @Test
    @Order(7)
    void aRestartOnTheSameDataFolderKeepsTheVmItsHostAndItsMeter() {
        BigDecimal before = vmCost();
        platform.close();
        start();
        JsonNode vm = arm.get(VM_PATH + "?" + Arm.API + "&$expand=instanceView").json();
        assertThat(vm.path("properties").path("provisioningState").asString()).isEqualTo("Succeeded");
        assertThat(vm.path("properties").path("instanceView").path("statuses").toString()).contains("PowerState/running");
        assertThat(hostsOf("koreacentral").toString()).contains(host);
        assertThat(arm.get("/subscriptions/" + SUB + "/resourcegroups/" + RG + "?" + Arm.API).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> vmCost().compareTo(before) > 0);
    }

    @Test
    @Order(8)
    void aDeallocatedVmIsNotBilledAndStartingItAgainRestartsTheMeter() {
        Arm.Reply deallocating = arm.send("POST", VM_PATH + "/deallocate?" + Arm.API, null, null);
        assertThat(deallocating.status()).isEqualTo(202);
        String location = deallocating.header("Location");
        assertThat(location).startsWith(platform.gatewayUrl().toString());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> arm.getAbsolute(location).status(), s -> s != 202);
        assertThat(arm.getAbsolute(location).status()).isEqualTo(200);
        JsonNode view = arm.get(VM_PATH + "/instanceView?" + Arm.API).json();
        assertThat(view.path("statuses").toString()).contains("PowerState/deallocated");
        await().atMost(Duration.ofSeconds(30)).until(() -> !vmUsage().path("isRunning").asBoolean(true));
        await().atMost(Duration.ofSeconds(30)).until(() -> types(vmEvents.about(VM_PATH)),
                t -> t.contains(EventTypes.VM_DEALLOCATING) && t.contains(EventTypes.VM_DEALLOCATED));
        for (JsonNode h : hostsOf("koreacentral").path("value")) {
            assertThat(h.path("usedVcpus").asInt()).as("vCPUs used on %s", h.path("name").asString()).isZero();
        }

        Arm.Reply starting = arm.send("POST", VM_PATH + "/start?" + Arm.API, null, null);
        assertThat(starting.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> arm.getAbsolute(starting.header("Location")).status(), s -> s != 202);
        assertThat(arm.get(VM_PATH + "/instanceView?" + Arm.API).json().path("statuses").toString())
                .contains("PowerState/running");
        await().atMost(Duration.ofSeconds(30)).until(() -> vmUsage().path("isRunning").asBoolean(false));
        BigDecimal restarted = vmCost();
        await().atMost(Duration.ofSeconds(30)).until(() -> vmCost().compareTo(restarted) > 0);
    }

    @Test
    @Order(9)
    void deletingTheVmReleasesItsHostAndStopsItsMeter() {
        Arm.Reply deleting = arm.delete(VM_PATH + "?" + Arm.API);
        assertThat(deleting.status()).isEqualTo(202);
        String location = deleting.header("Location");
        assertThat(location).startsWith(platform.gatewayUrl().toString());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> arm.getAbsolute(location).status(), s -> s != 202);
        assertThat(arm.getAbsolute(location).status()).isIn(200, 204);
        Arm.Reply gone = arm.get(VM_PATH + "?" + Arm.API);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.errorCode()).isEqualTo("ResourceNotFound");

        await().atMost(Duration.ofSeconds(30)).until(() -> types(vmEvents.about(VM_PATH)),
                t -> t.contains(EventTypes.VM_DELETED));
        for (JsonNode h : hostsOf("koreacentral").path("value")) {
            assertThat(h.path("usedVcpus").asInt()).as("vCPUs used on %s", h.path("name").asString()).isZero();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !vmUsage().path("isRunning").asBoolean(true));
        BigDecimal frozen = vmCost();
        assertThat(frozen.signum()).isPositive();
        // the cost stays exactly where it stopped, however long we look
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> vmCost().compareTo(frozen) == 0);
    }

    @Test
    @Order(10)
    void anUnreachableServiceIsAClear503FromTheGatewayAndNotAHang() {
        platform.stopService(ServiceModule.BILLING);
        long t0 = System.nanoTime();
        Arm.Reply reply = arm.get("/subscriptions/" + SUB + "/providers/Microsoft.Consumption/usageDetails?" + CONSUMPTION_API);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.errorCode()).isEqualTo("ServiceUnavailable");
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        platform.startService(ServiceModule.BILLING);
        await().atMost(Duration.ofSeconds(120)).until(() -> arm.get(
                "/subscriptions/" + SUB + "/providers/Microsoft.Consumption/usageDetails?" + CONSUMPTION_API).status() == 200);
    }

    @Test
    @Order(0)
    void aCallWithoutATokenIsRefusedWithAuthenticationFailed() {
        Arm.Reply reply = new Arm(platform.gatewayUrl()).get("/subscriptions/" + SUB + "/resourcegroups?" + Arm.API);
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.errorCode()).isEqualTo("AuthenticationFailed");
        assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
    }

    private JsonNode hostsOf(String region) {
        return Arm.direct(platform.serviceUrl(ServiceModule.PLACEMENT_ENGINE), platform.serviceCredential())
                .get("/inventory/hosts?region=" + region).json();
    }

    private JsonNode vmUsage() {
        JsonNode costs = arm.get("/subscriptions/" + SUB + "/providers/Microsoft.CostManagement/costs?" + Arm.API).json();
        for (JsonNode r : costs.path("properties").path("resources")) {
            if (r.path("resourceId").asString().equalsIgnoreCase(VM_PATH)) {
                return r;
            }
        }
        return Arm.JSON.createObjectNode();
    }

    private BigDecimal vmCost() {
        JsonNode usage = vmUsage();
        return usage.has("cost") ? usage.path("cost").decimalValue() : BigDecimal.ZERO;
    }

    private static List<String> types(List<EventStream.Received> events) {
        return events.stream().map(r -> r.event().type()).toList();
    }
}
