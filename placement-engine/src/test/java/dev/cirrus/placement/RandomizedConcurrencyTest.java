package dev.cirrus.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.cirrus.contracts.placement.v1.Allocation;
import dev.cirrus.contracts.placement.v1.PlacementServiceGrpc;
import dev.cirrus.plumbing.security.ServiceCredential;
import dev.cirrus.plumbing.security.ServiceCredentialGrpc;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.SpringInfrastructure;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * 32 clients at once, each a random mix of standalone VMs, members of shared availability sets, instances of its own
 * scale set, and releases, over real gRPC on a real database near exhaustion (24 hosts of 16 vCPU). After every step
 * the client checks the invariants on the database ({@link Invariants}), and its own scale set's skew.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "cirrus.placement.grpc-port=0",
        "cirrus.kafka.bootstrap-servers=",
        "spring.datasource.hikari.maximum-pool-size=8",
        "cirrus.placement.inventory=classpath:inventory/random-topology.yaml"})
class RandomizedConcurrencyTest {

    static final int CLIENTS = 32;
    static final int STEPS = 40;
    static final String REGION = "swedencentral";

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringInfrastructure.register(registry, "placement_random");
    }

    @Value("${local.grpc.port}")
    int grpcPort;

    @Autowired
    JdbcTemplate jdbc;

    ManagedChannel channel;
    ExecutorService clients;

    @BeforeEach
    void start() {
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", grpcPort, InsecureChannelCredentials.create())
                .intercept(ServiceCredentialGrpc.clientInterceptor(new ServiceCredential(ServiceCredentials.value()))).build();
        clients = Executors.newFixedThreadPool(CLIENTS);
    }

    @AfterEach
    void stop() throws InterruptedException {
        clients.shutdownNow();
        clients.awaitTermination(10, TimeUnit.SECONDS);
        channel.shutdownNow();
    }

    PlacementServiceGrpc.PlacementServiceBlockingStub placement() {
        return PlacementServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @Test
    void thirtyTwoRandomClientsNeverOverCommitAHostNorBreakASetsDomainRules() throws Exception {
        long seed = System.nanoTime();
        ConcurrentHashMap<String, Allocation> answered = new ConcurrentHashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            results.add(clients.submit(() -> {
                go.await();
                return runClient(new Random(seed + client), client, answered);
            }));
        }
        go.countDown();
        int placed = 0;
        for (Future<Integer> r : results) {
            placed += r.get(3, TimeUnit.MINUTES);
        }

        Invariants.check(jdbc);
        assertThat(placed).as("placements that succeeded (seed %d)", seed).isGreaterThan(CLIENTS);
        // what the engine answered is what it stored
        for (Allocation a : answered.values()) {
            assertThat(jdbc.queryForObject("select host from allocation where vm_id = ?", String.class, a.getVmId()))
                    .isEqualTo(a.getHost());
        }
    }

    /** One client's random walk; returns how many placements succeeded. */
    private int runClient(Random random, int client, ConcurrentHashMap<String, Allocation> answered) {
        List<TestVm> mine = new ArrayList<>();
        List<TestVm> myScaleSet = new ArrayList<>();
        String scaleSet = "ss-" + client;
        int placed = 0;
        for (int step = 0; step < STEPS; step++) {
            int dice = random.nextInt(10);
            if (dice < 3 && !mine.isEmpty()) {
                TestVm gone = mine.remove(random.nextInt(mine.size()));
                assertThat(placement().release(gone.release()).getReleased()).isTrue();
                answered.remove(gone.vmId());
            } else if (dice == 3 && !myScaleSet.isEmpty()) {
                for (TestVm vm : myScaleSet) {
                    placement().release(vm.release());
                    answered.remove(vm.vmId());
                }
                myScaleSet.clear();
            } else {
                int vcpus = 1 << random.nextInt(4);
                TestVm vm = TestVm.in(REGION).size(vcpus, vcpus * 4096);
                boolean scaleSetVm = dice >= 8;
                if (scaleSetVm) {
                    vm.inScaleSet(scaleSet, 3);
                } else if (dice >= 6) {
                    vm.inAvailabilitySet("as-" + random.nextInt(4), 3, 5);
                }
                try {
                    Allocation a = placement().place(vm.place()).getAllocation();
                    answered.put(vm.vmId(), a);
                    (scaleSetVm ? myScaleSet : mine).add(vm);
                    placed++;
                } catch (StatusRuntimeException e) {
                    assertThat(e.getStatus().getCode()).as(e.getStatus().getDescription())
                            .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                }
            }
            Invariants.check(jdbc);
            String key = TestVm.setId("virtualMachineScaleSets", scaleSet).toLowerCase(Locale.ROOT);
            assertThat(Invariants.skew(jdbc, key, 3)).as("skew of %s", scaleSet).isLessThanOrEqualTo(1);
        }
        return placed;
    }
}
