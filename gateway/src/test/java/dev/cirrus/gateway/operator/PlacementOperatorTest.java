package dev.cirrus.gateway.operator;

import static dev.cirrus.gateway.support.Gateway.errorCode;
import static dev.cirrus.gateway.support.Gateway.errorMessage;
import static dev.cirrus.gateway.support.Gateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.cirrus.contracts.placement.v1.Allocation;
import dev.cirrus.contracts.placement.v1.PlaceRequest;
import dev.cirrus.contracts.placement.v1.PlacementServiceGrpc;
import dev.cirrus.contracts.placement.v1.VmSize;
import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.ChildService;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import dev.cirrus.plumbing.security.ServiceCredential;
import dev.cirrus.plumbing.security.ServiceCredentialGrpc;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.TestInfrastructure;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The placement engine's operator API through the gateway, against the REAL engine (its executable jar as a child
 * process, with a fresh database and the small inventory {@code src/test/resources/inventory/operator-topology.yaml}):
 * inventory and utilization, host and rack failures, drains, recoveries, planned maintenance, and the ARM errors of
 * bad input, unknown names and callers without the role.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PlacementOperatorTest {

    static final String READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    static final int engineHttpPort = FakeService.freePort();
    static final int engineGrpcPort = FakeService.freePort();
    /** launched before the gateway's context starts and awaited before the first test: both start at once */
    static final ChildService engine = launchTheEngine();
    static final ManagedChannel channel = NettyChannelBuilder.forTarget("127.0.0.1:" + engineGrpcPort).usePlaintext()
            .intercept(ServiceCredentialGrpc.clientInterceptor(new ServiceCredential(ServiceCredentials.value())))
            .build();
    static volatile boolean engineReady;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_operator");
        registry.add("cirrus.placement.target", () -> "127.0.0.1:" + engineGrpcPort);
    }

    static ChildService launchTheEngine() {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        return ChildService.launch("placement-engine", engineHttpPort,
                "--spring.datasource.url=" + pg.newDatabase("operator_placement"),
                "--spring.datasource.username=" + pg.username(), "--spring.datasource.password=" + pg.password(),
                "--cirrus.kafka.bootstrap-servers=", "--cirrus.placement.grpc-port=" + engineGrpcPort,
                "--cirrus.placement.grpc-shutdown-grace=PT1S",
                "--cirrus.placement.inventory=file:" + Path.of("src/test/resources/inventory/operator-topology.yaml")
                        .toAbsolutePath(),
                "--cirrus.placement.maintenance.reboot-time=PT0.5S", "--cirrus.placement.maintenance.tick=PT0.1S");
    }

    @BeforeEach
    void theEngineIsReady() {
        if (!engineReady) {
            engine.awaitReady();
            engineReady = true;
        }
    }

    @AfterAll
    static void stopTheEngine() {
        channel.shutdownNow();
        engine.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    Gateway admin() {
        return Gateway.admin(port, data);
    }

    /** Places a VM directly at the engine (what compute-vm does); its allocation. */
    static Allocation place(String location, int vcpus) {
        String vmId = UUID.randomUUID().toString();
        return PlacementServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .place(PlaceRequest.newBuilder().setVmId(vmId).setLocation(location)
                        .setResourceId("/subscriptions/" + UUID.randomUUID() + "/resourceGroups/rg/providers/"
                                + "Microsoft.Compute/virtualMachines/vm-" + vmId.substring(0, 8))
                        .setSize(VmSize.newBuilder().setName("Standard_D" + vcpus + "s_v5").setVcpus(vcpus)
                                .setMemoryMib(vcpus * 4096))
                        .build()).getAllocation();
    }

    static JsonNode row(JsonNode list, String name) {
        return list.path("value").valueStream().filter(r -> r.path("name").asString().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not listed in " + list));
    }

    @Test
    void theInventoryListsHostsRacksAndClustersWithTheirUtilization() {
        Gateway admin = admin();
        Allocation vm = place("westeurope", 4);

        HttpResponse<String> hosts = admin.get("/cirrus/placement/hosts?region=westeurope");
        assertThat(hosts.statusCode()).as(hosts.body()).isEqualTo(200);
        assertThat(json(hosts).path("value").findValuesAsString("name")).hasSize(8).contains("weu-c1-r1-h01",
                "weu-c2-r2-h01").doesNotContain("eus-c1-r1-h01");
        JsonNode host = row(json(hosts), vm.getHost());
        assertThat(host.path("cluster").asString()).isEqualTo(vm.getCluster());
        assertThat(host.path("rack").asString()).isEqualTo(vm.getRack());
        assertThat(host.path("vcpus").asLong()).isEqualTo(16);
        assertThat(host.path("usedVcpus").asLong()).isGreaterThanOrEqualTo(4);
        assertThat(host.path("freeVcpus").asLong()).isEqualTo(16 - host.path("usedVcpus").asLong());
        assertThat(host.path("memoryMib").asLong()).isEqualTo(64 * 1024);
        assertThat(host.path("allocations").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(host.path("vcpuUtilization").decimalValue())
                .isEqualByComparingTo(java.math.BigDecimal.valueOf(host.path("usedVcpus").asLong())
                        .divide(java.math.BigDecimal.valueOf(16), 4, java.math.RoundingMode.HALF_UP));

        JsonNode racks = json(admin.get("/cirrus/placement/racks?region=West%20Europe"));
        assertThat(racks.path("value").findValuesAsString("name")).containsExactly("weu-c1-r1", "weu-c1-r2",
                "weu-c1-r3", "weu-c2-r1", "weu-c2-r2");
        JsonNode rack = row(racks, vm.getRack());
        assertThat(rack.path("hosts").asInt()).isEqualTo(vm.getCluster().equals("weu-c1") ? 2 : 1);
        assertThat(rack.path("usedVcpus").asLong()).isGreaterThanOrEqualTo(4);

        JsonNode clusters = json(admin.get("/cirrus/placement/clusters"));
        assertThat(clusters.path("value").findValuesAsString("name")).containsExactly("eus-c1", "weu-c1", "weu-c2");
        JsonNode cluster = row(clusters, "weu-c1");
        assertThat(cluster.path("region").asString()).isEqualTo("westeurope");
        assertThat(cluster.path("hosts").asInt()).isEqualTo(6);
        assertThat(cluster.path("vcpus").asLong()).isEqualTo(6 * 16);
        assertThat(cluster.path("hostStates").isObject()).isTrue();
    }

    @Test
    void failingAHostMovesItsVmsWithinTheirFaultDomainAndRecoveringItPutsItBackInService() {
        Gateway admin = admin();
        Allocation vm = place("westeurope", 2);
        String failed = vm.getHost();

        HttpResponse<String> fail = admin.send("POST", "/cirrus/placement/hosts/" + failed + "/fail", null);

        assertThat(fail.statusCode()).as(fail.body()).isEqualTo(200);
        assertThat(json(fail).path("hosts").valueStream().map(JsonNode::asString).toList()).containsExactly(failed);
        JsonNode move = json(fail).path("moves").valueStream()
                .filter(m -> m.path("vmId").asString().equals(vm.getVmId())).findFirst().orElseThrow();
        assertThat(move.path("fromHost").asString()).isEqualTo(failed);
        assertThat(move.path("stranded").asBoolean()).isFalse();
        assertThat(move.path("host").asString()).isNotEqualTo(failed);
        assertThat(move.path("rack").asString()).as("same fault domain").isEqualTo(vm.getRack());
        assertThat(row(json(admin.get("/cirrus/placement/hosts")), failed).path("state").asString())
                .isEqualTo("Failed");

        HttpResponse<String> recover = admin.send("POST", "/cirrus/placement/hosts/" + failed + "/recover", null);
        assertThat(recover.statusCode()).as(recover.body()).isEqualTo(200);
        assertThat(row(json(admin.get("/cirrus/placement/hosts")), failed).path("state").asString())
                .isEqualTo("InService");
    }

    @Test
    void drainingAHostMovesItsVmsAndTakesItOutOfPlacement() {
        Gateway admin = admin();
        Allocation vm = place("westeurope", 2);

        HttpResponse<String> drain = admin.send("POST", "/cirrus/placement/hosts/" + vm.getHost() + "/drain", null);

        assertThat(drain.statusCode()).as(drain.body()).isEqualTo(200);
        assertThat(json(drain).path("moves").findValuesAsString("vmId")).contains(vm.getVmId());
        assertThat(row(json(admin.get("/cirrus/placement/hosts")), vm.getHost()).path("state").asString())
                .isEqualTo("Drained");
        assertThat(row(json(admin.get("/cirrus/placement/racks")), vm.getRack()).path("hostStates")
                .path("Drained").asInt()).isEqualTo(1);
        assertThat(admin.send("POST", "/cirrus/placement/hosts/" + vm.getHost() + "/recover", null).statusCode())
                .isEqualTo(200);
    }

    @Test
    void failingARackFailsEveryHostOfItAndRecoveringItRestoresThem() {
        Gateway admin = admin();

        HttpResponse<String> fail = admin.send("POST", "/cirrus/placement/clusters/weu-c1/racks/weu-c1-r3/fail", null);

        assertThat(fail.statusCode()).as(fail.body()).isEqualTo(200);
        assertThat(json(fail).path("hosts").valueStream().map(JsonNode::asString).toList())
                .containsExactlyInAnyOrder("weu-c1-r3-h01", "weu-c1-r3-h02");
        assertThat(row(json(admin.get("/cirrus/placement/racks")), "weu-c1-r3").path("hostStates").path("Failed")
                .asInt()).isEqualTo(2);

        HttpResponse<String> recover = admin.send("POST", "/cirrus/placement/clusters/weu-c1/racks/weu-c1-r3/recover",
                null);
        assertThat(recover.statusCode()).as(recover.body()).isEqualTo(200);
        assertThat(row(json(admin.get("/cirrus/placement/racks")), "weu-c1-r3").path("hostStates").path("InService")
                .asInt()).isEqualTo(2);
    }

    @Test
    void aPlannedMaintenanceOfAClusterRunsItsWavesAndReportsItsProgressUntilCompleted() {
        Gateway admin = admin();
        Allocation vm = place("westeurope", 1);
        String cluster = vm.getCluster();

        HttpResponse<String> started = admin.send("POST", "/cirrus/placement/maintenances",
                "{\"region\":\"West Europe\",\"cluster\":\"" + cluster + "\",\"pause\":\"PT0.2S\"}");

        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        JsonNode body = json(started);
        assertThat(body.path("cluster").asString()).isEqualTo(cluster);
        assertThat(body.path("region").asString()).isEqualTo("westeurope");
        assertThat(body.path("pause").asString()).isEqualTo("PT0.2S");
        assertThat(body.path("waves").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(body.path("state").asString()).isIn("Updating", "Pausing", "Completed");
        URI location = URI.create(started.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).isEqualTo("http://127.0.0.1:" + port + "/cirrus/placement/maintenances/"
                + body.path("id").asString());

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> progress = admin.get(location.getRawPath());
            assertThat(progress.statusCode()).isEqualTo(200);
            assertThat(json(progress).path("state").asString()).isEqualTo("Completed");
            assertThat(json(progress).path("rebootingVmIds").size()).isZero();
        });
    }

    @Test
    void aSecondMaintenanceOfAClusterWhileOneRunsIsAConflict() {
        Gateway admin = admin();
        place("eastus", 1);
        String request = "{\"region\":\"eastus\",\"cluster\":\"eus-c1\",\"pause\":\"PT1H\"}";
        HttpResponse<String> first = admin.send("POST", "/cirrus/placement/maintenances", request);
        assertThat(first.statusCode()).as(first.body()).isIn(201, 409);

        HttpResponse<String> second = admin.send("POST", "/cirrus/placement/maintenances", request);

        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(errorCode(second)).isEqualTo("Conflict");
        assertThat(errorMessage(second)).contains("already running");
    }

    static Stream<Arguments> unknownNames() {
        return Stream.of(
                Arguments.of("POST", "/cirrus/placement/hosts/no-such-host/fail", null, "HostNotFound"),
                Arguments.of("POST", "/cirrus/placement/hosts/no-such-host/recover", null, "HostNotFound"),
                Arguments.of("POST", "/cirrus/placement/hosts/no-such-host/drain", null, "HostNotFound"),
                Arguments.of("POST", "/cirrus/placement/clusters/weu-c1/racks/no-such-rack/fail", null, "RackNotFound"),
                Arguments.of("POST", "/cirrus/placement/clusters/no-such-cluster/racks/weu-c1-r1/recover", null,
                        "RackNotFound"),
                Arguments.of("POST", "/cirrus/placement/maintenances",
                        "{\"region\":\"westeurope\",\"cluster\":\"no-such-cluster\"}", "ClusterNotFound"),
                Arguments.of("GET", "/cirrus/placement/maintenances/" + UUID.randomUUID(), null, "MaintenanceNotFound"),
                Arguments.of("GET", "/cirrus/placement/hosts?region=antarctica", null, "LocationNotFound"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("unknownNames")
    void anUnknownHostRackClusterRegionOrMaintenanceIs404(String method, String path, String body, String code) {
        HttpResponse<String> response = admin().send(method, path, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        assertThat(errorCode(response)).isEqualTo(code);
        assertThat(errorMessage(response)).isNotBlank();
        assertThat(response.headers().firstValue("x-ms-request-id")).isPresent();
    }

    static Stream<Arguments> badInputs() {
        String m = "/cirrus/placement/maintenances";
        return Stream.of(
                Arguments.of("an operation that does not exist", "POST", "/cirrus/placement/hosts/weu-c1-r1-h01/explode",
                        null, "InvalidOperation", "operation"),
                Arguments.of("a host name with a forbidden character", "POST", "/cirrus/placement/hosts/bad*host/fail",
                        null, "InvalidParameter", "host"),
                Arguments.of("a rack name with a forbidden character", "POST",
                        "/cirrus/placement/clusters/weu-c1/racks/bad*rack/drain", null, "InvalidParameter", "rack"),
                Arguments.of("a region that is no region name", "GET", "/cirrus/placement/hosts?region=west!europe",
                        null, "InvalidParameter", "region"),
                Arguments.of("a maintenance without a region", "POST", m, "{\"cluster\":\"weu-c2\"}",
                        "InvalidParameter", "region"),
                Arguments.of("a maintenance with a region of the wrong type", "POST", m,
                        "{\"region\":5,\"cluster\":\"weu-c2\"}", "InvalidParameter", "region"),
                Arguments.of("a maintenance without a cluster", "POST", m, "{\"region\":\"westeurope\"}",
                        "InvalidParameter", "cluster"),
                Arguments.of("a maintenance with a blank cluster", "POST", m,
                        "{\"region\":\"westeurope\",\"cluster\":\" \"}", "InvalidParameter", "cluster"),
                Arguments.of("a maintenance with a pause that is no duration", "POST", m,
                        "{\"region\":\"westeurope\",\"cluster\":\"weu-c2\",\"pause\":\"soon\"}", "InvalidParameter",
                        "pause"),
                Arguments.of("a maintenance with a negative pause", "POST", m,
                        "{\"region\":\"westeurope\",\"cluster\":\"weu-c2\",\"pause\":\"-PT5S\"}", "InvalidParameter",
                        "pause"),
                Arguments.of("a maintenance with a pause of a number", "POST", m,
                        "{\"region\":\"westeurope\",\"cluster\":\"weu-c2\",\"pause\":30}", "InvalidParameter", "pause"),
                Arguments.of("a maintenance with a pause over a day", "POST", m,
                        "{\"region\":\"westeurope\",\"cluster\":\"weu-c2\",\"pause\":\"P2D\"}", "InvalidParameter",
                        "pause"),
                Arguments.of("a maintenance body that is not an object", "POST", m, "[\"weu-c2\"]",
                        "InvalidRequestContent", null),
                Arguments.of("a maintenance id that is not a GUID", "GET", m + "/latest", null, "InvalidParameter",
                        "id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputIsA400NamingItsTargetAndChangesNothing(String description, String method, String path, String body,
                                                        String code, String target) {
        Gateway admin = admin();
        String before = json(admin.get("/cirrus/placement/hosts")).path("value").toString();

        HttpResponse<String> response = admin.send(method, path, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(errorCode(response)).isEqualTo(code);
        if (target != null) {
            assertThat(json(response).path("error").path("target").asString()).isEqualTo(target);
        }
        assertThat(response.body()).doesNotContain("Exception");
        assertThat(json(admin.get("/cirrus/placement/hosts")).path("value").toString()).isEqualTo(before);
    }

    @Test
    void theOperatorApiNeedsATokenAndARoleAtTheRootThatAllowsTheAction() {
        Gateway admin = admin();
        HttpResponse<String> anonymous = new Gateway(port).get("/cirrus/placement/hosts");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(errorCode(anonymous)).isEqualTo("AuthenticationFailed");

        JsonNode principal = json(admin.send("POST", "/cirrus/servicePrincipals", "{\"displayName\":\"ops-reader\"}"));
        Gateway reader = Gateway.as(port, principal.path("tenantId").asString(), principal.path("clientId").asString(),
                principal.path("clientSecret").asString());
        HttpResponse<String> nothing = reader.get("/cirrus/placement/clusters");
        assertThat(nothing.statusCode()).as("no role yet").isEqualTo(403);
        assertThat(errorCode(nothing)).isEqualTo("AuthorizationFailed");
        assertThat(errorMessage(nothing)).contains("'Cirrus.Placement/clusters/read'").contains("scope '/'");

        HttpResponse<String> granted = admin.put("/providers/Microsoft.Authorization/roleAssignments/"
                + UUID.randomUUID() + "?api-version=2022-04-01", "{\"properties\":{\"roleDefinitionId\":"
                + "\"/providers/Microsoft.Authorization/roleDefinitions/" + READER + "\",\"principalId\":\""
                + principal.path("objectId").asString() + "\",\"principalType\":\"ServicePrincipal\"}}");
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(reader.get("/cirrus/placement/clusters").statusCode()).isEqualTo(200));
        for (String[] call : List.of(new String[] {"/cirrus/placement/hosts/weu-c1-r1-h01/fail", "hosts/fail/action"},
                new String[] {"/cirrus/placement/clusters/weu-c1/racks/weu-c1-r1/drain", "racks/drain/action"},
                new String[] {"/cirrus/placement/maintenances", "maintenances/write"})) {
            HttpResponse<String> refused = reader.send("POST", call[0],
                    call[0].endsWith("maintenances") ? "{\"region\":\"westeurope\",\"cluster\":\"weu-c2\"}" : null);
            assertThat(refused.statusCode()).as(call[0]).isEqualTo(403);
            assertThat(errorMessage(refused)).contains("'Cirrus.Placement/" + call[1] + "'");
        }
        assertThat(row(json(admin.get("/cirrus/placement/hosts")), "weu-c1-r1-h01").path("state").asString())
                .isEqualTo("InService");
    }

    @Test
    void theAllocationsOfAHostOrARackAreListedWithTheirDomains() {
        Gateway admin = admin();
        Allocation vm = place("westeurope", 2);

        HttpResponse<String> onHost = admin.get("/cirrus/placement/allocations?host=" + vm.getHost());
        assertThat(onHost.statusCode()).as(onHost.body()).isEqualTo(200);
        JsonNode row = json(onHost).path("value").valueStream()
                .filter(a -> a.path("vmId").asString().equals(vm.getVmId())).findFirst().orElseThrow();
        assertThat(row.path("resourceId").asString()).isEqualTo(vm.getResourceId());
        assertThat(row.path("rack").asString()).isEqualTo(vm.getRack());
        assertThat(row.path("faultDomain").asInt()).isEqualTo(vm.getFaultDomain());
        assertThat(row.path("updateDomain").asInt()).isEqualTo(vm.getUpdateDomain());
        assertThat(row.path("vcpus").asInt()).isEqualTo(2);

        HttpResponse<String> onRack = admin.get("/cirrus/placement/allocations?cluster=" + vm.getCluster() + "&rack="
                + vm.getRack());
        assertThat(json(onRack).path("value").findValuesAsString("vmId")).contains(vm.getVmId());
        assertThat(json(onRack).path("value").findValuesAsString("rack")).containsOnly(vm.getRack());

        HttpResponse<String> none = admin.get("/cirrus/placement/allocations");
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(errorCode(none)).isEqualTo("InvalidParameter");
        HttpResponse<String> two = admin.get("/cirrus/placement/allocations?host=a&group=b");
        assertThat(two.statusCode()).isEqualTo(400);
        HttpResponse<String> badName = admin.get("/cirrus/placement/allocations?host=no%20such");
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(json(badName).path("error").path("target").asString()).isEqualTo("host");
    }
}
