package dev.cirrus.computevm.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import dev.cirrus.computevm.ComputeVmTestSupport;
import dev.cirrus.computevm.PlacementEngineProcess;
import dev.cirrus.contracts.placement.v1.GetAllocationRequest;
import dev.cirrus.computevm.TopicReader;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.SpringInfrastructure;
import dev.cirrus.testkit.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The placement engine is down when a VM is created; the VM waits (Creating) and retries; the REAL engine is then
 * started on the port compute-vm calls, before the deadline, and places the VM.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cirrus.vm.timings.provisioning=0s",
        "cirrus.vm.timings.deletion=0s",
        "cirrus.vm.timings.placement-deadline=120s",
        "cirrus.vm.worker.poll-interval=200ms",
        "cirrus.vm.worker.retry-interval=200ms",
        "cirrus.placement.call-deadline=1s",
        "cirrus.placement.retry.max-attempts=2",
        "cirrus.placement.retry.initial-backoff=50ms",
        "cirrus.placement.retry.max-backoff=100ms",
        "cirrus.placement.circuit-breaker.open-duration=300ms"})
@DirtiesContext
class PlacementEngineReturnsTest {

    private static final int ENGINE_PORT = PlacementEngineProcess.freePort();
    private static final PlacementEngineProcess ENGINE = PlacementEngineProcess.onPort(ENGINE_PORT);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final TopicReader EVENTS =
            new TopicReader(TestInfrastructure.kafkaBootstrapServers(), Topics.COMPUTE_VM);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringInfrastructure.register(registry, "compute_vm_returns");
        registry.add("cirrus.placement.target", () -> "127.0.0.1:" + ENGINE_PORT);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private final HttpClient http = ServiceCredentials.httpClient();
    private final String sub = UUID.randomUUID().toString();

    @AfterEach
    void engineDown() {
        ENGINE.stop();
    }

    @AfterAll
    static void closeReader() {
        EVENTS.close();
    }

    @Test
    void aVmIsPlacedWhenTheEngineComesBackBeforeTheDeadline() throws Exception {
        String path = ComputeVmTestSupport.vmPath(sub, "rg", "patient");
        HttpResponse<String> created = send("PUT", path, ComputeVmTestSupport.withNic((p, b) -> send("PUT", p, b), path,
                ComputeVmTestSupport.vmBody("Standard_B1s")));
        assertThat(created.statusCode()).isEqualTo(201);
        String operationUrl = created.headers().firstValue("Azure-AsyncOperation").orElseThrow();
        // the engine has been tried and found down at least once
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select count(*) from operations where resource_key = ? and last_error is not null", Integer.class,
                path.toLowerCase(Locale.ROOT)) == 1);
        assertThat(JSON.readTree(send("GET", path, null).body()).path("properties").path("provisioningState")
                .stringValue()).isEqualTo("Creating");

        ENGINE.start();

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> JSON.readTree(send("GET", operationUrl, null).body()).path("status").stringValue(),
                        "Succeeded"::equals);
        JsonNode vm = JSON.readTree(send("GET", path, null).body());
        assertThat(vm.path("properties").path("provisioningState").stringValue()).isEqualTo("Succeeded");
        assertThat(ENGINE.grpc().getAllocation(GetAllocationRequest.newBuilder()
                .setVmId(vm.path("properties").path("vmId").stringValue()).build()).getRegion()).isEqualTo("westeurope");
        List<String> types = EVENTS.events(path.toLowerCase(Locale.ROOT)).stream().map(TopicReader.Event::type).toList();
        assertThat(types).doesNotContain(EventTypes.VM_ALLOCATION_FAILED);
    }

    private HttpResponse<String> send(String method, String pathOrUrl, String body) throws Exception {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : "http://127.0.0.1:" + port + pathOrUrl
                + (pathOrUrl.contains("?") ? "&" : "?") + ComputeVmTestSupport.API;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
