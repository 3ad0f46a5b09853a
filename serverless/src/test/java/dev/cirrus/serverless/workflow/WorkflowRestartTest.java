package dev.cirrus.serverless.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import dev.cirrus.testkit.ChildJvm;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.TestInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The engine across a crash: the service runs as a child JVM, is killed (SIGKILL: nothing of it runs) in the middle
 * of a run or between recurrences, and a new one over the same database resumes. An Http call that had started is
 * not sent again (its retry policy allows no other attempt), calls that finished are never repeated, and a
 * recurrence neither misses nor doubles the occurrence that was due while the service was down.
 */
@Tag("scenario") // slow: runs in the second Maven run of ./cirrus test (root pom.xml)
class WorkflowRestartTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String V = "?api-version=2019-05-01";

    final HttpClient http = ServiceCredentials.httpClient();
    final String sub = UUID.randomUUID().toString();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final CountDownLatch blocked = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    String database;
    HttpServer target;
    final List<ChildJvm> children = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        database = TestInfrastructure.postgres().newDatabase("logicrestart");
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        target.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            calls.add(path);
            if (path.equals("/item/c")) {
                blocked.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            try {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (java.io.IOException e) {
                // the caller was killed meanwhile
            }
            exchange.close();
        });
        target.start();
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        children.forEach(ChildJvm::close);
        target.stop(0);
    }

    ChildJvm service(int port) {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        List<Path> classpath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                classpath.add(Path.of(entry));
            }
        }
        ChildJvm child = ChildJvm.mainClass("dev.cirrus.serverless.ServerlessApplication", classpath)
                .name("serverless-restart-" + port)
                .jvmOptions(List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"))
                .arguments("--spring.datasource.url=" + database, "--spring.datasource.username=" + pg.username(),
                        "--spring.datasource.password=" + pg.password(),
                        "--cirrus.kafka.bootstrap-servers=" + TestInfrastructure.kafkaBootstrapServers(),
                        "--cirrus.service-credential=" + ServiceCredentials.value(),
                        "--cirrus.logic.poll-interval=100ms", "--cirrus.logic.action-lease=1s")
                .cirrusService(port).launch();
        children.add(child);
        return child.awaitReady(Duration.ofSeconds(120));
    }

    HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    String workflow(String name) {
        return "/subscriptions/" + sub + "/resourceGroups/rg1/providers/Microsoft.Logic/workflows/" + name;
    }

    JsonNode get(int port, String path) throws Exception {
        return JSON.readTree(send(port, "GET", path + (path.contains("?") ? "&" : "?") + V.substring(1), null).body());
    }

    @Test
    void aKillInTheMiddleOfAForeachWithAnHttpActionNeverCallsTheTargetTwice() throws Exception {
        int first = ChildJvm.freePort();
        service(first);
        String actions = """
                {"Each": {"type": "Foreach", "foreach": "@triggerBody()['items']", "operationOptions": "Sequential",
                          "actions": {"Call": {"type": "Http", "inputs": {"method": "GET",
                              "uri": "http://127.0.0.1:%d/item/@{item()}", "retryPolicy": {"type": "none"}}}}}}
                """.formatted(target.getAddress().getPort());
        String definition = WorkflowTestSupport.definition(WorkflowTestSupport.MANUAL, actions);
        HttpResponse<String> put = send(first, "PUT", workflow("durable") + V, "{\"location\":\"westeurope\","
                + "\"properties\":{\"definition\":" + definition + "}}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        HttpResponse<String> started = send(first, "POST", workflow("durable") + "/triggers/manual/run" + V,
                "{\"items\":[\"a\",\"b\",\"c\",\"d\"]}");
        String run = started.headers().firstValue("x-ms-workflow-run-id").orElseThrow();

        assertThat(blocked.await(60, TimeUnit.SECONDS)).isTrue();
        children.getFirst().kill();
        release.countDown();
        int second = ChildJvm.freePort();
        service(second);

        await().atMost(Duration.ofSeconds(60)).until(() -> !get(second, workflow("durable") + "/runs/" + run)
                .path("properties").path("status").asString().equals("Running"));
        assertThat(calls).containsExactly("/item/a", "/item/b", "/item/c", "/item/d");
        JsonNode repetitions = get(second, workflow("durable") + "/runs/" + run + "/actions/Call/repetitions");
        List<String> statuses = new ArrayList<>();
        repetitions.path("value").forEach(r -> statuses.add(r.path("properties").path("status").asString()));
        assertThat(statuses).containsExactly("Succeeded", "Succeeded", "Failed", "Succeeded");
        assertThat(repetitions.path("value").get(2).path("properties").path("error").path("code").asString())
                .isEqualTo("ActionInterrupted");
    }

    @Test
    void aRecurrenceAcrossARestartNeitherMissesNorDoublesAnOccurrence() throws Exception {
        int first = ChildJvm.freePort();
        service(first);
        String triggers = "{\"tick\":{\"type\":\"Recurrence\",\"recurrence\":{\"frequency\":\"Second\",\"interval\":2,"
                + "\"startTime\":\"2026-01-01T00:00:00Z\"}}}";
        String definition = WorkflowTestSupport.definition(triggers, "{\"A\":{\"type\":\"Compose\",\"inputs\":1}}");
        HttpResponse<String> put = send(first, "PUT", workflow("clock") + V, "{\"location\":\"westeurope\","
                + "\"properties\":{\"definition\":" + definition + "}}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> scheduled(first).size() >= 2);

        children.getFirst().kill();
        List<Instant> before = scheduled(-1);
        int second = ChildJvm.freePort();
        service(second);
        await().atMost(Duration.ofSeconds(60)).until(() -> scheduled(second).size() >= before.size() + 2);

        List<Instant> all = scheduled(second);
        assertThat(all).doesNotHaveDuplicates();
        for (Instant t : all) {
            assertThat(t.getEpochSecond() % 2).as("every occurrence is on the 2 s grid: " + t).isZero();
        }
        Instant lastBefore = before.getLast();
        assertThat(all).as("the occurrence due while the service was down ran once").contains(lastBefore.plusSeconds(2));
    }

    /** The scheduled times of the clock workflow's runs, oldest first (port -1: read the database directly). */
    List<Instant> scheduled(int port) throws Exception {
        List<Instant> out = new ArrayList<>();
        if (port == -1) {
            try (var c = java.sql.DriverManager.getConnection(database, TestInfrastructure.postgres().username(),
                    TestInfrastructure.postgres().password());
                 var rs = c.createStatement().executeQuery("select trigger::text from workflow_runs")) {
                while (rs.next()) {
                    out.add(Instant.parse(JSON.readTree(rs.getString(1)).path("outputs").path("scheduledTime").asString()));
                }
            }
        } else {
            JsonNode runs = get(port, workflow("clock") + "/runs");
            runs.path("value").forEach(r -> out.add(Instant.parse(r.path("properties").path("trigger").path("outputs")
                    .path("scheduledTime").asString())));
        }
        out.sort(null);
        return out;
    }
}
