package dev.cirrus.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.placement.v1.Allocation;
import dev.cirrus.contracts.placement.v1.PlacementServiceGrpc;
import dev.cirrus.contracts.placement.v1.ReleaseRequest;
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

/** Many callers at once on a tiny inventory: two hosts of 8 vCPU / 16 GiB. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "cirrus.placement.grpc-port=0",
        "cirrus.placement.inventory=classpath:inventory/two-hosts.yaml"})
class ConcurrentPlacementTest {

    static final int THREADS = 16;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringInfrastructure.register(registry, "placement_concurrent");
    }

    @Value("${local.grpc.port}")
    int grpcPort;

    @Autowired
    JdbcTemplate jdbc;

    ManagedChannel channel;
    ExecutorService threads;

    @BeforeEach
    void startEmpty() {
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", grpcPort, InsecureChannelCredentials.create())
                .intercept(ServiceCredentialGrpc.clientInterceptor(new ServiceCredential(ServiceCredentials.value()))).build();
        threads = Executors.newFixedThreadPool(THREADS);
        for (String vmId : jdbc.queryForList("select vm_id from allocation", String.class)) {
            placement().release(ReleaseRequest.newBuilder().setVmId(vmId).build());
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        channel.shutdownNow();
    }

    PlacementServiceGrpc.PlacementServiceBlockingStub placement() {
        return PlacementServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @Test
    void sixteenThreadsPlacingAtOnceNeverOverCommitAHost() throws Exception {
        // room for 8 VMs of 2 vCPU / 2 GiB (4 per host, by vCPU); 32 ask at once
        List<TestVm> vms = new ArrayList<>();
        for (int i = 0; i < 2 * THREADS; i++) {
            vms.add(TestVm.in("koreacentral").size(2, 2048));
        }

        List<Object> outcomes = all(vms.stream().<Callable<Object>>map(vm -> () -> {
            try {
                return placement().place(vm.place()).getAllocation();
            } catch (StatusRuntimeException e) {
                return e.getStatus().getCode();
            }
        }).toList());

        List<Allocation> placed = outcomes.stream().filter(Allocation.class::isInstance).map(Allocation.class::cast)
                .toList();
        assertThat(placed).hasSize(8);
        assertThat(outcomes).filteredOn(o -> !(o instanceof Allocation))
                .hasSize(24).containsOnly(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(placed.stream().collect(Collectors.groupingBy(Allocation::getHost, Collectors.counting())))
                .containsExactlyInAnyOrderEntriesOf(Map.of("kc-c1-r1-h01", 4L, "kc-c1-r2-h01", 4L));
        assertThat(jdbc.queryForList("""
                select h.name from host h join allocation a on a.host = h.name
                group by h.name, h.vcpus, h.memory_mib
                having sum(a.vcpus) > h.vcpus or sum(a.memory_mib) > h.memory_mib
                """, String.class)).as("over-committed hosts").isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from allocation", Integer.class)).isEqualTo(8);
    }

    @Test
    void sixteenThreadsPlacingTheSameVmAtOnceGetOneAndTheSameAllocation() throws Exception {
        TestVm vm = TestVm.in("koreacentral").size(1, 1024);

        List<Object> outcomes = all(java.util.stream.IntStream.range(0, THREADS)
                .<Callable<Object>>mapToObj(i -> () -> placement().place(vm.place()).getAllocation()).toList());

        assertThat(outcomes).hasSize(THREADS).containsOnly(outcomes.get(0));
        assertThat(jdbc.queryForObject("select count(*) from allocation", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from outbox where record_key = ? and event_type = ?",
                Integer.class, vm.resourceId().toLowerCase(Locale.ROOT), EventTypes.HOST_ALLOCATED)).isEqualTo(1);
    }

    /** Runs the calls on the 16 threads, all released at the same moment, and returns their outcomes in order. */
    private List<Object> all(List<Callable<Object>> calls) throws Exception {
        CountDownLatch ready = new CountDownLatch(Math.min(THREADS, calls.size()));
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Object>> futures = new ArrayList<>();
        for (Callable<Object> call : calls) {
            futures.add(threads.submit(() -> {
                ready.countDown();
                go.await();
                return call.call();
            }));
        }
        ready.await(30, TimeUnit.SECONDS);
        go.countDown();
        List<Object> outcomes = new ArrayList<>();
        for (Future<Object> f : futures) {
            outcomes.add(f.get(60, TimeUnit.SECONDS));
        }
        return outcomes;
    }
}
