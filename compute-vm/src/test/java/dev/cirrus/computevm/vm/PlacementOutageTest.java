package dev.cirrus.computevm.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

import dev.cirrus.computevm.ComputeVmTestSupport;
import dev.cirrus.computevm.PlacementEngineProcess;
import dev.cirrus.computevm.TopicReader;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.SpringInfrastructure;
import dev.cirrus.testkit.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
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
 * The placement engine is down (nothing listens on its port): a VM keeps waiting for it up to the (here short)
 * deadline and then fails, instead of staying Creating. {@link PlacementEngineReturnsTest}: an engine that comes back
 * in time gets the VM placed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cirrus.vm.timings.provisioning=0s",
        "cirrus.vm.timings.deletion=0s",
        "cirrus.vm.timings.placement-deadline=4s",
        "cirrus.vm.worker.poll-interval=200ms",
        "cirrus.vm.worker.retry-interval=200ms",
        "cirrus.placement.call-deadline=1s",
        "cirrus.placement.retry.max-attempts=2",
        "cirrus.placement.retry.initial-backoff=50ms",
        "cirrus.placement.retry.max-backoff=100ms",
        "cirrus.placement.circuit-breaker.open-duration=300ms"})
@DirtiesContext
class PlacementOutageTest {

    private static final int ENGINE_PORT = PlacementEngineProcess.freePort();
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final TopicReader EVENTS =
            new TopicReader(TestInfrastructure.kafkaBootstrapServers(), Topics.COMPUTE_VM);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringInfrastructure.register(registry, "compute_vm_outage");
        registry.add("cirrus.placement.target", () -> "127.0.0.1:" + ENGINE_PORT);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private final HttpClient http = ServiceCredentials.httpClient();
    private final String sub = UUID.randomUUID().toString();

    @AfterAll
    static void closeReader() {
        EVENTS.close();
    }

    @Test
    void aVmWhoseEngineNeverAnswersFailsAtTheDeadlineInsteadOfStayingCreating() throws Exception {
        String path = ComputeVmTestSupport.vmPath(sub, "rg", "stranded");
        HttpResponse<String> created = send("PUT", path, ComputeVmTestSupport.withNic((p, b) -> send("PUT", p, b), path,
                ComputeVmTestSupport.vmBody("Standard_B1s")));
        assertThat(created.statusCode()).isEqualTo(201);
        String operationUrl = created.headers().firstValue("Azure-AsyncOperation").orElseThrow();

        JsonNode operation = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> JSON.readTree(send("GET", operationUrl, null).body()),
                        op -> !op.path("status").stringValue().equals("InProgress"));

        assertThat(operation.path("status").stringValue()).isEqualTo("Failed");
        assertThat(operation.path("error").path("code").stringValue()).isEqualTo("InternalOperationError");
        assertThat(operation.path("error").path("message").stringValue()).contains("placement engine did not answer");
        JsonNode vm = JSON.readTree(send("GET", path + "?$expand=instanceView", null).body()).path("properties");
        assertThat(vm.path("provisioningState").stringValue()).isEqualTo("Failed");
        assertThat(vm.path("instanceView").path("statuses").get(0).path("code").stringValue())
                .isEqualTo("ProvisioningState/failed/InternalOperationError");
        String key = path.toLowerCase(Locale.ROOT);
        await().atMost(Duration.ofSeconds(60)).until(() -> EVENTS.events(key).size() >= 2);
        assertThat(EVENTS.events(key)).extracting(TopicReader.Event::type)
                .containsExactly(EventTypes.VM_CREATED, EventTypes.VM_ALLOCATION_FAILED);
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
