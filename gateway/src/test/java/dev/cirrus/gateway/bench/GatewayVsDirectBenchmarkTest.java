package dev.cirrus.gateway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.cirrus.gateway.support.ChildService;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.testkit.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * GET of one VM, through the gateway (plain HTTP port; authentication, RBAC and throttling on, throttling limits
 * raised for the run) and sent directly to compute-vm, in the same run, with the same client: requests/s, p50 and
 * p99, and the CPU time per request of every process involved (the figure that survives a loaded machine).
 *
 * <p>Fair to both paths: the gateway and compute-vm run from their executable jars as child processes with the same
 * JVM options ({@code bench.jvm-options}), the load generator in a JVM of its own; after a warm-up of each path the
 * two are measured in alternating rounds (the order swapped every round), so that drift on a shared machine hits both.
 * placement-engine runs from its jar too (compute-vm needs it to create the VM). Not part of the test suite (tag
 * {@code bench}); run with {@code mvn -B -q install -pl gateway -Pbench}. Figures go to
 * {@code gateway/bench-results/gateway-vs-direct.md}.
 */
@Tag("bench")
class GatewayVsDirectBenchmarkTest {

    static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 8);
    /**
     * Load on each path before anything is measured (JIT, connection pools, caches). A minute: on 2 busy cores the
     * gateway's C2 compiler threads still took a third of its CPU in rounds after a 20 s warm-up, under 2 % after 60 s.
     */
    static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.warmup-seconds", 60));
    static final int ROUNDS = Integer.getInteger("bench.rounds", 4);
    /** One measured period of one path. */
    static final Duration ROUND = Duration.ofSeconds(Long.getLong("bench.round-seconds", 5));
    /** The JVM options of the gateway AND of compute-vm: server-like (full tiered JIT), a modest heap. */
    static final String JVM_OPTIONS = System.getProperty("bench.jvm-options", "-Xmx256m -XX:+UseSerialGC").strip();
    /** Records a JFR profile of the gateway and compute-vm into target/*.jfr (profiling runs only: it costs CPU). */
    static final boolean JFR = Boolean.getBoolean("bench.jfr");
    static final String V = "?api-version=2024-07-01";

    static final int computeVmPort = FakeService.freePort();
    static final int gatewayPort = FakeService.freePort();
    static final int placementHttpPort = FakeService.freePort();
    static final int placementGrpcPort = FakeService.freePort();
    static ChildService placement;
    static ChildService computeVm;
    static ChildService gateway;
    static Path gatewayData;
    static ProcessHandle postgres;

    @BeforeAll
    static void start() throws IOException {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        gatewayData = Files.createTempDirectory("gateway-bench-data");
        postgres = postmaster(pg);
        // not measured: started as the other tests start it (C1 only, quick to start)
        placement = ChildService.launch("placement-engine", List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"),
                placementHttpPort,
                "--spring.datasource.url=" + pg.newDatabase("bench_placement"),
                "--spring.datasource.username=" + pg.username(), "--spring.datasource.password=" + pg.password(),
                "--cirrus.kafka.bootstrap-servers=", "--cirrus.placement.grpc-port=" + placementGrpcPort,
                "--logging.level.root=WARN");
        computeVm = ChildService.launch("compute-vm", jvmOptions("compute-vm"), computeVmPort,
                "--spring.datasource.url=" + pg.newDatabase("bench_compute_vm"),
                "--spring.datasource.username=" + pg.username(), "--spring.datasource.password=" + pg.password(),
                "--cirrus.kafka.bootstrap-servers=", "--cirrus.placement.target=127.0.0.1:" + placementGrpcPort,
                "--cirrus.vm.timings.provisioning=200ms", "--logging.level.root=WARN");
        gateway = ChildService.launch("gateway", jvmOptions("gateway"), gatewayPort,
                "--spring.datasource.url=" + pg.newDatabase("bench_gateway"),
                "--spring.datasource.username=" + pg.username(), "--spring.datasource.password=" + pg.password(),
                "--cirrus.kafka.bootstrap-servers=", "--cirrus.gateway.data-dir=" + gatewayData,
                "--cirrus.gateway.https-port=0",
                "--cirrus.gateway.services.compute-vm=http://127.0.0.1:" + computeVmPort,
                // the operator API's placement engine (unused here; where the gateway has that API)
                "--cirrus.placement.target=127.0.0.1:" + placementGrpcPort,
                "--cirrus.gateway.throttling.reads.capacity=100000000",
                "--cirrus.gateway.throttling.reads.refill-per-second=1000000",
                "--logging.level.root=WARN");
        placement.awaitReady(Duration.ofSeconds(240));
        computeVm.awaitReady(Duration.ofSeconds(240));
        gateway.awaitReady(Duration.ofSeconds(240));
    }

    static List<String> jvmOptions(String module) {
        List<String> options = new ArrayList<>(Arrays.asList(JVM_OPTIONS.split("\\s+")));
        if (JFR) {
            options.add("-XX:StartFlightRecording=settings=profile,method-profiling=max,dumponexit=true,filename="
                    + Path.of("target", module + "-bench.jfr").toAbsolutePath());
        }
        return options;
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable service : new AutoCloseable[] {gateway, computeVm, placement}) {
            if (service != null) {
                try {
                    service.close();
                } catch (Exception e) {
                    // the next one still stops
                }
            }
        }
    }

    @Test
    void gatewayVersusDirect() throws Exception {
        JsonNode credentials = Gateway.JSON.readTree(Files.readString(gatewayData.resolve("credentials.json")));
        Gateway admin = Gateway.as(gatewayPort, credentials.path("tenantId").asString(),
                credentials.path("clientId").asString(), credentials.path("clientSecret").asString());
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

        String loadBefore = loadAverage();
        Instant started = Instant.now();
        List<Measured> paths = List.of(
                new Measured("direct to compute-vm", "http://127.0.0.1:" + computeVmPort + vm + V, null),
                new Measured("through the gateway", "http://127.0.0.1:" + gatewayPort + vm + V, "Bearer " + admin.token()));
        try (LoadGeneratorProcess load = LoadGeneratorProcess.start(CONCURRENCY, paths)) {
            for (int i = 0; i < paths.size(); i++) {
                load.command("warm " + i + " " + WARM_UP.toSeconds());
            }
            for (int round = 0; round < ROUNDS; round++) {
                for (int k = 0; k < paths.size(); k++) {
                    int i = round % 2 == 0 ? k : paths.size() - 1 - k; // the order swapped every round
                    Map<String, Long> before = cpu(load);
                    String[] answer = load.command("run " + i + " " + ROUND.toSeconds()).split(" ");
                    Map<String, Long> after = cpu(load);
                    paths.get(i).add(Long.parseLong(answer[0]), before, after);
                }
            }
            for (int i = 0; i < paths.size(); i++) {
                String[] f = load.command("summary " + i).split(" ");
                paths.get(i).summary(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                        Long.parseLong(f[3]), Long.parseLong(f[4]));
            }
        }
        String report = report(started, loadBefore, loadAverage(), paths.get(0), paths.get(1));
        java.nio.file.Path out = Path.of("bench-results", "gateway-vs-direct.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        assertThat(paths.get(0).errors).isZero();
        assertThat(paths.get(1).errors).isZero();
    }

    static final List<String> PROCESSES = List.of("gateway", "compute-vm", "load generator", "PostgreSQL");

    /** CPU time so far (ns) of each process; PostgreSQL: its server's processes, when it runs on this machine. */
    private static Map<String, Long> cpu(LoadGeneratorProcess load) {
        Map<String, Long> cpu = new HashMap<>();
        cpu.put("gateway", gateway.cpuNanos());
        cpu.put("compute-vm", computeVm.cpuNanos());
        cpu.put("gateway JIT", jitNanos(gateway.pid()));
        cpu.put("compute-vm JIT", jitNanos(computeVm.pid()));
        cpu.put("load generator", ChildService.cpuNanos(load.process.toHandle()));
        if (postgres != null) {
            Stream.concat(Stream.of(postgres), postgres.children())
                    .forEach(p -> p.info().totalCpuDuration().ifPresent(
                            d -> cpu.put("postgres " + p.pid(), d.toNanos())));
        }
        return cpu;
    }

    /**
     * CPU time so far (ns) of a JVM's JIT compiler threads ({@code C1/C2 CompilerThread*}, from
     * {@code /proc/<pid>/task/<tid>/stat}, in clock ticks of 10 ms): compilation still going on during the measured
     * rounds is not the cost of a request; 0 where /proc cannot be read.
     */
    private static long jitNanos(long pid) {
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
                    }
                } catch (IOException | RuntimeException e) {
                    // a compiler thread that ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks * 10_000_000L;
    }

    /**
     * The PostgreSQL server of this run (its postmaster, whose children are the backends), found by the port of its
     * JDBC URL; null when it is not a process of this machine that this user can see.
     */
    private static ProcessHandle postmaster(TestInfrastructure.PostgresEndpoint pg) {
        java.util.regex.Matcher port = java.util.regex.Pattern.compile("//[^/:]+:(\\d+)/").matcher(pg.adminUrl());
        if (!port.find()) {
            return null;
        }
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains("-p " + port.group(1)))
                        .orElse(false))
                .findFirst().orElse(null);
    }

    /** One path measured: its load generator summary, and the CPU time each process spent while it was loaded. */
    static final class Measured {
        final String name;
        final String url;
        final String authorization;
        final Map<String, Long> cpuNanos = new HashMap<>();
        long roundRequests;
        boolean postgresSeen;
        long requests;
        long nanos;
        long p50;
        long p99;
        long errors;

        Measured(String name, String url, String authorization) {
            this.name = name;
            this.url = url;
            this.authorization = authorization;
        }

        void add(long requestsOfRound, Map<String, Long> before, Map<String, Long> after) {
            roundRequests += requestsOfRound;
            after.forEach((process, t) -> {
                String key = process.startsWith("postgres ") ? "PostgreSQL" : process;
                postgresSeen |= key.equals("PostgreSQL");
                cpuNanos.merge(key, t - before.getOrDefault(process, 0L), Long::sum);
            });
        }

        void summary(long requests, long nanos, long p50, long p99, long errors) {
            this.requests = requests;
            this.nanos = nanos;
            this.p50 = p50;
            this.p99 = p99;
            this.errors = errors;
        }

        double perSecond() {
            return requests / (nanos / 1e9);
        }

        double p50Millis() {
            return p50 / 1e6;
        }

        double p99Millis() {
            return p99 / 1e6;
        }

        /** CPU microseconds per request of a process, or NaN when it was not measured. */
        double cpuMicrosPerRequest(String process) {
            Long ns = cpuNanos.get(process);
            return ns == null || requests == 0 ? Double.NaN : ns / 1e3 / requests;
        }
    }

    /** The load generator in a JVM of its own, in serve mode: it measures what the test asks, when it asks. */
    static final class LoadGeneratorProcess implements AutoCloseable {
        final Process process;
        final PrintWriter commands;
        final BufferedReader answers;

        private LoadGeneratorProcess(Process process) {
            this.process = process;
            this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static LoadGeneratorProcess start(int concurrency, List<Measured> paths) throws IOException {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx256m", "-XX:+UseSerialGC", "-cp", Path.of("target", "test-classes").toString(),
                    LoadGenerator.class.getName(), "--serve", Integer.toString(concurrency)));
            paths.forEach(p -> command.add(p.url));
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
            for (int i = 0; i < paths.size(); i++) {
                if (paths.get(i).authorization != null) {
                    builder.environment().put("LOADGEN_AUTHORIZATION_" + i, paths.get(i).authorization);
                }
            }
            return new LoadGeneratorProcess(builder.start());
        }

        String command(String line) throws IOException {
            commands.println(line);
            String answer = answers.readLine();
            if (answer == null) {
                throw new IllegalStateException("the load generator stopped (exit " + (process.isAlive() ? "none yet" : process.exitValue()) + ")");
            }
            return answer.strip();
        }

        @Override
        public void close() throws Exception {
            commands.close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String report(Instant started, String loadBefore, String loadAfter, Measured d, Measured g) {
        StringBuilder s = new StringBuilder();
        s.append("# Gateway vs direct: GET of one VM\n\n");
        s.append("Run ").append(started).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, load average (1, 5, 15 min) ").append(loadBefore).append(" before and ")
                .append(loadAfter).append(" after the measured rounds. ")
                .append(CONCURRENCY).append(" concurrent clients (java.net.http, HTTP/1.1, keep-alive). ")
                .append("Each path warmed up ").append(WARM_UP.toSeconds()).append(" s, then ").append(ROUNDS)
                .append(" alternating rounds of ").append(ROUND.toSeconds())
                .append(" s per path (order swapped every round); the figures are over all rounds.\n\n");
        s.append("The gateway and compute-vm run from their executable jars as child processes with the same JVM ")
                .append("options: `").append(JVM_OPTIONS).append("`").append(JFR ? " (and a JFR recording)" : "")
                .append("; the load generator (bench/LoadGenerator) in a JVM of its own; placement-engine from its ")
                .append("jar, PostgreSQL beside them. Gateway path: plain HTTP port, bearer token verified (RS256), ")
                .append("RBAC from its cache, throttling buckets on (limits raised), request ids, routing.\n\n");
        s.append("Command: `cd /work/main && JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -B -q install -pl gateway -Pbench`\n\n");
        s.append("| path | requests | requests/s | p50 (ms) | p99 (ms) | errors |\n|---|---|---|---|---|---|\n");
        for (Measured p : List.of(d, g)) {
            s.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f | %d |%n", p.name, p.requests,
                    p.perSecond(), p.p50Millis(), p.p99Millis(), p.errors));
        }
        s.append(String.format(Locale.ROOT, "%nGateway throughput / direct throughput: **%.0f%%** (target ≥ 50%%). "
                        + "Added latency at p50: **%.2f ms** (target ≤ 3 ms); at p99: %.2f ms.%n",
                100 * g.perSecond() / d.perSecond(), g.p50Millis() - d.p50Millis(), g.p99Millis() - d.p99Millis()));
        s.append("\nCPU time per request (µs; each process's user + system time while the path was loaded, over its ")
                .append("requests):\n\n| path |");
        List<String> processes = PROCESSES.stream().filter(p -> !p.equals("PostgreSQL") || d.postgresSeen).toList();
        processes.forEach(p -> s.append(' ').append(p).append(" |"));
        s.append(" all |\n|---|");
        processes.forEach(p -> s.append("---|"));
        s.append("---|\n");
        for (Measured p : List.of(d, g)) {
            s.append("| ").append(p.name).append(" |");
            double all = 0;
            for (String process : processes) {
                double us = p.cpuMicrosPerRequest(process);
                all += us;
                s.append(String.format(Locale.ROOT, " %.0f |", us));
            }
            s.append(String.format(Locale.ROOT, " %.0f |%n", all));
        }
        s.append(String.format(Locale.ROOT, "%nOf which the JIT compiler threads (compilation still under way "
                        + "during the rounds): gateway %.0f µs per request through the gateway, compute-vm %.0f "
                        + "(direct) and %.0f (through the gateway).%n",
                g.cpuMicrosPerRequest("gateway JIT"), d.cpuMicrosPerRequest("compute-vm JIT"),
                g.cpuMicrosPerRequest("compute-vm JIT")));
        s.append(String.format(Locale.ROOT, "%nThe gateway's CPU per request is %.2f× compute-vm's (through the "
                        + "gateway; %.2f× without their JIT threads). The gateway's figure on the direct path is its "
                        + "idle background work.%n",
                g.cpuMicrosPerRequest("gateway") / g.cpuMicrosPerRequest("compute-vm"),
                (g.cpuMicrosPerRequest("gateway") - g.cpuMicrosPerRequest("gateway JIT"))
                        / (g.cpuMicrosPerRequest("compute-vm") - g.cpuMicrosPerRequest("compute-vm JIT"))));
        return s.toString();
    }
}
