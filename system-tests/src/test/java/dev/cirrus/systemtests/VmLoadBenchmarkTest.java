package dev.cirrus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import dev.cirrus.contracts.placement.v1.Allocation;
import dev.cirrus.contracts.placement.v1.ListAllocationsRequest;
import dev.cirrus.contracts.placement.v1.ListHostsRequest;
import dev.cirrus.contracts.placement.v1.PlacementServiceGrpc;
import dev.cirrus.launcher.Platform;
import dev.cirrus.launcher.PlatformConfig;
import dev.cirrus.launcher.PortPlan;
import dev.cirrus.launcher.RunningPlatform;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The VM load run: the whole platform as {@code ./cirrus up} starts it, in fast mode (every simulated VM
 * duration 200 ms), and concurrent clients that create, power off, start and delete VMs through the gateway for a
 * fixed time. Writes creates/s and the p50/p99 of the time to the 201 and to {@code Succeeded} to
 * {@code bench-results/vm-load.md}, then checks that no VM is left in a non-terminal state and that the placement
 * engine's allocations are exactly the VMs that hold a host.
 *
 * <pre>
 *   cd /work/main && JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -B -q verify -pl system-tests -Pbench \
 *       [-Dbench.clients=8] [-Dbench.seconds=60]
 * </pre>
 * Needs the services' exec jars (./cirrus build).
 */
@Tag("bench")
class VmLoadBenchmarkTest {

    static final String SUB = UUID.randomUUID().toString();
    static final String RG = "load";
    static final String REGION = "koreacentral";
    static final String SIZE = "Standard_B1s";

    record Sample(long toCreatedNanos, long toSucceededNanos) {
    }

