package dev.cirrus.placement;

import static dev.cirrus.placement.GrpcAssertions.statusOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.cirrus.contracts.placement.v1.Allocation;
import dev.cirrus.contracts.placement.v1.GetAllocationRequest;
import io.grpc.StatusRuntimeException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import dev.cirrus.testkit.TestInfrastructure;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One database, several engine lives: what one engine placed, the next one sees. */
class EngineRestartTest {

    static final String TWO_HOSTS = "classpath:inventory/two-hosts.yaml";

    final TestInfrastructure.PostgresEndpoint postgres = TestInfrastructure.postgres();
    final String database = postgres.newDatabase("placement_restart");

    RunningEngine engine(String inventory) {
        return RunningEngine.start(database, postgres.username(), postgres.password(), inventory);
    }

    @Test
    void aRestartedEngineSeesTheSameAllocations() throws Exception {
        TestVm big = TestVm.in("koreacentral").size(8, 8192);
        Allocation before;
        try (RunningEngine engine = engine(TWO_HOSTS)) {
            before = engine.placement().place(big.place()).getAllocation();
            assertThat(before.getHost()).isEqualTo("kc-c1-r1-h01");
        }

        try (RunningEngine engine = engine(TWO_HOSTS)) {
            assertThat(engine.placement().getAllocation(big.get())).isEqualTo(before);
            assertThat(engine.placement().place(big.place()).getAllocation()).as("placed again").isEqualTo(before);
            // the first host is full: the next VM of the same size goes to the second
            assertThat(engine.placement().place(TestVm.in("koreacentral").size(8, 8192).place()).getAllocation()
                    .getHost()).isEqualTo("kc-c1-r2-h01");
            JsonNode first = host(engine, "kc-c1-r1-h01");
            assertThat(first.get("usedVcpus").asInt()).isEqualTo(8);
            assertThat(first.get("allocations").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aSecondEngineOnTheSameDatabaseRefusesToStartWhileTheFirstRuns() throws Exception {
        TestVm vm = TestVm.in("koreacentral").size(8, 8192);
        try (RunningEngine first = engine(TWO_HOSTS)) {
            first.placement().place(vm.place());

            assertThatThrownBy(() -> engine(TWO_HOSTS).close())
                    .rootCause().hasMessageContaining("another placement engine is using this database");

            assertThat(first.placement().getAllocation(vm.get()).getHost()).as("the first engine still runs")
                    .isEqualTo("kc-c1-r1-h01");
        }
        try (RunningEngine next = engine(TWO_HOSTS)) {
            assertThat(next.placement().getAllocation(vm.get()).getHost()).isEqualTo("kc-c1-r1-h01");
        }
    }

    @Test
    void aHostNoLongerInTheInventoryIsRetiredKeepsItsVmsAndTakesNoNewOnes() throws Exception {
        TestVm onFirstHost = TestVm.in("koreacentral").size(8, 8192);
        try (RunningEngine engine = engine(TWO_HOSTS)) {
            assertThat(engine.placement().place(onFirstHost.place()).getAllocation().getHost())
                    .isEqualTo("kc-c1-r1-h01");
        }

        // kc-c1-r1-h01 is gone from this file; kc-c1-r1-h02 is new
        try (RunningEngine engine = engine("classpath:inventory/second-host-only.yaml")) {
            assertThat(engine.placement().getAllocation(onFirstHost.get()).getHost()).isEqualTo("kc-c1-r1-h01");
            JsonNode retired = host(engine, "kc-c1-r1-h01");
            assertThat(retired.get("state").asString()).isEqualTo("Retired");
            assertThat(retired.get("allocations").asInt()).isEqualTo(1);

            assertThat(engine.placement().place(TestVm.in("koreacentral").size(1, 1024).place()).getAllocation()
                    .getHost()).isEqualTo("kc-c1-r1-h02");
            assertThat(engine.placement().place(TestVm.in("koreacentral").size(8, 1024).place()).getAllocation()
                    .getHost()).isEqualTo("kc-c1-r2-h01");
            Status full = statusOf(() -> engine.placement().place(TestVm.in("koreacentral").size(8, 1024).place()));
            assertThat(full.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(full.getDescription()).as("the retired host is not one of the region's hosts any more")
                    .isEqualTo("0/2 hosts in koreacentral are available: 2 insufficient vCPU");
        }

        // listed again: back in service, its VM still there
        try (RunningEngine engine = engine(TWO_HOSTS)) {
            JsonNode back = host(engine, "kc-c1-r1-h01");
            assertThat(back.get("state").asString()).isEqualTo("InService");
            assertThat(back.get("allocations").asInt()).isEqualTo(1);
        }
    }

    @Test
    void anEngineStoppedUnderLoadRestartsWithExactlyTheAllocationsItConfirmed() throws Exception {
        Map<String, Allocation> confirmed = new ConcurrentHashMap<>();
        Set<String> released = ConcurrentHashMap.newKeySet();
        Map<String, TestVm> uncertain = new ConcurrentHashMap<>();
        AtomicBoolean stopping = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        RunningEngine engine = RunningEngine.start(database, postgres.username(), postgres.password(),
                "classpath:inventory/random-topology.yaml", "--cirrus.placement.grpc-shutdown-grace=PT0S");
        try {
            for (int c = 0; c < 8; c++) {
                Random random = new Random(c);
                clients.submit(() -> {
                    List<TestVm> mine = new ArrayList<>();
                    while (!stopping.get()) {
                        boolean release = !mine.isEmpty() && random.nextInt(4) == 0;
                        TestVm vm = release ? mine.remove(random.nextInt(mine.size()))
                                : TestVm.in("swedencentral").size(1 + random.nextInt(4), 2048);
                        try {
                            if (release) {
                                engine.placement().release(vm.release());
                                confirmed.remove(vm.vmId());
                                released.add(vm.vmId());
                            } else {
                                confirmed.put(vm.vmId(), engine.placement().place(vm.place()).getAllocation());
                                mine.add(vm);
                            }
                        } catch (StatusRuntimeException e) {
                            if (e.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED) {
                                uncertain.put(vm.vmId(), vm);
                                confirmed.remove(vm.vmId());
                                released.remove(vm.vmId());
                            }
                        }
                    }
                    return null;
                });
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> confirmed.size() + released.size() >= 60);
        } finally {
            // the engine stops with calls in flight (no grace): some clients see their call fail
            engine.close();
            stopping.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }

        try (RunningEngine restarted = RunningEngine.start(database, postgres.username(), postgres.password(),
                "classpath:inventory/random-topology.yaml")) {
            for (Allocation a : confirmed.values()) {
                if (!uncertain.containsKey(a.getVmId())) {
                    assertThat(restarted.placement().getAllocation(
                            GetAllocationRequest.newBuilder().setVmId(a.getVmId()).build())).isEqualTo(a);
                }
            }
            for (String vmId : released) {
                if (!uncertain.containsKey(vmId)) {
                    assertThat(statusOf(() -> restarted.placement().getAllocation(
                            GetAllocationRequest.newBuilder().setVmId(vmId).build())).getCode())
                            .isEqualTo(Status.Code.NOT_FOUND);
                }
            }
            JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(database, postgres.username(),
                    postgres.password()));
            Invariants.check(jdbc);
            // each allocation was written once, with its event, or not at all
            assertThat(jdbc.queryForObject("select count(*) from allocation a where not exists (select 1 from outbox o"
                    + " where o.event_type = 'Cirrus.Placement.HostAllocated' and o.payload like '%' || a.vm_id || '%')",
                    Integer.class)).isZero();
        }
    }

    private static JsonNode host(RunningEngine engine, String name) throws Exception {
        JsonNode hosts = JsonMapper.shared().readTree(engine.get("/inventory/hosts?region=koreacentral").body())
                .get("value");
        for (JsonNode host : hosts) {
            if (host.get("name").asString().equals(name)) {
                return host;
            }
        }
        throw new AssertionError("no host " + name + " in " + hosts);
    }
}
