package dev.cirrus.computevm.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.cirrus.computevm.PlacementEngineProcess;
import dev.cirrus.computevm.scaleset.ScaleSetTest;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.SpringInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
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
 * Scale sets at scale and the autoscale engine's cost, on the synthetic 10,000-host region {@code synth1}
 * (10 clusters × 20 racks × 50 hosts, as the placement engine's benchmark inventory: {@link #syntheticRegion}) with every simulated duration zero:
 * <ol>
 *   <li>a Uniform set (max spreading, no overprovisioning, {@code singlePlacementGroup} false) scaled from 0 to
 *       {@code bench.vmss.instances} (1,000) by one PATCH: time until the operation and every instance are
 *       Succeeded, placements per second, and the fault-domain skew (most − fewest instances per used domain);</li>
 *   <li>{@code bench.autoscale.settings} (1,000) enabled settings, each on its own set with five minutes of samples
 *       of two instances: the engine's rounds over all of them (rounds 2–4 timed), evaluations per second.</li>
 * </ol>
 * Targets: 1,000 instances Succeeded in ≤ 30 s with skew ≤ 1; ≥ 10,000 evaluations per second. Not part of the test
 * suite (tag {@code bench}): {@code mvn -B -pl compute-vm -am verify -Dcirrus.test.groups=bench
 * -Dcirrus.test.excludedGroups= -Dtest=ScaleSetBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false}; figures go to
 * {@code compute-vm/bench-results/scale-sets.md}.
 */
@Tag("bench")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cirrus.vm.timings.provisioning=0s", "cirrus.vm.timings.deletion=0s", "cirrus.vm.timings.start=0s",
        "cirrus.vm.timings.power-off=0s", "cirrus.vm.timings.deallocate=0s", "cirrus.vm.timings.restart=0s",
        "cirrus.vm.worker.threads=8", "cirrus.vm.worker.poll-interval=100ms", "cirrus.vmss.poll-interval=100ms",
        "cirrus.vm.quota.regional-vcpus=1000000",
        "cirrus.monitor.autoscale-interval=PT1H"})
class ScaleSetBenchmarkTest {

