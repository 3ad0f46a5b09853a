package dev.cirrus.computecontainer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.cirrus.computecontainer.ClusterTestSupport;
import dev.cirrus.computecontainer.PlacementEngineProcess;
import dev.cirrus.testkit.ChildJvm;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.SpringInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * compute-vm down: a cluster's creation does not hang; it is retried until {@code operation-deadline} and then ends
 * Failed with {@code ComputeVmUnavailable} and a message naming compute-vm.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cirrus.container.topology=file:src/test/resources/inventory/test-topology.yaml",
        "cirrus.compute-container.worker-interval=200ms",
        "cirrus.compute-container.operation-deadline=3s",
        "cirrus.compute-container.call-timeout=1s"})
class ClusterDependencyOutageTest {

    /** A port nothing listens on: compute-vm is down. */
    private static final int DOWN = ChildJvm.freePort();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringInfrastructure.register(registry, "compute_container");
        registry.add("cirrus.placement.target", () -> PlacementEngineProcess.shared().target());
        registry.add("cirrus.compute-container.compute-vm-url", () -> "http://127.0.0.1:" + DOWN);
        registry.add("cirrus.container.platform-consumer", () -> "compute-container-platform-outage");
        registry.add("cirrus.compute-container.placement-consumer", () -> "compute-container-clusters-outage");
    }

    @LocalServerPort
    int port;

    private final HttpClient http =
            ServiceCredentials.httpClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());

    @Test
    void withComputeVmDownACreationEndsFailedWithAClearErrorInsteadOfHanging() throws Exception {
        String path = ClusterTestSupport.clusterPath("00000000-0000-0000-0000-0000000000aa", "down", "aks")
                + "?" + ClusterTestSupport.API;
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .PUT(HttpRequest.BodyPublishers.ofString(ClusterTestSupport.clusterBody(null,
                        ClusterTestSupport.pool("system", "System", 1))))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String link = created.headers().firstValue("Azure-AsyncOperation").orElseThrow();
        JsonNode[] op = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            op[0] = JsonMapper.builder().build().readTree(http.send(HttpRequest.newBuilder(URI.create(link)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            return !"InProgress".equals(op[0].path("status").asString());
        });
        assertThat(op[0].path("status").asString()).isEqualTo("Failed");
        assertThat(op[0].path("error").path("code").asString()).isEqualTo("ComputeVmUnavailable");
        assertThat(op[0].path("error").path("message").asString()).contains("compute-vm");
        JsonNode cluster = JsonMapper.builder().build().readTree(http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(cluster.path("properties").path("provisioningState").asString()).isEqualTo("Failed");
        assertThat(cluster.path("properties").path("provisioningError").path("code").asString())
                .isEqualTo("ComputeVmUnavailable");
    }
}