    @Test
    void concurrentClientsCreateStartStopAndDeleteVmsThroughTheGatewayAndLeaveNothingBehind() throws Exception {
        int clients = Integer.getInteger("bench.clients", 8);
        int seconds = Integer.getInteger("bench.seconds", 60);
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "vm-load-");
        List<String> jvm = new ArrayList<>(PlatformConfig.DEFAULT_JVM_OPTIONS);
        // fast mode for compute-vm, no quota or throttling in the way of the load (each service ignores the others')
        jvm.addAll(List.of("-Dcirrus.vm.timings.provisioning=200ms", "-Dcirrus.vm.timings.deletion=200ms",
                "-Dcirrus.vm.timings.start=200ms", "-Dcirrus.vm.timings.power-off=200ms",
                "-Dcirrus.vm.timings.deallocate=200ms", "-Dcirrus.vm.timings.restart=200ms",
                "-Dcirrus.vm.timings.redeploy=200ms", "-Dcirrus.vm.quota.regional-vcpus=100000",
                "-Dcirrus.gateway.throttling.reads.capacity=10000000",
                "-Dcirrus.gateway.throttling.reads.refill-per-second=10000000",
                "-Dcirrus.gateway.throttling.writes.capacity=10000000",
                "-Dcirrus.gateway.throttling.writes.refill-per-second=10000000",
                "-Dcirrus.gateway.throttling.deletes.capacity=10000000",
                "-Dcirrus.gateway.throttling.deletes.refill-per-second=10000000"));
        PlatformConfig config = PlatformConfig.builder()
                .repoRoot(PlatformConfig.locateRepoRoot(Path.of("")))
                .dataDir(data)
                .ports(PortPlan.freePorts())
                .jvmOptions(jvm)
                .build();
        try (RunningPlatform platform = Platform.start(config)) {
            Arm arm = Arm.signedIn(platform.gatewayUrl(), data.resolve("gateway").resolve("credentials.json"));
            assertThat(arm.put("/cirrus/subscriptions/" + SUB, "{\"displayName\":\"load\"}").status()).isIn(200, 201);
            assertThat(arm.put("/subscriptions/" + SUB + "/resourcegroups/" + RG + "?" + Arm.API,
                    "{\"location\":\"" + REGION + "\"}").status()).isIn(200, 201);
            NetworkFixture.network(arm, SUB, RG, REGION);

            List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
            Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
            List<String> problems = Collections.synchronizedList(new ArrayList<>());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            Instant began = Instant.now();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                running.add(pool.submit(() -> {
                    for (int n = 0; System.nanoTime() < deadline; n++) {
                        cycle(arm, "c" + client + "-vm" + n, deadline, samples, counts, problems);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(seconds + 300L, TimeUnit.SECONDS);
            }
            pool.shutdown();
            Duration measured = Duration.between(began, Instant.now());

            // the end state: every VM terminal, and the engine's allocations exactly the VMs that hold a host
            Map<String, String> vmIdsHoldingAHost = new HashMap<>();
            int vms = 0;
            int nonTerminal = 0;
            Map<String, Integer> byState = new java.util.TreeMap<>();
            String next = "/subscriptions/" + SUB + "/providers/Microsoft.Compute/virtualMachines?statusOnly=true&"
                    + Arm.API;
            while (next != null) {
                JsonNode page = next.startsWith("http") ? arm.getAbsolute(next).json() : arm.get(next).json();
                for (JsonNode vm : page.path("value")) {
                    vms++;
                    String provisioning = vm.path("properties").path("provisioningState").asString();
                    String power = "none";
                    for (JsonNode s : vm.path("properties").path("instanceView").path("statuses")) {
                        if (s.path("code").asString().startsWith("PowerState/")) {
                            power = s.path("code").asString().substring("PowerState/".length());
                        }
                    }
                    byState.merge(provisioning + "/" + power, 1, Integer::sum);
                    boolean terminal = Set.of("Succeeded", "Failed").contains(provisioning)
                            && Set.of("running", "stopped", "deallocated", "none").contains(power);
                    if (!terminal) {
                        nonTerminal++;
                    }
                    if (power.equals("running") || power.equals("stopped")) {
                        vmIdsHoldingAHost.put(vm.path("properties").path("vmId").asString(), vm.path("name").asString());
                    }
                }
                next = page.has("nextLink") ? page.path("nextLink").asString() : null;
            }
            Set<String> allocated = allocations(platform.placementTarget(), platform.serviceCredential());

            long creates = counts.getOrDefault("201", new AtomicLong()).get();
            List<Long> toCreated = samples.stream().map(Sample::toCreatedNanos).sorted().toList();
            List<Long> toSucceeded = samples.stream().map(Sample::toSucceededNanos).filter(t -> t > 0).sorted().toList();
            String report = """
                    # VM load run

                    Command: `cd /work/main && JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -B -q verify -pl system-tests -Pbench`
                    (`-Dbench.clients=%d -Dbench.seconds=%d`). The whole platform as `./cirrus up` starts it (PostgreSQL,
                    Kafka, gateway with token and RBAC, compute-vm, placement-engine, billing and the rest, each its own JVM
                    with the launcher's small heaps), everything on this one machine (%d cores); compute-vm in fast mode
                    (every simulated VM duration 200 ms: provisioning, power actions, deletion), vCPU quota and gateway
                    throttling raised out of the way. Each client loops: PUT a NIC, PUT a %s VM on it → poll its Azure-AsyncOperation
                    every 50 ms until Succeeded → powerOff → start → DELETE (each polled on its Location until done); at the
                    end of the time each client finishes the step it is in, so VMs are left in every state.

                    | figure | value |
                    |---|---|
                    | run | %s, %d s measured |
                    | clients | %d |
                    | creates accepted (201) | %d |
                    | creates/s | %.2f |
                    | time to 201, p50 / p99 | %.1f ms / %.1f ms |
                    | time to Succeeded, p50 / p99 | %.1f ms / %.1f ms (of which 200 ms simulated provisioning; polls every 50 ms) |
                    | power actions (powerOff + start) / deletes completed | %d / %d |
                    | unexpected answers | %d%s |

                    End state: %d VMs listed (%s); non-terminal: %d. VMs holding a host (running or stopped): %d; the
                    placement engine's allocations in %s: %d; the two sets of vmIds are %s.
                    """.formatted(clients, seconds, Runtime.getRuntime().availableProcessors(), SIZE, began, measured.toSeconds(),
                    clients, creates, creates / (measured.toMillis() / 1000.0),
                    ms(percentile(toCreated, 50)), ms(percentile(toCreated, 99)),
                    ms(percentile(toSucceeded, 50)), ms(percentile(toSucceeded, 99)),
                    counts.getOrDefault("action", new AtomicLong()).get(),
                    counts.getOrDefault("deleted", new AtomicLong()).get(), problems.size(),
                    problems.isEmpty() ? "" : " (first: " + problems.getFirst().replace("|", "\\|") + ")",
                    vms, byState, nonTerminal, vmIdsHoldingAHost.size(), REGION, allocated.size(),
                    allocated.equals(vmIdsHoldingAHost.keySet()) ? "equal" : "DIFFERENT");
            Files.createDirectories(Path.of("bench-results"));
            Files.writeString(Path.of("bench-results", "vm-load.md"), report);
            System.out.println(report);

            assertThat(creates).isPositive();
            assertThat(problems).isEmpty();
            assertThat(nonTerminal).isZero();
            assertThat(allocated).isEqualTo(vmIdsHoldingAHost.keySet());
        } finally {
            deleteQuietly(data);
        }
    }

    /** One VM's life; stops after the step in progress once the deadline has passed. */
    private static void cycle(Arm arm, String name, long deadline, List<Sample> samples, Map<String, AtomicLong> counts,
                              List<String> problems) {
        String path = "/subscriptions/" + SUB + "/resourceGroups/" + RG + "/providers/Microsoft.Compute/virtualMachines/"
                + name;
        // the VM's NIC goes with it (deleteOption Delete), so the subnet does not fill up over a long run
        String nic = NetworkFixture.nic(arm, SUB, RG, REGION, name + "-nic");
        long t0 = System.nanoTime();
        Arm.Reply created = arm.put(path + "?" + Arm.API, """
                {"location": "%s", "properties": {"hardwareProfile": {"vmSize": "%s"},
                 "storageProfile": {"imageReference": {"publisher": "Canonical",
                   "offer": "0001-com-ubuntu-server-jammy", "sku": "22_04-lts", "version": "latest"}},
                 "osProfile": {"adminUsername": "azureuser", "adminPassword": "L0ad-Test-Pa55!"},
                 "networkProfile": {"networkInterfaces": [{"id": "%s",
                   "properties": {"primary": true, "deleteOption": "Delete"}}]}}}""".formatted(REGION, SIZE, nic));
        long toCreated = System.nanoTime() - t0;
        if (created.status() != 201) {
            problems.add("PUT " + name + ": " + created.status() + " " + created.body());
            return;
        }
        counts.computeIfAbsent("201", k -> new AtomicLong()).incrementAndGet();
        String operation = created.header("Azure-AsyncOperation");
        String status = poll().until(() -> arm.getAbsolute(operation).json().path("status").asString(),
                s -> !s.equals("InProgress"));
        long toSucceeded = System.nanoTime() - t0;
        samples.add(new Sample(toCreated, status.equals("Succeeded") ? toSucceeded : -1));
        if (!status.equals("Succeeded")) {
            problems.add("create " + name + " ended " + status);
            return;
        }
        for (String step : List.of("powerOff", "start")) {
            if (System.nanoTime() > deadline) {
                return;
            }
            if (!await(arm, arm.send("POST", path + "/" + step + "?" + Arm.API, null, null), 200, step + " " + name,
                    problems)) {
                return;
            }
            counts.computeIfAbsent("action", k -> new AtomicLong()).incrementAndGet();
        }
        if (System.nanoTime() > deadline) {
            return;
        }
        if (await(arm, arm.delete(path + "?" + Arm.API), 204, "delete " + name, problems)) {
            counts.computeIfAbsent("deleted", k -> new AtomicLong()).incrementAndGet();
        }
    }

    /** A 202 followed on its Location until it answers something else, which must be {@code expected}. */
    private static boolean await(Arm arm, Arm.Reply accepted, int expected, String what, List<String> problems) {
        if (accepted.status() != 202) {
            problems.add(what + ": " + accepted.status() + " " + accepted.body());
            return false;
        }
        String location = accepted.header("Location");
        int status = poll().until(() -> arm.getAbsolute(location).status(), s -> s != 202);
        if (status != expected) {
            problems.add(what + " ended " + status);
            return false;
        }
        return true;
    }

    /** The vmIds the placement engine holds in the region, host by host. */
    private static Set<String> allocations(String target, String serviceCredential) {
        // the platform's service credential, as the gateway and compute-vm send it
        Metadata credential = new Metadata();
        credential.put(Metadata.Key.of("x-cirrus-service-credential", Metadata.ASCII_STRING_MARSHALLER),
                serviceCredential);
        ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext()
                .intercept(MetadataUtils.newAttachHeadersInterceptor(credential)).build();
        try {
            var stub = PlacementServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
            Set<String> vmIds = new HashSet<>();
            for (var host : stub.listHosts(ListHostsRequest.newBuilder().setRegion(REGION).build()).getHostsList()) {
                if (host.getAllocations() > 0) {
                    for (Allocation a : stub.listAllocations(ListAllocationsRequest.newBuilder().setHost(host.getName())
                            .build()).getAllocationsList()) {
                        vmIds.add(a.getVmId());
                    }
                }
            }
            return vmIds;
        } finally {
            channel.shutdownNow();
        }
    }

    /** The client's polling: every 50 ms (what an SDK's Retry-After loop does, shortened for the fast mode). */
    private static ConditionFactory poll() {
        return Awaitility.await().atMost(Duration.ofSeconds(120)).pollDelay(Duration.ofMillis(50))
                .pollInterval(Duration.ofMillis(50));
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp folder under target/: mvn clean removes what is left
        }
    }
}
