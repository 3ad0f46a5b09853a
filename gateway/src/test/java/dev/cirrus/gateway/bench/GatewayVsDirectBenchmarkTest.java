package dev.cirrus.gateway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.ChildService;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import dev.cirrus.testkit.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * GET of one VM, through the gateway (plain HTTP port; authentication, RBAC and throttling on, throttling limits
 * raised for the run) and sent directly to compute-vm, in the same run, with the same client: requests/s, p50 and
 * p99. compute-vm and placement-engine run from their jars as child processes. Not part of the test suite (tag
 * {@code bench}); run with {@code mvn -B -q install -pl gateway -Pbench}. Figures go to
 * {@code gateway/bench-results/gateway-vs-direct.md}.
 */
@Tag("bench")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayVsDirectBenchmarkTest {

    static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 8);
    static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.warmup-seconds", 10));
    static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.measure-seconds", 20));
    static final String V = "?api-version=2024-07-01";

    static final int computeVmPort = FakeService.freePort();
    static final int placementHttpPort = FakeService.freePort();
    static final int placementGrpcPort = FakeService.freePort();
    static ChildService placement;
    static ChildService computeVm;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_bench");
        registry.add("cirrus.gateway.services.compute-vm", () -> "http://127.0.0.1:" + computeVmPort);
        registry.add("cirrus.gateway.throttling.reads.capacity", () -> "100000000");
        registry.add("cirrus.gateway.throttling.reads.refill-per-second", () -> "1000000");
        registry.add("logging.level.root", () -> "WARN");
    }

    @BeforeAll
    static void startComputeVm() {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        placement = ChildService.launch("placement-engine", placementHttpPort,
                "--spring.datasource.url=" + pg.newDatabase("bench_placement"),
                "--spring.datasource.username=" + pg.username(), "--spring.datasource.password=" + pg.password(),
                "--cirrus.kafka.bootstrap-servers=", "--cirrus.placement.grpc-port=" + placementGrpcPort,
                "--logging.level.root=WARN");
        computeVm = ChildService.launch("compute-vm", computeVmPort,
                "--spring.datasource.url=" + pg.newDatabase("bench_compute_vm"),
                "--spring.datasource.username=" + pg.username(), "--spring.datasource.password=" + pg.password(),
                "--cirrus.kafka.bootstrap-servers=", "--cirrus.placement.target=127.0.0.1:" + placementGrpcPort,
                "--cirrus.vm.timings.provisioning=200ms", "--logging.level.root=WARN");
        placement.awaitReady();
        computeVm.awaitReady();
    }

    @AfterAll
    static void stop() {
        if (computeVm != null) {
            computeVm.close();
        }
        if (placement != null) {
            placement.close();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    @Test
    void gatewayVersusDirect() throws Exception {
        Gateway admin = Gateway.admin(port, data);
        String sub = admin.newSubscription();
        assertThat(admin.put("/subscriptions/" + sub + "/resourceGroups/bench" + V, "{\"location\":\"eastus\"}")
                .statusCode()).isEqualTo(201);
        String vm = "/subscriptions/" + sub + "/resourceGroups/bench/providers/Microsoft.Compute/virtualMachines/bench-vm";
        HttpResponse<String> created = admin.put(vm + V, "{\"location\":\"eastus\",\"properties\":{"
                + "\"hardwareProfile\":{\"vmSize\":\"Standard_B2s\"},\"storageProfile\":{\"imageReference\":{"
                + "\"publisher\":\"Canonical\",\"offer\":\"0001-com-ubuntu-server-jammy\",\"sku\":\"22_04-lts-gen2\","
                + "\"version\":\"latest\"}},\"osProfile\":{\"computerName\":\"bench\",\"adminUsername\":\"azureuser\","
                + "\"adminPassword\":\"Cirrus-Passw0rd!\"},\"networkProfile\":{\"networkInterfaces\":[{\"id\":\"/subscriptions/"
                + sub + "/resourceGroups/bench/providers/Microsoft.Network/networkInterfaces/nic\"}]}}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).until(() -> admin.get(vm + V).body().contains("\"Succeeded\""));

        URI direct = URI.create("http://127.0.0.1:" + computeVmPort + vm + V);
        URI through = URI.create("http://127.0.0.1:" + port + vm + V);
        String token = "Bearer " + admin.token();

        // the load generator runs in a JVM of its own: it does not take CPU or GC time from the gateway
        LoadGenerator.Figures d = LoadGenerator.Figures.measure("direct to compute-vm", direct, null, CONCURRENCY,
                WARM_UP, MEASURE);
        LoadGenerator.Figures g = LoadGenerator.Figures.measure("through the gateway", through, token, CONCURRENCY,
                WARM_UP, MEASURE);

        String report = report(d, g);
        Path out = Path.of("bench-results", "gateway-vs-direct.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        assertThat(d.errors()).isZero();
        assertThat(g.errors()).isZero();
    }

    private static String report(LoadGenerator.Figures d, LoadGenerator.Figures g) {
        StringBuilder s = new StringBuilder();
        s.append("# Gateway vs direct: GET of one VM\n\n");
        s.append("Run ").append(Instant.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores; ").append(CONCURRENCY).append(" concurrent clients (java.net.http, HTTP/1.1, keep-alive), ")
                .append(WARM_UP.toSeconds()).append(" s warm-up then ").append(MEASURE.toSeconds())
                .append(" s measured per path, one after the other. The load generator runs in a JVM of its own ")
                .append("(bench/LoadGenerator); the gateway runs in the test JVM; ")
                .append("compute-vm and placement-engine run from their jars as child processes, PostgreSQL beside them. ")
                .append("Gateway path: plain HTTP port, bearer token verified (RS256), RBAC from its cache, ")
                .append("throttling buckets on (limits raised), request ids, routing.\n\n");
        s.append("Command: `cd /work/main && JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -B -q install -pl gateway -Pbench`\n\n");
        s.append("| path | requests | requests/s | p50 (ms) | p99 (ms) | errors |\n|---|---|---|---|---|---|\n");
        for (LoadGenerator.Figures f : List.of(d, g)) {
            s.append(f.row());
        }
        s.append(String.format("%nGateway throughput / direct throughput: **%.0f%%** (target ≥ 50%%). "
                        + "Added latency at p50: **%.2f ms** (target ≤ 3 ms); at p99: %.2f ms.%n",
                100 * g.perSecond() / d.perSecond(), g.p50Millis() - d.p50Millis(), g.p99Millis() - d.p99Millis()));
        return s.toString();
    }
}
