package dev.cirrus.gateway.faults;

import static dev.cirrus.gateway.support.Gateway.errorCode;
import static dev.cirrus.gateway.support.Gateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.operator.PlacementOperator;
import dev.cirrus.gateway.support.ChildService;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import dev.cirrus.plumbing.events.Outbox;
import dev.cirrus.testkit.TestInfrastructure;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Fault injection through the gateway: each kind of fault against a stand-in compute-vm (a real HTTP server), the
 * region outage against the REAL placement engine (its jar as a child process, the small inventory
 * {@code src/test/resources/inventory/operator-topology.yaml}), expiry, the events in the outbox, RBAC, bad input.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FaultInjectionTest {

    static final String READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    static final String SUB = "5e0b6f2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b";
    static final String VM = "/subscriptions/" + SUB + "/resourceGroups/faulty/providers/Microsoft.Compute/"
            + "virtualMachines/vm1?api-version=2024-07-01";
    static final FakeService computeVm = FakeService.start();
    static final int engineHttpPort = FakeService.freePort();
    static final int engineGrpcPort = FakeService.freePort();
    static final ChildService engine = ChildService.launch("placement-engine", engineHttpPort,
            "--spring.datasource.url=" + TestInfrastructure.postgres().newDatabase("faults_placement"),
            "--spring.datasource.username=" + TestInfrastructure.postgres().username(),
            "--spring.datasource.password=" + TestInfrastructure.postgres().password(),
            "--cirrus.kafka.bootstrap-servers=", "--cirrus.placement.grpc-port=" + engineGrpcPort,
            "--cirrus.placement.grpc-shutdown-grace=PT1S",
            "--cirrus.placement.inventory=file:" + Path.of("src/test/resources/inventory/operator-topology.yaml")
                    .toAbsolutePath());
    static volatile boolean ready;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_faults");
        registry.add("cirrus.gateway.services.compute-vm", () -> computeVm.url().toString());
        registry.add("cirrus.placement.target", () -> "127.0.0.1:" + engineGrpcPort);
        registry.add("cirrus.faults.sweep-every", () -> "PT0.2S");
    }

    @AfterAll
    static void stop() {
        computeVm.close();
        engine.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    @Autowired
    JdbcTemplate jdbc;

    Gateway admin;

    @BeforeEach
    void signIn() {
        if (!ready) {
            engine.awaitReady();
            ready = true;
        }
        admin = Gateway.admin(port, data);
        admin.subscription(SUB);
        assertThat(admin.put("/subscriptions/" + SUB + "/resourcegroups/faulty?api-version=2021-04-01",
                "{\"location\":\"westeurope\"}").statusCode()).isIn(200, 201);
        computeVm.reset();
    }

    @AfterEach
    void removeTheRules() {
        for (JsonNode rule : json(admin.get("/cirrus/faults")).path("value")) {
            admin.send("DELETE", "/cirrus/faults/" + rule.path("id").asString(), null);
        }
    }

    HttpResponse<String> rule(String body) {
        return admin.send("POST", "/cirrus/faults", body);
    }

    List<String> outboxTypes(String ruleId) {
        return jdbc.queryForList("select event_type from outbox where topic = 'cirrus.faults' and record_key = ? "
                + "order by seq", String.class, "/cirrus/faults/" + ruleId);
    }

    @Test
    void anErrorRuleAnswersTheMatchingRequestsWithItsStatusAndCodeAndIsAnnounced() {
        HttpResponse<String> created = rule("{\"kind\":\"error\",\"service\":\"compute-vm\",\"resourceType\":"
                + "\"microsoft.compute/virtualmachines\",\"operation\":\"put\",\"probability\":1,\"duration\":\"PT5M\","
                + "\"error\":{\"status\":503,\"code\":\"ServerBusy\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = json(created).path("id").asString();
        assertThat(created.headers().firstValue("Location").orElseThrow()).endsWith("/cirrus/faults/" + id);
        assertThat(json(created).path("resourceType").asString()).isEqualTo("Microsoft.Compute/virtualMachines");
        assertThat(json(created).path("operation").asString()).isEqualTo("PUT");

        HttpResponse<String> put = admin.put(VM, "{\"location\":\"westeurope\"}");
        assertThat(put.statusCode()).isEqualTo(503);
        assertThat(errorCode(put)).isEqualTo("ServerBusy");
        assertThat(json(put).path("error").path("message").asString()).contains(id);
        assertThat(put.headers().firstValue("x-ms-request-id")).isPresent();
        assertThat(computeVm.received()).as("the service never saw the faulted PUT").isEmpty();

        HttpResponse<String> get = admin.get(VM);
        assertThat(get.statusCode()).as("a GET does not match").isEqualTo(200);
        assertThat(computeVm.received()).hasSize(1);
        assertThat(outboxTypes(id)).containsExactly("Cirrus.Faults.RuleCreated", "Cirrus.Faults.FaultInjected");
        String injected = jdbc.queryForObject("select payload::text from outbox where record_key = ? and event_type = "
                + "'Cirrus.Faults.FaultInjected'", String.class, "/cirrus/faults/" + id);
        assertThat(injected).contains("\"method\":\"PUT\"").contains("\"errorCode\":\"ServerBusy\"")
                .contains("virtualMachines/vm1");
    }

    @Test
    void aLatencyRuleDelaysTheMatchingRequestsBeforeTheyGoOn() {
        assertThat(rule("{\"kind\":\"latency\",\"service\":\"compute-vm\",\"operation\":\"GET\",\"latency\":\"PT1.5S\","
                + "\"duration\":\"PT5M\"}").statusCode()).isEqualTo(201);
        long start = System.nanoTime();
        HttpResponse<String> get = admin.get(VM);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(tookMs).isGreaterThanOrEqualTo(1500);
        assertThat(computeVm.received()).hasSize(1);

        long otherStart = System.nanoTime();
        assertThat(admin.get("/subscriptions/" + SUB + "/resourcegroups/faulty?api-version=2021-04-01").statusCode())
                .isEqualTo(200);
        assertThat((System.nanoTime() - otherStart) / 1_000_000).as("another service's call is not delayed")
                .isLessThan(1500);
    }

    @Test
    void aDropRuleClosesTheConnectionWithoutAnAnswer() {
        assertThat(rule("{\"kind\":\"drop\",\"resourceType\":\"Microsoft.Compute/virtualMachines\",\"duration\":"
                + "\"PT5M\"}").statusCode()).isEqualTo(201);
        assertThatThrownBy(() -> admin.get(VM)).hasRootCauseInstanceOf(java.io.IOException.class);
        assertThat(computeVm.received()).isEmpty();
        assertThat(admin.get("/cirrus/faults").statusCode()).as("the fault API itself is never faulted")
                .isEqualTo(200);
    }

    @Test
    void aRuleWithAProbabilityFaultsAboutThatShareOfTheMatchingRequests() {
        String id = json(rule("{\"kind\":\"error\",\"operation\":\"GET\",\"probability\":0.5,\"duration\":\"PT5M\","
                + "\"error\":{\"status\":500,\"code\":\"Flaky\"}}")).path("id").asString();
        int faulted = 0;
        for (int i = 0; i < 200; i++) {
            int status = admin.get(VM).statusCode();
            assertThat(status).isIn(200, 500);
            faulted += status == 500 ? 1 : 0;
        }
        // binomial(200, 0.5): 100 ± 7; outside 60..140 is a chance below one in a billion
        assertThat(faulted).isBetween(60, 140);
        assertThat(computeVm.received()).hasSize(200 - faulted);
        assertThat(jdbc.queryForObject("select count(*) from outbox where record_key = ? and event_type = "
                + "'Cirrus.Faults.FaultInjected'", Long.class, "/cirrus/faults/" + id)).isEqualTo(faulted);
    }

    @Test
    void anActionNameMatchesThePostOfThatAction() {
        assertThat(rule("{\"kind\":\"error\",\"operation\":\"powerOff\",\"duration\":\"PT5M\","
                + "\"error\":{\"status\":409,\"code\":\"OperationNotAllowed\",\"message\":\"Not now.\"}}").statusCode())
                .isEqualTo(201);
        String vm = VM.substring(0, VM.indexOf('?'));
        HttpResponse<String> powerOff = admin.send("POST", vm + "/powerOff?api-version=2024-07-01", null);
        assertThat(powerOff.statusCode()).isEqualTo(409);
        assertThat(json(powerOff).path("error").path("message").asString()).isEqualTo("Not now.");
        assertThat(admin.send("POST", vm + "/start?api-version=2024-07-01", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aRuleEndsAtItsExpiryAndItsEndIsAnnounced() {
        HttpResponse<String> created = rule("{\"kind\":\"error\",\"service\":\"compute-vm\",\"duration\":\"PT1S\","
                + "\"error\":{\"status\":500,\"code\":\"InternalServerError\"}}");
        String id = json(created).path("id").asString();
        assertThat(admin.get(VM).statusCode()).isEqualTo(500);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(admin.get(VM).statusCode()).isEqualTo(200);
            assertThat(outboxTypes(id)).endsWith("Cirrus.Faults.RuleDeleted");
        });
        assertThat(admin.get("/cirrus/faults/" + id).statusCode()).isEqualTo(404);
        assertThat(jdbc.queryForObject("select payload::text from outbox where record_key = ? and event_type = "
                + "'Cirrus.Faults.RuleDeleted'", String.class, "/cirrus/faults/" + id)).contains("\"reason\":\"Expired\"");
    }

    @Test
    void aDeletedRuleStopsAtOnceAndASecondDeleteIs204() {
        String id = json(rule("{\"kind\":\"error\",\"duration\":\"PT5M\",\"error\":{\"status\":500,\"code\":\"Boom\"}}"))
                .path("id").asString();
        assertThat(admin.get(VM).statusCode()).isEqualTo(500);
        HttpResponse<String> deleted = admin.send("DELETE", "/cirrus/faults/" + id, null);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json(deleted).path("id").asString()).isEqualTo(id);
        assertThat(admin.get(VM).statusCode()).isEqualTo(200);
        assertThat(admin.send("DELETE", "/cirrus/faults/" + id, null).statusCode()).isEqualTo(204);
        assertThat(outboxTypes(id)).containsExactly("Cirrus.Faults.RuleCreated", "Cirrus.Faults.FaultInjected",
                "Cirrus.Faults.RuleDeleted");
    }

    @Test
    void theRulesAreReadBackFromTheDatabaseAsAfterARestart(@Autowired TransactionTemplate tx,
                                                           @Autowired Outbox outbox, @Autowired ObjectMapper mapper,
                                                           @Autowired Clock clock,
                                                           @Autowired PlacementOperator placement) {
        String id = json(rule("{\"kind\":\"latency\",\"latency\":\"PT0.01S\",\"duration\":\"PT5M\","
                + "\"probability\":0.25}")).path("id").asString();
        FaultRules afterARestart = new FaultRules(jdbc, tx, outbox, mapper, clock, placement);
        assertThat(afterARestart.active()).isEmpty();
        afterARestart.reload();
        assertThat(afterARestart.active()).extracting(FaultRule::id).containsExactly(id);
        FaultRule rule = afterARestart.active().getFirst();
        assertThat(rule.latency()).isEqualTo(Duration.ofMillis(10));
        assertThat(rule.probability()).isEqualByComparingTo("0.25");
    }

    @Test
    void aRegionOutageFailsEveryRackOfTheRegionAndRecoversThemAtItsExpiry() {
        HttpResponse<String> created = rule("{\"kind\":\"regionOutage\",\"region\":\"East US\",\"duration\":\"PT3S\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created).path("region").asString()).isEqualTo("eastus");
        assertThat(json(created).path("racks").valueStream().map(JsonNode::asString).toList())
                .isNotEmpty().allMatch(r -> r.startsWith("eus-"));
        JsonNode hosts = json(admin.get("/cirrus/placement/hosts?region=eastus")).path("value");
        assertThat(hosts.findValuesAsString("state")).isNotEmpty().containsOnly("Failed");
        assertThat(json(admin.get("/cirrus/placement/hosts?region=westeurope")).path("value")
                .findValuesAsString("state")).doesNotContain("Failed");

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(json(admin.get(
                "/cirrus/placement/hosts?region=eastus")).path("value").findValuesAsString("state"))
                .containsOnly("InService"));
        assertThat(json(admin.get("/cirrus/faults")).path("value")).isEmpty();
    }

    @Test
    void aRegionOutageOfAnUnknownRegionIsRefusedAndChangesNothing() {
        HttpResponse<String> refused = rule("{\"kind\":\"regionOutage\",\"region\":\"atlantis\",\"duration\":\"PT3S\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(404);
        assertThat(errorCode(refused)).isEqualTo("LocationNotFound");
        assertThat(json(admin.get("/cirrus/faults")).path("value")).isEmpty();
    }

    static Stream<Arguments> badRules() {
        return Stream.of(
                Arguments.of("[1]", 400, "InvalidRequestContent", null),
                Arguments.of("{\"kind\":\"explode\",\"duration\":\"PT1M\"}", 400, "InvalidParameter", "kind"),
                Arguments.of("{\"duration\":\"PT1M\"}", 400, "InvalidParameter", "kind"),
                Arguments.of("{\"kind\":\"drop\"}", 400, "InvalidParameter", "duration"),
                Arguments.of("{\"kind\":\"drop\",\"duration\":\"5 minutes\"}", 400, "InvalidParameter", "duration"),
                Arguments.of("{\"kind\":\"drop\",\"duration\":\"P30D\"}", 400, "InvalidParameter", "duration"),
                Arguments.of("{\"kind\":\"drop\",\"duration\":\"PT1M\",\"probability\":1.5}", 400, "InvalidParameter",
                        "probability"),
                Arguments.of("{\"kind\":\"drop\",\"duration\":\"PT1M\",\"probability\":0}", 400, "InvalidParameter",
                        "probability"),
                Arguments.of("{\"kind\":\"drop\",\"duration\":\"PT1M\",\"probability\":\"half\"}", 400,
                        "InvalidParameter", "probability"),
                Arguments.of("{\"kind\":\"drop\",\"duration\":\"PT1M\",\"service\":\"mainframe\"}", 400,
                        "InvalidParameter", "service"),
                Arguments.of("{\"kind\":\"drop\",\"duration\":\"PT1M\",\"resourceType\":\"Microsoft.Foo/bars\"}", 400,
                        "InvalidParameter", "resourceType"),
                Arguments.of("{\"kind\":\"drop\",\"duration\":\"PT1M\",\"service\":\"billing\",\"resourceType\":"
                        + "\"Microsoft.Compute/virtualMachines\"}", 400, "InvalidParameter", "resourceType"),
                Arguments.of("{\"kind\":\"drop\",\"duration\":\"PT1M\",\"operation\":\"rm -rf\"}", 400,
                        "InvalidParameter", "operation"),
                Arguments.of("{\"kind\":\"latency\",\"duration\":\"PT1M\"}", 400, "InvalidParameter", "latency"),
                Arguments.of("{\"kind\":\"latency\",\"duration\":\"PT1M\",\"latency\":\"soon\"}", 400,
                        "InvalidParameter", "latency"),
                Arguments.of("{\"kind\":\"error\",\"duration\":\"PT1M\"}", 400, "InvalidParameter", "error"),
                Arguments.of("{\"kind\":\"error\",\"duration\":\"PT1M\",\"error\":{\"status\":200,\"code\":\"Ok\"}}",
                        400, "InvalidParameter", "error.status"),
                Arguments.of("{\"kind\":\"error\",\"duration\":\"PT1M\",\"error\":{\"status\":500,\"code\":\"a b\"}}",
                        400, "InvalidParameter", "error.code"),
                Arguments.of("{\"kind\":\"regionOutage\",\"duration\":\"PT1M\"}", 400, "InvalidParameter", "region"),
                Arguments.of("{\"kind\":\"regionOutage\",\"duration\":\"PT1M\",\"region\":\"west/europe\"}", 400,
                        "InvalidParameter", "region"));
    }

    @ParameterizedTest
    @MethodSource("badRules")
    void badInputIsA400NamingItsTargetAndChangesNothing(String body, int status, String code, String target) {
        long events = jdbc.queryForObject("select count(*) from outbox where topic = 'cirrus.faults'", Long.class);
        HttpResponse<String> refused = rule(body);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(status);
        assertThat(errorCode(refused)).isEqualTo(code);
        if (target != null) {
            assertThat(json(refused).path("error").path("target").asString()).isEqualTo(target);
        }
        assertThat(json(admin.get("/cirrus/faults")).path("value")).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from outbox where topic = 'cirrus.faults'", Long.class))
                .isEqualTo(events);
        assertThat(admin.get("/cirrus/faults/not-a-guid").statusCode()).isEqualTo(400);
        assertThat(errorCode(admin.get("/cirrus/faults/" + UUID.randomUUID()))).isEqualTo("FaultRuleNotFound");
    }

    @Test
    void theFaultApiNeedsATokenAndARoleAtTheRootThatAllowsTheAction() {
        assertThat(new Gateway(port).get("/cirrus/faults").statusCode()).isEqualTo(401);
        JsonNode principal = json(admin.send("POST", "/cirrus/servicePrincipals", "{\"displayName\":\"fault-reader\"}"));
        Gateway reader = Gateway.as(port, principal.path("tenantId").asString(), principal.path("clientId").asString(),
                principal.path("clientSecret").asString());
        HttpResponse<String> nothing = reader.get("/cirrus/faults");
        assertThat(nothing.statusCode()).isEqualTo(403);
        assertThat(errorCode(nothing)).isEqualTo("AuthorizationFailed");
        assertThat(admin.put("/providers/Microsoft.Authorization/roleAssignments/" + UUID.randomUUID()
                + "?api-version=2022-04-01", "{\"properties\":{\"roleDefinitionId\":"
                + "\"/providers/Microsoft.Authorization/roleDefinitions/" + READER + "\",\"principalId\":\""
                + principal.path("objectId").asString() + "\",\"principalType\":\"ServicePrincipal\"}}").statusCode())
                .isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(reader.get("/cirrus/faults").statusCode()).isEqualTo(200));
        HttpResponse<String> write = reader.send("POST", "/cirrus/faults", "{\"kind\":\"drop\",\"duration\":\"PT1M\"}");
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(json(write).path("error").path("message").asString()).contains("Cirrus.Faults/rules/write");
        assertThat(json(admin.get("/cirrus/faults")).path("value")).isEmpty();
    }
}
