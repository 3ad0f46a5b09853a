package dev.cirrus.computecontainer;

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
 * The running service for black-box tests: real PostgreSQL and Kafka from the testkit, the REAL placement engine
 * ({@link PlacementEngineProcess}) over gRPC, the Docker engine {@code DOCKER_HOST} names (if any, {@link TestDocker})
 * and HTTP over loopback. Classes extending this share one Spring context; each test uses its own subscription. The
 * containers this context runs carry an owner label of their own, so a second context on the same engine leaves them
 * alone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cirrus.container.topology=file:src/test/resources/inventory/test-topology.yaml",
        "cirrus.container.groups.monitor-interval=200ms",
        "cirrus.container.groups.worker-poll-interval=200ms",
        "cirrus.container.groups.operation-deadline=20s",
        "cirrus.container.groups.list-page-size=3",
        "cirrus.container.groups.regional-cores=8"})
public abstract class ContainerGroupTestSupport {

    public static final String API = "api-version=2023-05-01";
    /** The owner label of this test JVM's containers. */
    public static final String OWNER = "cirrus-test-" + UUID.randomUUID().toString().substring(0, 8);

    protected static final PlacementEngineProcess ENGINE = PlacementEngineProcess.shared();
    protected static final ObjectMapper JSON = JsonMapper.builder().build();
    private static TopicReader containerTopic;

    static {
        // what the tests left running goes when the test JVM ends (the labels name this JVM's owner only)
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (TestDocker.answers()) {
                var client = TestDocker.engine().client();
                client.listContainersCmd().withShowAll(true).withLabelFilter(java.util.Map.of("dev.cirrus.owner", OWNER))
                        .exec().forEach(c -> {
                            try {
                                client.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                            } catch (RuntimeException ignored) {
                                // gone already
                            }
                        });
                var volumes = client.listVolumesCmd().withFilter("label", List.of("dev.cirrus.owner=" + OWNER)).exec()
                        .getVolumes();
                if (volumes != null) {
                    volumes.forEach(v -> {
                        try {
                            client.removeVolumeCmd(v.getName()).exec();
                        } catch (RuntimeException ignored) {
                            // in use or gone
                        }
                    });
                }
            }
        }));
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringInfrastructure.register(registry, "compute_container");
        registry.add("cirrus.placement.target", ENGINE::target);
        registry.add("cirrus.container.docker.owner", () -> OWNER);
        registry.add("cirrus.container.platform-consumer", () -> "compute-container-platform-" + OWNER);
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

    protected static String newSubscription() {
        return UUID.randomUUID().toString();
    }

    public static String groupPath(String sub, String rg, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.ContainerInstance/"
                + "containerGroups/" + name;
    }

    /** A one-container group of the test image running {@code command}, 0.5 vCPU and 0.5 GB, in westeurope. */
    public static String groupBody(String restartPolicy, String command) {
        return """
                {"location": "westeurope", "tags": {"env": "test"},
                 "properties": {"osType": "Linux", "restartPolicy": "%s",
                   "containers": [{"name": "main", "properties": {"image": "%s", "command": %s,
                     "environmentVariables": [{"name": "GREETING", "value": "hello"},
                                              {"name": "SECRET", "secureValue": "s3cr3t-value"}],
                     "resources": {"requests": {"cpu": 0.5, "memoryInGB": 0.5}}}}]}}
                """.formatted(restartPolicy, TestDocker.BUSYBOX, command);
    }

    /** The Docker containers this test JVM's service owns now (empty without an engine). */
    protected static List<String> ownedContainers() {
        if (!TestDocker.answers()) {
            return List.of();
        }
        return TestDocker.engine().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(java.util.Map.of("dev.cirrus.owner", OWNER)).exec().stream()
                .map(c -> c.getId()).toList();
    }

    /** The Docker containers of one group, by the resource id label the service puts on them (none without an engine). */
    protected static List<String> containersOf(String resourceId) {
        if (!TestDocker.answers()) {
            return List.of();
        }
        return TestDocker.engine().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(java.util.Map.of("dev.cirrus.owner", OWNER, "dev.cirrus.resource-id", resourceId))
                .exec().stream().map(c -> c.getId()).toList();
    }

    protected String url(String pathAndQuery) {
        return pathAndQuery.startsWith("http") ? pathAndQuery : "http://127.0.0.1:" + port + pathAndQuery;
    }

    protected static String withApi(String path) {
        return path + (path.contains("?") ? "&" : "?") + API;
    }

    protected HttpResponse<String> send(String method, String pathAndQuery, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(pathAndQuery))).timeout(Duration.ofSeconds(60))
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
            throw new IllegalStateException(method + " " + pathAndQuery + " failed", e);
        }
    }

    protected HttpResponse<String> put(String path, String body, String... headers) {
        return send("PUT", withApi(path), body, headers);
    }

    protected HttpResponse<String> get(String pathOrUrl) {
        return send("GET", pathOrUrl.contains("api-version=") ? pathOrUrl : withApi(pathOrUrl), null);
    }

    protected HttpResponse<String> post(String path) {
        return send("POST", withApi(path), null);
    }

    protected HttpResponse<String> delete(String path, String... headers) {
        return send("DELETE", withApi(path), null, headers);
    }

    protected static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** The status of the operation an {@code Azure-AsyncOperation} header names. */
    protected String operationStatus(HttpResponse<String> accepted) {
        String link = accepted.headers().firstValue("Azure-AsyncOperation").orElseThrow();
        return json(get(link)).path("status").asString();
    }

    protected int count(String sql, Object... args) {
        Integer n = jdbc.queryForObject(sql, Integer.class, args);
        return n == null ? 0 : n;
    }
}
