package dev.cirrus.serverless.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.cirrus.serverless.runtime.AppCode;
import dev.cirrus.serverless.runtime.ExecutionLimits;
import dev.cirrus.serverless.runtime.FunctionInstance;
import dev.cirrus.serverless.runtime.InstancePool;
import dev.cirrus.serverless.runtime.Invocation;
import dev.cirrus.serverless.runtime.JavaScriptRuntime;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.SpringInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The serverless module's own benchmark (never part of the test suite; run with
 * {@code mvn -B -q test -pl serverless -Pbench}), writing {@code serverless/bench-results/cold-start.md}:
 * <ul>
 *   <li>the sandbox alone, in process: a cold start (a new GraalJS context with the app's code, plus its first
 *       invocation) and a warm invocation;</li>
 *   <li>over loopback HTTP straight to this service (not through the gateway: the gateway's benchmark measures that):
 *       the first call after scale to zero, warm calls one at a time, and requests/s with 32 concurrent clients,
 *       each next to the same figures for {@code /actuator/health/liveness} of the same server as the denominator.</li>
 * </ul>
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"cirrus.functions.idle-timeout=200ms", "cirrus.functions.reap-interval=20ms",
                "logging.level.root=WARN"})
class ColdStartBenchmark {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringInfrastructure.register(registry, "serverlessbench");
    }

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String CODE = "module.exports = async function (context, req) { return { body: 'hello' }; };";

    @LocalServerPort
    int port;
    @Autowired
    JavaScriptRuntime runtime;
    @Autowired
    InstancePool pool;

    final HttpClient http = ServiceCredentials.httpClient();

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void measure() throws Exception {
        StringBuilder report = new StringBuilder("# serverless: cold and warm starts\n\n");
        report.append("Run ").append(Instant.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, JDK ").append(Runtime.version()).append(", GraalJS in interpreter mode. Command: ")
                .append("`mvn -B -q test -pl serverless -Pbench`. All figures from this one run. Load average at the start: ")
                .append(loadAverage()).append(" (other builds share this machine; p99s are sensitive to it).\n\n");

        // 1. the sandbox alone
        AppCode code = new AppCode(Map.of("hello", new AppCode.FunctionCode("hello", Map.of("index.js", CODE), "index.js", null)));
        ExecutionLimits limits = new ExecutionLimits(Duration.ofSeconds(30), 1L << 30);
        ObjectNode bindings = JSON.createObjectNode();
        bindings.putObject("req").put("method", "GET");
        Invocation invocation = new Invocation("bench", "req", bindings, JSON.createObjectNode());
        for (int i = 0; i < 50; i++) {
            try (FunctionInstance instance = runtime.start(code)) {
                instance.invoke("hello", invocation, limits);
            }
        }
        long[] coldInProcess = new long[300];
        for (int i = 0; i < coldInProcess.length; i++) {
            long t0 = System.nanoTime();
            try (FunctionInstance instance = runtime.start(code)) {
                instance.invoke("hello", invocation, limits);
                coldInProcess[i] = System.nanoTime() - t0;
            }
        }
        long[] warmInProcess = new long[5000];
        try (FunctionInstance instance = runtime.start(code)) {
            for (int i = 0; i < 1000; i++) {
                instance.invoke("hello", invocation, limits);
            }
            for (int i = 0; i < warmInProcess.length; i++) {
                long t0 = System.nanoTime();
                instance.invoke("hello", invocation, limits);
                warmInProcess[i] = System.nanoTime() - t0;
            }
        }
        // an app with a 200 KB library: its parsed code is cached in the shared engine; a unique comment makes every
        // source new, which is what each cold start paid before the cache (a full parse)
        StringBuilder lib = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            lib.append("function helper").append(i).append("(a, b) { const x = [a, b, ").append(i)
                    .append("].map(v => v * 2).filter(v => v > 1); return x.reduce((s, v) => s + v, 0) + '").append(i).append("'.length; }\n");
        }
        lib.append("module.exports = { helper1: helper1 };\n");
        String index = "const lib = require('./lib'); module.exports = async function (context, req) { return { body: String(lib.helper1(1, 2)) }; };";
        long[] bigCached = new long[60];
        long[] bigFresh = new long[30];
        for (int i = -10; i < bigCached.length; i++) {
            AppCode big = new AppCode(Map.of("hello", new AppCode.FunctionCode("hello",
                    Map.of("index.js", index, "lib.js", lib.toString()), "index.js", null)));
            long t0 = System.nanoTime();
            try (FunctionInstance instance = runtime.start(big)) {
                assertThat(instance.invoke("hello", invocation, limits).status().isFailure()).isFalse();
            }
            if (i >= 0) {
                bigCached[i] = System.nanoTime() - t0;
            }
        }
        for (int i = 0; i < bigFresh.length; i++) {
            AppCode big = new AppCode(Map.of("hello", new AppCode.FunctionCode("hello",
                    Map.of("index.js", index, "lib.js", lib + "// build " + i + "\n"), "index.js", null)));
            long t0 = System.nanoTime();
            try (FunctionInstance instance = runtime.start(big)) {
                assertThat(instance.invoke("hello", invocation, limits).status().isFailure()).isFalse();
            }
            bigFresh[i] = System.nanoTime() - t0;
        }
        report.append("## The sandbox alone (in process)\n\n| measure | p50 | p90 | p99 |\n|---|---|---|---|\n");
        row(report, "cold start: new context + app code + first invocation (" + coldInProcess.length + ")", coldInProcess);
        row(report, "warm invocation (" + warmInProcess.length + ")", warmInProcess);
        row(report, "cold start of an app with a " + lib.length() / 1024 + " KB module, parsed code cached (" + bigCached.length + ")", bigCached);
        row(report, "the same, every source new: a full parse, as before the cache (" + bigFresh.length + ")", bigFresh);
        report.append(String.format("%nCaching parsed modules in the shared engine makes that cold start %.1f times faster at p50.%n",
                percentile(bigFresh, 50) / percentile(bigCached, 50)));

        // 2. over HTTP
        String sub = java.util.UUID.randomUUID().toString();
        String app = "bench-" + sub.substring(0, 8);
        String site = "/subscriptions/" + sub + "/resourceGroups/bench/providers/Microsoft.Web/sites/" + app;
        assertThat(send("PUT", site + "?api-version=2023-12-01", "{\"kind\":\"functionapp\",\"location\":\"westeurope\"}").statusCode()).isEqualTo(200);
        String function = JSON.writeValueAsString(Map.of("properties", Map.of(
                "config", JSON.readTree("{\"bindings\":[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\",\"authLevel\":\"anonymous\"},"
                        + "{\"type\":\"http\",\"direction\":\"out\",\"name\":\"$return\"}]}"),
                "files", Map.of("index.js", CODE))));
        assertThat(send("PUT", site + "/functions/hello?api-version=2023-12-01", function).statusCode()).isEqualTo(201);
        String appKey = site.toLowerCase(java.util.Locale.ROOT);
        String fn = "/functions/" + app + "/api/hello";
        String empty = "/actuator/health/liveness";
        for (int i = 0; i < 2000; i++) {
            send("GET", fn, null);
            send("GET", empty, null);
        }
        long[] coldHttp = new long[100];
        int coldSeen = 0;
        for (int i = 0; i < coldHttp.length; i++) {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> pool.instanceCount(appKey) == 0);
            long t0 = System.nanoTime();
            HttpResponse<String> response = send("GET", fn, null);
            coldHttp[i] = System.nanoTime() - t0;
            assertThat(response.statusCode()).isEqualTo(200);
            if (response.headers().firstValue("x-cirrus-cold-start").orElse("").equals("true")) {
                coldSeen++;
            }
        }
        long[] warmHttp = sequential(fn, 3000);
        long[] emptyHttp = sequential(empty, 3000);
        report.append("\n## Over loopback HTTP, straight to the service\n\n| measure | p50 | p90 | p99 |\n|---|---|---|---|\n");
        row(report, "first call after scale to zero (" + coldHttp.length + ", " + coldSeen + " reported cold)", coldHttp);
        row(report, "warm call, one client (" + warmHttp.length + ")", warmHttp);
        row(report, "empty route `" + empty + "`, one client (" + emptyHttp.length + ")", emptyHttp);
        report.append(String.format("\nCold start over HTTP: %.2f ms at p50 more than a warm call. The runtime adds %.3f ms at p50 "
                        + "over the empty route (warm, one client).%n",
                (percentile(coldHttp, 50) - percentile(warmHttp, 50)) / 1e6, (percentile(warmHttp, 50) - percentile(emptyHttp, 50)) / 1e6));

        double fnRps = throughput(fn, 32, Duration.ofSeconds(5));
        int settled = pool.instanceCount(appKey);
        double emptyRps = throughput(empty, 32, Duration.ofSeconds(5));
        report.append(String.format("%n| 32 concurrent clients, 5 s each | requests/s |%n|---|---|%n| trivial function | %.0f |%n"
                + "| empty route | %.0f |%n%nRatio function / empty route: %.2f. Instances the function app had at the end of its run: %d.%n",
                fnRps, emptyRps, fnRps / emptyRps, settled));

        report.append("\nLoad average at the end: ").append(loadAverage()).append(".\n");
        Path out = Path.of("bench-results", "cold-start.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        System.out.println(report);
    }

    long[] sequential(String path, int n) throws Exception {
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> response = send("GET", path, null);
            times[i] = System.nanoTime() - t0;
            assertThat(response.statusCode()).isEqualTo(200);
        }
        return times;
    }

    double throughput(String path, int clients, Duration duration) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
        for (int i = 0; i < clients; i++) {
            HttpClient client = ServiceCredentials.httpClient();
            threads.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    try {
                        if (client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                            done.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            }));
        }
        long t0 = System.nanoTime();
        Thread.sleep(duration.toMillis()); // the measuring window of a benchmark, not a wait for a condition
        stop.set(true);
        long elapsed = System.nanoTime() - t0;
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failed.get()).isZero();
        return done.get() / (elapsed / 1e9);
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    static void row(StringBuilder report, String label, long[] nanos) {
        report.append(String.format("| %s | %.3f ms | %.3f ms | %.3f ms |%n", label, percentile(nanos, 50) / 1e6,
                percentile(nanos, 90) / 1e6, percentile(nanos, 99) / 1e6));
    }

    static double percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
