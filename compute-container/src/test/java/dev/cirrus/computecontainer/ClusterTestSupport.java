package dev.cirrus.computecontainer;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.cirrus.contracts.events.Topics;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.SpringInfrastructure;
import dev.cirrus.testkit.TestInfrastructure;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The running service for the managed-cluster tests: real PostgreSQL and Kafka from the testkit, the REAL placement
 * engine ({@link PlacementEngineProcess}) and the REAL compute-vm ({@link ComputeVmProcess}, where the agent pools'
 * scale sets are created), HTTP over loopback. Clusters go to {@code eastus} of the test inventory (three racks).
 * Each test uses its own subscription.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cirrus.container.topology=file:src/test/resources/inventory/test-topology.yaml",
        "cirrus.compute-container.worker-interval=200ms",
        "cirrus.compute-container.operation-deadline=60s",
        "cirrus.compute-container.list-page-size=2"})
public abstract class ClusterTestSupport {

    public static final String API = "api-version=2024-09-01";
    public static final String VM_API = "api-version=2024-07-01";
    private static final String OWNER = "cirrus-aks-test-" + UUID.randomUUID().toString().substring(0, 8);

    protected static final PlacementEngineProcess ENGINE = PlacementEngineProcess.shared();
    protected static final ComputeVmProcess VM = ComputeVmProcess.shared();
    protected static final ObjectMapper JSON = JsonMapper.builder().build();
    private static TopicReader containerTopic;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringInfrastructure.register(registry, "compute_container");
        registry.add("cirrus.placement.target", ENGINE::target);
        registry.add("cirrus.compute-container.compute-vm-url", VM::url);
        registry.add("cirrus.container.docker.owner", () -> OWNER);
        registry.add("cirrus.container.platform-consumer", () -> "compute-container-platform-" + OWNER);
        registry.add("cirrus.compute-container.placement-consumer", () -> "compute-container-clusters-" + OWNER);
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    protected final HttpClient http =
            ServiceCredentials.httpClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());

    protected static synchronized TopicReader containerTopic() {
        if (containerTopic == null) {
            containerTopic = new TopicReader(TestInfrastructure.kafkaBootstrapServers(), Topics.COMPUTE_CONTAINER);
        }
        return containerTopic;
    }

    /** The events on cirrus.compute.container about {@code subject} (their key is the subject in lower case). */
    protected static List<TopicReader.Event> events(String subject) {
        return containerTopic().events(subject.toLowerCase(java.util.Locale.ROOT));
    }

    protected static String newSubscription() {
        return UUID.randomUUID().toString();
    }

    public static String clusterPath(String sub, String rg, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.ContainerService/"
                + "managedClusters/" + name;
    }

    /** A cluster in eastus with the given version (null: the default) and pools (JSON objects). */
    public static String clusterBody(String version, String... pools) {
        return """
                {"location": "eastus", "tags": {"env": "test"}, "sku": {"name": "Base", "tier": "Standard"},
                 "properties": {%s"dnsPrefix": "demo-dns", "agentPoolProfiles": [%s]}}
                """.formatted(version == null ? "" : "\"kubernetesVersion\": \"" + version + "\", ",
                String.join(", ", pools));
    }

    public static String pool(String name, String mode, int count) {
        return """
                {"name": "%s", "mode": "%s", "count": %d, "vmSize": "Standard_D2s_v5"}""".formatted(name, mode, count);
    }

    protected String url(String pathAndQuery) {
        return pathAndQuery.startsWith("http") ? pathAndQuery : "http://127.0.0.1:" + port + pathAndQuery;
    }

    protected static String withApi(String path) {
        return path + (path.contains("?") ? "&" : "?") + API;
    }

    protected HttpResponse<String> send(String method, String url, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + url + " failed", e);
        }
    }

    protected HttpResponse<String> put(String path, String body, String... headers) {
        return send("PUT", url(withApi(path)), body, headers);
    }

    protected HttpResponse<String> get(String pathOrUrl) {
        return send("GET", url(pathOrUrl.contains("api-version=") ? pathOrUrl : withApi(pathOrUrl)), null);
    }

    protected HttpResponse<String> post(String path) {
        return send("POST", url(withApi(path)), null);
    }

    protected HttpResponse<String> delete(String path, String... headers) {
        return send("DELETE", url(withApi(path)), null, headers);
    }

    /** A GET on compute-vm itself (with the service credential), e.g. a scale set of a node resource group. */
    protected HttpResponse<String> computeVm(String path) {
        return send("GET", VM.url() + path + (path.contains("?") ? "&" : "?") + VM_API, null);
    }

    protected static String scaleSetsPath(String sub, String nodeRg) {
        return "/subscriptions/" + sub + "/resourceGroups/" + nodeRg
                + "/providers/Microsoft.Compute/virtualMachineScaleSets";
    }

    protected static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** Waits until the operation an {@code Azure-AsyncOperation} header names has ended; returns its body. */
    protected JsonNode awaitOperation(HttpResponse<String> accepted) {
        String link = accepted.headers().firstValue("Azure-AsyncOperation").orElseThrow(() ->
                new AssertionError("no Azure-AsyncOperation: " + accepted.statusCode() + " " + accepted.body()));
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            last[0] = json(get(link));
            return !"InProgress".equals(last[0].path("status").asString());
        });
        return last[0];
    }

    /** The nodes of a pool as {@code …/agentPools/{pool}/machines} lists them. */
    protected List<JsonNode> machines(String clusterPath, String pool) {
        return JSON.readTree(get(clusterPath + "/agentPools/" + pool + "/machines").body()).path("value")
                .valueStream().toList();
    }

    protected int count(String sql, Object... args) {
        Integer n = jdbc.queryForObject(sql, Integer.class, args);
        return n == null ? 0 : n;
    }
}