    static final int INSTANCES = Integer.getInteger("bench.vmss.instances", 1000);
    static final int SETTINGS = Integer.getInteger("bench.autoscale.settings", 1000);
    static final ObjectMapper JSON = JsonMapper.builder().build();
    static PlacementEngineProcess engine;
    static Path inventory;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
        SpringInfrastructure.register(registry, "compute_vm_bench");
        inventory = Files.createTempFile("synthetic-", ".yaml");
        Files.writeString(inventory, syntheticRegion());
        engine = PlacementEngineProcess.withInventory(inventory).start();
        registry.add("cirrus.placement.target", engine::target);
        registry.add("cirrus.vm.topology", () -> "file:" + inventory.toAbsolutePath());
    }

    /**
     * The inventory file of one region {@code synth1} of 10 clusters × 20 racks × 50 hosts of 64 vCPU and 256 GiB, in
     * the shape of the placement engine's {@code inventory/SyntheticTopology} (whose classes stay off this class path).
     */
    static String syntheticRegion() {
        StringBuilder out = new StringBuilder("regions:\n  - name: synth1\n    clusters:\n");
        for (int c = 1; c <= 10; c++) {
            out.append("      - name: s1-c%02d\n        racks:\n".formatted(c));
            for (int r = 1; r <= 20; r++) {
                out.append("          - name: s1-c%02d-r%02d\n            hosts:\n".formatted(c, r));
                for (int h = 1; h <= 50; h++) {
                    out.append("              - { name: s1-c%02d-r%02d-h%03d, vcpus: 64, memoryGib: 256 }\n"
                            .formatted(c, r, h));
                }
            }
        }
        return out.toString();
    }

    @AfterAll
    static void stopEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    AutoscaleWorker worker;

    private final HttpClient http = ServiceCredentials.httpClient(HttpClient.newHttpClient());

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path
                        + (path.contains("?") ? "&" : "?") + "api-version=2024-07-01"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String set(int capacity) {
        return ScaleSetTest.uniform("synth1", capacity,
                "\"overprovision\": false, \"singlePlacementGroup\": false, \"platformFaultDomainCount\": 1,");
    }

    @Test
    void scaleOutAThousandInstancesAndEvaluateAThousandSettings() throws Exception {
        String sub = UUID.randomUUID().toString();
        // warm-up: a small set created, scaled and deleted (JIT, connections, the engine's caches)
        String warm = ScaleSetTest.setPath(sub, "bench", "warm");
        assertThat(send("PUT", warm, set(20)).statusCode()).isEqualTo(201);
        awaitSucceeded(warm, 20);

        String path = ScaleSetTest.setPath(sub, "bench", "big");
        assertThat(send("PUT", path, set(0)).statusCode()).isEqualTo(201);
        awaitSucceeded(path, 0);
        long start = System.nanoTime();
        HttpResponse<String> patched = send("PATCH", path, "{\"sku\": {\"capacity\": " + INSTANCES + "}}");
        assertThat(patched.statusCode()).as(patched.body()).isBetween(200, 202);
        awaitSucceeded(path, INSTANCES);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<Integer, Integer> domains = new TreeMap<>();
        jdbc.query("select fault_domain, count(*) from virtual_machines where scale_set_key = ? group by fault_domain",
                rs -> {
                    domains.put(rs.getInt(1), rs.getInt(2));
                }, path.toLowerCase(Locale.ROOT));
        int skew = domains.values().stream().mapToInt(Integer::intValue).max().orElse(0)
                - domains.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        int clusters = jdbc.queryForObject("select count(distinct cluster) from virtual_machines where scale_set_key = ?",
                Integer.class, path.toLowerCase(Locale.ROOT));

        // the autoscale engine: SETTINGS settings on SETTINGS sets of capacity 2 with five minutes of samples each
        String autoscaleSub = UUID.randomUUID().toString();
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        List<Object[]> samples = new ArrayList<>();
        for (int i = 0; i < SETTINGS; i++) {
            String target = ScaleSetTest.setPath(autoscaleSub, "bench", "s" + i);
            assertThat(send("PUT", target, set(0)).statusCode()).isEqualTo(201);
            String body = AutoscaleTest.setting(target, 0, 3, 0, "http://127.0.0.1:9/unused")
                    .replace("\"location\": \"westeurope\"", "\"location\": \"synth1\"")
                    .replace("\"threshold\": 70", "\"threshold\": 95");
            HttpResponse<String> written = send("PUT", "/subscriptions/" + autoscaleSub
                    + "/resourceGroups/bench/providers/Microsoft.Insights/autoscalesettings/a" + i, body);
            assertThat(written.statusCode()).as(written.body()).isEqualTo(201);
            for (int m = 1; m <= 5; m++) {
                for (int vm = 0; vm < 2; vm++) {
                    samples.add(new Object[] {target.toLowerCase(Locale.ROOT) + "/virtualmachines/" + vm,
                            target.toLowerCase(Locale.ROOT), "s" + i + "_" + vm,
                            Timestamp.from(minute.minus(m, ChronoUnit.MINUTES)), 50.0, 0.0, 0.0, 1e9});
                }
            }
        }
        jdbc.batchUpdate("insert into metric_samples (resource_key, scale_set_key, display_name, minute, percent_cpu, "
                + "network_in_bytes, network_out_bytes, available_memory_bytes) values (?, ?, ?, ?, ?, ?, ?, ?)", samples);
        worker.evaluateAll(); // warm-up round
        long evalStart = System.nanoTime();
        int rounds = 3;
        for (int r = 0; r < rounds; r++) {
            worker.evaluateAll();
        }
        double evalSeconds = (System.nanoTime() - evalStart) / 1e9;
        double perSecond = rounds * SETTINGS / evalSeconds;

        String figures = String.format(Locale.ROOT, """
                # Scale sets and autoscale at scale (%s)

                Synthetic region `synth1`: 10,000 hosts (10 clusters × 20 racks × 50 hosts, 64 vCPU each), every simulated
                duration zero, compute-vm called directly (no gateway), the real placement engine in its own JVM, 2 cores.

                | figure | value | target |
                |---|---|---|
                | a Uniform set scaled 0 → %d by one PATCH: time until it and every instance are Succeeded | %.1f s | ≤ 30 s |
                | placements per second in that scale-out | %.0f | |
                | fault domains used / instances per domain (min–max) / skew | %d / %d–%d / %d | skew ≤ 1 |
                | clusters the set's instances are in | %d | 1 (one placement group… spread over racks) |
                | autoscale: %d enabled settings, each on its own set with 5 minutes of samples, %d rounds | %.2f s | |
                | autoscale evaluations per second | %.0f | ≥ 10,000 |

                Command: `mvn -B -pl compute-vm -am verify -Dcirrus.test.groups=bench -Dcirrus.test.excludedGroups=
                -Dtest=ScaleSetBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false`
                """, Instant.now().truncatedTo(ChronoUnit.SECONDS), INSTANCES, seconds, INSTANCES / seconds,
                domains.size(), domains.values().stream().mapToInt(Integer::intValue).min().orElse(0),
                domains.values().stream().mapToInt(Integer::intValue).max().orElse(0), skew, clusters, SETTINGS, rounds,
                evalSeconds, perSecond);
        Path out = Path.of("bench-results", "scale-sets.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, figures);
        System.out.println(figures);
    }

    private void awaitSucceeded(String path, int instances) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode set = JSON.readTree(send("GET", path, null).body());
            int succeeded = jdbc.queryForObject("select count(*) from virtual_machines where scale_set_key = ? "
                    + "and provisioning_state = 'Succeeded'", Integer.class, path.toLowerCase(Locale.ROOT));
            if ("Succeeded".equals(set.path("properties").path("provisioningState").asString())
                    && succeeded == instances) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(path + " did not reach " + instances + " Succeeded instances in 10 minutes");
    }
}
