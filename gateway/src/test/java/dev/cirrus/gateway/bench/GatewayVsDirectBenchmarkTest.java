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
import dev.cirrus.testkit.ServiceCredentials;
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
 * two are measured in alternating rounds (the order swapped every round), so that drift on a shared machine hits both,
 * at each of several numbers of clients ({@link #LEVELS}).
 * placement-engine runs from its jar too (compute-vm needs it to create the VM). Not part of the test suite (tag
 * {@code bench}); run with {@code mvn -B -q install -pl gateway -Pbench}. Figures go to
 * {@code gateway/bench-results/gateway-vs-direct.md}.
 */
@Tag("bench")
class GatewayVsDirectBenchmarkTest {

    /**
     * The numbers of concurrent clients each path is measured with. A path's throughput is its peak over these (a
     * closed loop of few clients leaves a slower path short of what it can serve: every process here spends less CPU
     * per request when more requests wait, fewer sleeps and wake-ups per request, and the path with one more process
     * gains more from that; the figures file's CPU table shows it level by level); its added latency is read with
     * {@link #LATENCY_CLIENTS} clients.
     */
    static final List<Integer> LEVELS = Arrays.stream(System.getProperty("bench.clients", "1,8,32,64").split(","))
            .map(String::strip).map(Integer::valueOf).toList();
    /** The level at which the added latency is judged: the machine busy, neither path queueing much yet. */
    static final int LATENCY_CLIENTS = Integer.getInteger("bench.latency-clients", 8);
    /** Load on each path at a new level before its rounds (connections opened, pools grown). */
    static final Duration SETTLE = Duration.ofSeconds(5);
    /**
     * Load on each path before anything is measured (JIT, connection pools, caches). A minute: on 2 busy cores the
     * gateway's C2 compiler threads still took a third of its CPU in rounds after a 20 s warm-up, under 2 % after 60 s.
     */
    static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.warmup-seconds", 60));
    static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
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
        String network = "/subscriptions/" + sub + "/resourceGroups/bench/providers/Microsoft.Network/";
        assertThat(admin.put(network + "virtualNetworks/vnet" + V, "{\"location\":\"eastus\",\"properties\":{"
                + "\"addressSpace\":{\"addressPrefixes\":[\"10.0.0.0/16\"]},\"subnets\":[{\"name\":\"default\","
                + "\"properties\":{\"addressPrefix\":\"10.0.0.0/24\"}}]}}").statusCode()).isEqualTo(201);
        assertThat(admin.put(network + "networkInterfaces/nic" + V, "{\"location\":\"eastus\",\"properties\":{"
                + "\"ipConfigurations\":[{\"name\":\"ipconfig1\",\"properties\":{\"subnet\":{\"id\":\"" + network
                + "virtualNetworks/vnet/subnets/default\"}}}]}}").statusCode()).isEqualTo(201);
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
        List<String> names = List.of("direct to compute-vm", "through the gateway");
        List<String> urls = List.of("http://127.0.0.1:" + computeVmPort + vm + V, "http://127.0.0.1:" + gatewayPort + vm + V);
        List<String> authorizations = Arrays.asList(null, "Bearer " + admin.token());
        Map<Integer, List<Measured>> byLevel = new java.util.LinkedHashMap<>();
        try (LoadGeneratorProcess load = LoadGeneratorProcess.start(urls, authorizations)) {
            for (int i = 0; i < urls.size(); i++) {
                load.command("warm " + i + " " + WARM_UP.toSeconds() + " " + LATENCY_CLIENTS);
            }
            for (int clients : LEVELS) {
                List<Measured> paths = List.of(new Measured(names.get(0), clients), new Measured(names.get(1), clients));
                byLevel.put(clients, paths);
                for (int i = 0; i < urls.size(); i++) {
                    load.command("warm " + i + " " + SETTLE.toSeconds() + " " + clients);
                }
                for (int round = 0; round < ROUNDS; round++) {
                    for (int k = 0; k < paths.size(); k++) {
                        int i = round % 2 == 0 ? k : paths.size() - 1 - k; // the order swapped every round
                        Map<String, Long> before = cpu(load);
                        String[] answer = load.command("run " + i + " " + ROUND.toSeconds() + " " + clients).split(" ");
                        Map<String, Long> after = cpu(load);
                        paths.get(i).add(Long.parseLong(answer[0]), before, after);
                    }
                }
                for (int i = 0; i < paths.size(); i++) {
                    String[] f = load.command("summary " + i + " " + clients).split(" ");
                    paths.get(i).summary(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                            Long.parseLong(f[3]), Long.parseLong(f[4]));
                }
            }
        }
        String report = report(started, loadBefore, loadAverage(), byLevel);
        java.nio.file.Path out = Path.of("bench-results", "gateway-vs-direct.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        byLevel.values().stream().flatMap(List::stream).forEach(p -> assertThat(p.errors).as(p.name).isZero());
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
        final int clients;
        final Map<String, Long> cpuNanos = new HashMap<>();
        long roundRequests;
        boolean postgresSeen;
        long requests;
        long nanos;
        long p50;
        long p99;
        long errors;

        Measured(String name, int clients) {
            this.name = name;
            this.clients = clients;
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

        static LoadGeneratorProcess start(List<String> urls, List<String> authorizations) throws IOException {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx256m", "-XX:+UseSerialGC", "-cp", Path.of("target", "test-classes").toString(),
                    LoadGenerator.class.getName(), "--serve"));
            command.addAll(urls);
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
            for (int i = 0; i < urls.size(); i++) {
                if (authorizations.get(i) != null) {
                    builder.environment().put("LOADGEN_AUTHORIZATION_" + i, authorizations.get(i));
                } else {
                    // the direct path carries the platform's service credential, as the gateway's calls do
                    builder.environment().put("LOADGEN_SERVICE_CREDENTIAL_" + i, ServiceCredentials.value());
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

    private static String report(Instant started, String loadBefore, String loadAfter,
                                 Map<Integer, List<Measured>> byLevel) {
        StringBuilder s = new StringBuilder();
        s.append("# Gateway vs direct: GET of one VM\n\n");
        s.append("Run ").append(started).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, load average (1, 5, 15 min) ").append(loadBefore).append(" before and ")
                .append(loadAfter).append(" after the measured rounds. Closed-loop clients (java.net.http, HTTP/1.1, ")
                .append("keep-alive), ").append(LEVELS.stream().map(String::valueOf).collect(
                        java.util.stream.Collectors.joining(", "))).append(" of them in turn. Each path warmed up ")
                .append(WARM_UP.toSeconds()).append(" s, and ").append(SETTLE.toSeconds())
                .append(" s more at each number of clients; then ").append(ROUNDS).append(" alternating rounds of ")
                .append(ROUND.toSeconds()).append(" s per path (order swapped every round); the figures are over all ")
                .append("rounds.\n\n");
        s.append("The gateway and compute-vm run from their executable jars as child processes with the same JVM ")
                .append("options: `").append(JVM_OPTIONS).append("`").append(JFR ? " (and a JFR recording)" : "")
                .append("; the load generator (bench/LoadGenerator) in a JVM of its own; placement-engine from its ")
                .append("jar, PostgreSQL beside them; all on the same cores. Gateway path: plain HTTP port, bearer ")
                .append("token verified (RS256), RBAC from its cache, throttling buckets on (limits raised), request ")
                .append("ids, routing.\n\n");
        s.append("Command (repository root, JAVA_HOME a JDK 21+): `mvn -B -q install -pl gateway -Pbench`\n\n");
        s.append("| clients | path | requests | requests/s | p50 (ms) | p99 (ms) | errors | gateway / direct |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (List<Measured> level : byLevel.values()) {
            Measured d = level.get(0);
            Measured g = level.get(1);
            for (Measured p : level) {
                s.append(String.format(Locale.ROOT, "| %d | %s | %d | %.0f | %.2f | %.2f | %d | %s |%n", p.clients,
                        p.name, p.requests, p.perSecond(), p.p50Millis(), p.p99Millis(), p.errors, p == g
                                ? String.format(Locale.ROOT, "%.0f %% of the requests/s, p50 +%.2f ms",
                                100 * g.perSecond() / d.perSecond(), g.p50Millis() - d.p50Millis()) : ""));
            }
        }
        Measured peakDirect = byLevel.values().stream().map(l -> l.get(0))
                .max(java.util.Comparator.comparingDouble(Measured::perSecond)).orElseThrow();
        Measured peakGateway = byLevel.values().stream().map(l -> l.get(1))
                .max(java.util.Comparator.comparingDouble(Measured::perSecond)).orElseThrow();
        List<Measured> latency = byLevel.get(LATENCY_CLIENTS);
        s.append(String.format(Locale.ROOT, "%nThroughput, each path's peak: direct %.0f requests/s (%d clients), "
                        + "through the gateway %.0f (%d clients): **%.0f %%** (target ≥ 50 %%).%n",
                peakDirect.perSecond(), peakDirect.clients, peakGateway.perSecond(), peakGateway.clients,
                100 * peakGateway.perSecond() / peakDirect.perSecond()));
        if (latency != null) {
            s.append(String.format(Locale.ROOT, "Added latency with %d clients: **+%.2f ms at p50** (target ≤ 3 ms), "
                            + "+%.2f ms at p99.%n", LATENCY_CLIENTS,
                    latency.get(1).p50Millis() - latency.get(0).p50Millis(),
                    latency.get(1).p99Millis() - latency.get(0).p99Millis()));
        }
        s.append("\nCPU time per request (µs; each process's user + system time while the path was loaded, over its ")
                .append("requests; JIT: the gateway's compiler threads, included in its figure):\n\n| clients | path |");
        List<String> processes = PROCESSES.stream()
                .filter(p -> !p.equals("PostgreSQL") || byLevel.values().iterator().next().get(0).postgresSeen).toList();
        processes.forEach(p -> s.append(' ').append(p).append(" |"));
        s.append(" all | gateway JIT |\n|---|---|");
        processes.forEach(p -> s.append("---|"));
        s.append("---|---|\n");
        for (List<Measured> level : byLevel.values()) {
            for (Measured p : level) {
                s.append("| ").append(p.clients).append(" | ").append(p.name).append(" |");
                double all = 0;
                for (String process : processes) {
                    double us = p.cpuMicrosPerRequest(process);
                    all += us;
                    s.append(String.format(Locale.ROOT, " %.0f |", us));
                }
                s.append(String.format(Locale.ROOT, " %.0f | %.0f |%n", all, p.cpuMicrosPerRequest("gateway JIT")));
            }
        }
        s.append("\nThe gateway's figure on the direct path is its idle background work. With one client the CPU per ")
                .append("request is highest: every process sleeps and wakes for each request.\n");
        return s.toString();
    }
}
