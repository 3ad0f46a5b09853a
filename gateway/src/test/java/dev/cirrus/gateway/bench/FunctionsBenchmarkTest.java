package dev.cirrus.gateway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;
import dev.cirrus.gateway.GatewayApplication;
import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.ChildService;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Functions figures for a trivial HTTP function through the gateway: cold start p50/p99 (the first call
 * after the app scaled to zero), warm p50/p99 and requests/s with 32 concurrent clients, and the same warm figures for
 * an empty gateway route (the gateway's Functions route to a backend that answers at once) as the denominator; the
 * function called directly on serverless for reference. serverless runs from its jar as a child process; two
 * gateways run in this JVM (one routing to serverless, one to the empty backend); the load generator runs in a JVM
 * of its own. Not part of the test suite (tag {@code bench}): {@code mvn -B -q install -pl gateway -Pbench}.
 * Figures go to {@code gateway/bench-results/functions.md}.
 */
@Tag("bench")
class FunctionsBenchmarkTest {

    static final int CONCURRENCY = Integer.getInteger("bench.functions.concurrency", 32);
    static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.warmup-seconds", 10));
    static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.measure-seconds", 20));
    static final int COLD_SAMPLES = Integer.getInteger("bench.cold-samples", 30);
    /** serverless scales an app to zero this long after its last call (checked every REAP) */
    static final Duration IDLE = Duration.ofMillis(500);
    static final Duration REAP = Duration.ofMillis(50);
    static final String V = "?api-version=2023-12-01";
    /** A version Azure serves for resource groups (2023-12-01 is Microsoft.Web's). */
    static final String RG_V = "?api-version=2021-04-01";

    static final int serverlessPort = FakeService.freePort();
    static ChildService serverless;
    static HttpServer empty;
    static ConfigurableApplicationContext toServerless;
    static ConfigurableApplicationContext toEmpty;

    @BeforeAll
    static void start() throws IOException {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        serverless = ChildService.launch("serverless", serverlessPort,
                "--spring.datasource.url=" + pg.newDatabase("bench_serverless"),
                "--spring.datasource.username=" + pg.username(), "--spring.datasource.password=" + pg.password(),
                "--cirrus.kafka.bootstrap-servers=", "--logging.level.root=WARN",
                "--cirrus.functions.idle-timeout=" + IDLE.toMillis() + "ms",
                "--cirrus.functions.reap-interval=" + REAP.toMillis() + "ms");
        // the empty backend: answers every request at once with a two-byte body, as the function does
        empty = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        empty.setExecutor(Executors.newFixedThreadPool(CONCURRENCY));
        empty.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, ok.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(ok);
                }
            }
        });
        empty.start();
        toEmpty = gateway("bench_gw_empty", "http://127.0.0.1:" + empty.getAddress().getPort());
        serverless.awaitReady();
        toServerless = gateway("bench_gw_functions", "http://127.0.0.1:" + serverlessPort);
    }

    /** A gateway in this JVM whose Functions route goes to {@code serverlessUrl}. */
    static ConfigurableApplicationContext gateway(String database, String serverlessUrl) throws IOException {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        Path data = Files.createTempDirectory(database);
        String unused = "http://127.0.0.1:" + FakeService.freePort();
        // as command-line arguments: they must win over application.yml (default properties would not)
        return new SpringApplicationBuilder(GatewayApplication.class).run(Map.ofEntries(
                Map.entry("server.port", "0"),
                Map.entry("cirrus.gateway.https-port", "0"),
                Map.entry("cirrus.gateway.data-dir", data.toString()),
                Map.entry("cirrus.service-credential", ServiceCredentials.value()),
                Map.entry("spring.datasource.url", pg.newDatabase(database)),
                Map.entry("spring.datasource.username", pg.username()),
                Map.entry("spring.datasource.password", pg.password()),
                Map.entry("cirrus.kafka.bootstrap-servers", ""),
                Map.entry("cirrus.gateway.services.serverless", serverlessUrl),
                Map.entry("cirrus.gateway.services.compute-vm", unused),
                Map.entry("cirrus.gateway.services.compute-container", unused),
                Map.entry("cirrus.gateway.services.app-service", unused),
                Map.entry("cirrus.gateway.services.billing", unused),
                Map.entry("cirrus.gateway.throttling.functions.capacity", "100000000"),
                Map.entry("cirrus.gateway.throttling.functions.refill-per-second", "1000000"),
                Map.entry("logging.level.root", "WARN")).entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    static int port(ConfigurableApplicationContext gateway) {
        return Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port"));
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext c : new ConfigurableApplicationContext[] {toServerless, toEmpty}) {
            if (c != null) {
                c.close();
            }
        }
        if (empty != null) {
            empty.stop(0);
        }
        if (serverless != null) {
            serverless.close();
        }
    }

    @Test
    void functionsThroughTheGateway() throws Exception {
        int port = port(toServerless);
        Gateway admin = Gateway.admin(port, toServerless.getBean(GatewayData.class));
        String sub = admin.newSubscription();
        String site = "/subscriptions/" + sub + "/resourceGroups/bench/providers/Microsoft.Web/sites/bench-fn";
        assertThat(admin.put("/subscriptions/" + sub + "/resourcegroups/bench" + RG_V, "{\"location\":\"westeurope\"}")
                .statusCode()).isEqualTo(201);
        assertThat(admin.put(site + V, "{\"kind\":\"functionapp\",\"location\":\"westeurope\"}").statusCode())
                .isEqualTo(200);
        HttpResponse<String> function = admin.put(site + "/functions/ping" + V, "{\"properties\":{\"config\":"
                + "{\"bindings\":[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\","
                + "\"authLevel\":\"anonymous\"},{\"type\":\"http\",\"direction\":\"out\",\"name\":\"res\"}]},"
                + "\"files\":{\"index.js\":\"module.exports = async function (context, req) {"
                + " context.res = { status: 200, body: 'ok' }; };\"}}}");
        assertThat(function.statusCode()).as(function.body()).isEqualTo(201);
        String path = "/functions/bench-fn/api/ping";
        URI throughGateway = URI.create("http://127.0.0.1:" + port + path);

        List<Long> cold = coldStarts(throughGateway);

        LoadGenerator.Figures emptyRoute = LoadGenerator.Figures.measure("empty gateway route (Functions route to "
                + "a backend that answers at once)", URI.create("http://127.0.0.1:" + port(toEmpty) + path), null,
                CONCURRENCY, WARM_UP, MEASURE);
        LoadGenerator.Figures warm = LoadGenerator.Figures.measure("function through the gateway (warm)",
                throughGateway, null, CONCURRENCY, WARM_UP, MEASURE);
        LoadGenerator.Figures direct = LoadGenerator.Figures.measure("function directly on serverless (warm, "
                + "reference)", URI.create("http://127.0.0.1:" + serverlessPort + path), null, true, CONCURRENCY, WARM_UP,
                MEASURE);

        // one client: no queueing, so the difference is what the function's hop and runtime cost per call
        LoadGenerator.Figures emptyOne = LoadGenerator.Figures.measure("empty gateway route, 1 client",
                URI.create("http://127.0.0.1:" + port(toEmpty) + path), null, 1, WARM_UP, MEASURE);
        LoadGenerator.Figures warmOne = LoadGenerator.Figures.measure("function through the gateway (warm), 1 client",
                throughGateway, null, 1, WARM_UP, MEASURE);

        String report = report(cold, emptyRoute, warm, direct, emptyOne, warmOne);
        Path out = Path.of("bench-results", "functions.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        assertThat(cold).isNotEmpty();
        assertThat(warm.errors()).isZero();
        assertThat(emptyRoute.errors()).isZero();
        assertThat(direct.errors()).as("the direct reference path (it carries the service credential)").isZero();
    }

    /** First calls after the app scaled to zero: latency in ns of those serverless reports as cold. */
    private static List<Long> coldStarts(URI uri) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build();
        List<Long> samples = new ArrayList<>();
        // one warm-up call: the first ever also loads the app's definition and compiles the engine's code paths
        client.send(request, HttpResponse.BodyHandlers.discarding());
        for (int i = 0; i < COLD_SAMPLES; i++) {
            // wait out the idle timeout: the app's instance is closed (scale to zero)
            await().pollDelay(IDLE.plus(REAP.multipliedBy(4))).atMost(Duration.ofSeconds(10)).until(() -> true);
            long t0 = System.nanoTime();
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            long t = System.nanoTime() - t0;
            if (response.statusCode() == 200
                    && response.headers().firstValue("x-cirrus-cold-start").orElse("").equals("true")) {
                samples.add(t);
            }
        }
        return samples;
    }

    private static String report(List<Long> cold, LoadGenerator.Figures emptyRoute, LoadGenerator.Figures warm,
                                 LoadGenerator.Figures direct, LoadGenerator.Figures emptyOne,
                                 LoadGenerator.Figures warmOne) {
        long[] sorted = cold.stream().mapToLong(Long::longValue).sorted().toArray();
        double coldP50 = LoadGenerator.percentile(sorted, 50) / 1e6;
        double coldP99 = LoadGenerator.percentile(sorted, 99) / 1e6;
        StringBuilder s = new StringBuilder("# Functions through the gateway: a trivial HTTP function\n\n");
        s.append("Run ").append(Instant.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, everything on this machine. serverless from its jar (child process, idle timeout ")
                .append(IDLE.toMillis()).append(" ms); two gateways in the benchmark's JVM (Functions route to ")
                .append("serverless, and to an empty backend); the load generator in a JVM of its own ")
                .append("(bench/LoadGenerator, java.net.http, HTTP/1.1 keep-alive). Function: ")
                .append("`module.exports = async function (context, req) { context.res = { status: 200, body: 'ok' }; }`, ")
                .append("authLevel anonymous, GET /functions/bench-fn/api/ping.\n\n");
        s.append("Command (repository root, JAVA_HOME a JDK 21+): `mvn -B -q install -pl gateway -Pbench` ")
                .append("(knobs: -Dbench.warmup-seconds, -Dbench.measure-seconds, -Dbench.cold-samples, ")
                .append("-Dbench.functions.concurrency)\n\n");
        s.append(String.format(Locale.ROOT, "## Cold start (first call after scale to zero), %d samples%n%n"
                        + "p50 **%.2f ms**, p99 %.2f ms (target p50 ≤ 150 ms). %d of %d calls after the idle timeout "
                        + "were cold.%n%n", sorted.length, coldP50, coldP99, sorted.length, COLD_SAMPLES));
        s.append(String.format(Locale.ROOT, "## Warm, %d concurrent clients, %d s warm-up then %d s measured per "
                + "path, one after the other%n%n", CONCURRENCY, WARM_UP.toSeconds(), MEASURE.toSeconds()));
        s.append("| path | requests | requests/s | p50 (ms) | p99 (ms) | errors |\n|---|---|---|---|---|---|\n");
        for (LoadGenerator.Figures f : List.of(emptyRoute, warm, direct)) {
            s.append(f.row());
        }
        s.append(String.format(Locale.ROOT, "%nFunction through the gateway / empty gateway route: **%.0f%%** of the "
                        + "throughput; the function adds **%.2f ms** at p50 (target ≤ 2 ms) and %.2f ms at p99.%n",
                100 * warm.perSecond() / emptyRoute.perSecond(), warm.p50Millis() - emptyRoute.p50Millis(),
                warm.p99Millis() - emptyRoute.p99Millis()));
        s.append(String.format(Locale.ROOT, "%n## One client (no queueing), same paths%n%n"
                + "| path | requests | requests/s | p50 (ms) | p99 (ms) | errors |%n|---|---|---|---|---|---|%n"));
        s.append(emptyOne.row()).append(warmOne.row());
        s.append(String.format(Locale.ROOT, "%nWith one client the function (serverless's hop and the JavaScript "
                        + "runtime) adds **%.2f ms** at p50 over the empty gateway route (target ≤ 2 ms), %.2f ms at p99.%n",
                warmOne.p50Millis() - emptyOne.p50Millis(), warmOne.p99Millis() - emptyOne.p99Millis()));
        return s.toString();
    }
}
