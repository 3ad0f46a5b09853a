package dev.cirrus.placement;

import static dev.cirrus.placement.GrpcAssertions.statusOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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

/**
 * Commits that fail or take long. The database refuses, AT COMMIT, any transaction that inserts the allocation of a
 * VM listed in the table {@code doomed} (a deferred constraint trigger raising a serialization failure): the engine
 * has decided and taken the capacity in memory by then, so this checks that a failed group commit takes everything
 * back. Another trigger makes such a commit slow instead.
 * Inventory: two hosts of 8 vCPU / 16 GiB in koreacentral.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "cirrus.placement.grpc-port=0",
        "cirrus.kafka.bootstrap-servers=",
        "cirrus.placement.inventory=classpath:inventory/two-hosts.yaml"})
class CommitFailureTest {

    static final String FIRST_HOST = "kc-c1-r1-h01";
    static final String SECOND_HOST = "kc-c1-r2-h01";

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringInfrastructure.register(registry, "placement_commit_failure");
    }

    @Value("${local.grpc.port}")
    int grpcPort;

    @Autowired
    JdbcTemplate jdbc;

    ManagedChannel channel;

    @BeforeEach
    void emptyEngineAndATrapAtCommit() {
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", grpcPort, InsecureChannelCredentials.create())
                .intercept(ServiceCredentialGrpc.clientInterceptor(new ServiceCredential(ServiceCredentials.value()))).build();
        for (String vmId : jdbc.queryForList("select vm_id from allocation", String.class)) {
            placement().release(ReleaseRequest.newBuilder().setVmId(vmId).build());
        }
        jdbc.execute("create table if not exists doomed (vm_id text primary key)");
        jdbc.execute("""
                create or replace function refuse_doomed() returns trigger language plpgsql as $$
                begin
                    if exists (select 1 from doomed where vm_id = new.vm_id) then
                        raise exception 'the test refuses to commit VM %', new.vm_id
                            using errcode = 'serialization_failure';
                    end if;
                    return new;
                end $$""");
        jdbc.execute("drop trigger if exists refuse_doomed on allocation");
        jdbc.execute("create constraint trigger refuse_doomed after insert on allocation deferrable initially deferred"
                + " for each row execute function refuse_doomed()");
    }

    @AfterEach
    void removeTheTrap() {
        jdbc.execute("drop trigger if exists refuse_doomed on allocation");
        jdbc.execute("drop trigger if exists slow_commit on allocation");
        jdbc.execute("delete from doomed");
        channel.shutdownNow();
    }

    PlacementServiceGrpc.PlacementServiceBlockingStub placement() {
        return PlacementServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @Test
    void aPlaceWhoseCommitFailsIsRefusedAndLeavesNoTraceInMemoryOrInTheDatabase() {
        TestVm doomed = TestVm.in("koreacentral").size(8, 8192);
        jdbc.update("insert into doomed values (?)", doomed.vmId());

        Status refused = statusOf(() -> placement().place(doomed.place()));

        assertThat(refused.getCode()).as("a failed commit is retryable").isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(jdbc.queryForObject("select count(*) from allocation where vm_id = ?", Integer.class,
                doomed.vmId())).isZero();
        assertThat(jdbc.queryForObject("select count(*) from outbox where record_key = ?", Integer.class,
                doomed.resourceId().toLowerCase(Locale.ROOT))).as("events of the refused VM").isZero();
        assertThat(statusOf(() -> placement().getAllocation(doomed.get())).getCode()).isEqualTo(Status.Code.NOT_FOUND);

        // in memory too: the first host's 8 vCPU are free again (a full first host would send this VM to the second)
        jdbc.update("delete from doomed");
        assertThat(placement().place(TestVm.in("koreacentral").size(8, 8192).place()).getAllocation().getHost())
                .isEqualTo(FIRST_HOST);
        // and the refused VM is not placed: asked again with another size, it is placed, not ALREADY_EXISTS
        Allocation again = placement().place(doomed.size(2, 2048).place()).getAllocation();
        assertThat(again.getHost()).isEqualTo(SECOND_HOST);
        assertThat(again.getSize().getVcpus()).isEqualTo(2);
        Invariants.check(jdbc);
    }

    @Test
    void aRetryOfAPlacementWhoseCommitIsUnderWayIsAnsweredOnlyOnceThePlacementIsDurable() throws Exception {
        // this VM's commit takes a while: PostgreSQL sleeps in a deferred trigger at commit
        jdbc.execute("drop trigger if exists refuse_doomed on allocation");
        jdbc.execute("""
                create or replace function slow_commit() returns trigger language plpgsql as $$
                begin
                    if exists (select 1 from doomed where vm_id = new.vm_id) then
                        perform pg_sleep(1.5);
                    end if;
                    return new;
                end $$""");
        jdbc.execute("create constraint trigger slow_commit after insert on allocation deferrable initially deferred"
                + " for each row execute function slow_commit()");
        TestVm vm = TestVm.in("koreacentral").size(2, 2048);
        jdbc.update("insert into doomed values (?)", vm.vmId());
        ExecutorService first = Executors.newSingleThreadExecutor();
        try {
            Future<Allocation> placing = first.submit(() -> placement().place(vm.place()).getAllocation());
            await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                    "select count(*) from pg_stat_activity where wait_event = 'PgSleep'", Integer.class) > 0);

            Allocation retried = placement().place(vm.place()).getAllocation();

            assertThat(jdbc.queryForObject("select count(*) from allocation where vm_id = ?", Integer.class,
                    vm.vmId())).as("committed when the retry was answered").isEqualTo(1);
            assertThat(placing.get(30, TimeUnit.SECONDS)).isEqualTo(retried);
        } finally {
            first.shutdownNow();
        }
    }

    /** Makes the commit of a doomed VM's allocation sleep 1.5 s, then fail if {@code fail}. */
    void slowCommitOfDoomedVms(boolean fail) {
        jdbc.execute("drop trigger if exists refuse_doomed on allocation");
        jdbc.execute("""
                create or replace function slow_commit() returns trigger language plpgsql as $$
                begin
                    if exists (select 1 from doomed where vm_id = new.vm_id) then
                        perform pg_sleep(1.5);
                        if %s then
                            raise exception 'the test refuses to commit VM %%', new.vm_id
                                using errcode = 'serialization_failure';
                        end if;
                    end if;
                    return new;
                end $$""".formatted(fail));
        jdbc.execute("create constraint trigger slow_commit after insert on allocation deferrable initially deferred"
                + " for each row execute function slow_commit()");
    }

    @Test
    void readsAskedWhileAPlacementIsBeingCommittedShowItOnlyOnceItIsDurable() throws Exception {
        slowCommitOfDoomedVms(false);
        TestVm vm = TestVm.in("koreacentral").size(2, 2048).inAvailabilitySet("slow", 2, 2);
        jdbc.update("insert into doomed values (?)", vm.vmId());
        ExecutorService first = Executors.newSingleThreadExecutor();
        try {
            Future<Allocation> placing = first.submit(() -> placement().place(vm.place()).getAllocation());
            await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                    "select count(*) from pg_stat_activity where wait_event = 'PgSleep'", Integer.class) > 0);

            Allocation read = placement().getAllocation(vm.get());

            assertThat(jdbc.queryForObject("select count(*) from allocation where vm_id = ?", Integer.class,
                    vm.vmId())).as("committed when the read was answered").isEqualTo(1);
            assertThat(read).isEqualTo(placing.get(30, TimeUnit.SECONDS));
            assertThat(placement().listAllocations(dev.cirrus.contracts.placement.v1.ListAllocationsRequest
                    .newBuilder().setGroupId(read.getGroupId()).build()).getAllocationsList()).containsExactly(read);
            assertThat(placement().listAllocations(dev.cirrus.contracts.placement.v1.ListAllocationsRequest
                    .newBuilder().setHost(read.getHost()).build()).getAllocationsList()).contains(read);
        } finally {
            first.shutdownNow();
        }
    }

    @Test
    void aReadAskedWhileAPlacementIsBeingCommittedNeverShowsItWhenTheCommitFails() throws Exception {
        slowCommitOfDoomedVms(true);
        TestVm vm = TestVm.in("koreacentral").size(2, 2048);
        jdbc.update("insert into doomed values (?)", vm.vmId());
        ExecutorService first = Executors.newSingleThreadExecutor();
        try {
            Future<Status> placing = first.submit(() -> statusOf(() -> placement().place(vm.place())));
            await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                    "select count(*) from pg_stat_activity where wait_event = 'PgSleep'", Integer.class) > 0);

            Status read = statusOf(() -> placement().getAllocation(vm.get()));

            assertThat(read.getCode()).as("the uncommitted allocation is not shown").isIn(Status.Code.NOT_FOUND,
                    Status.Code.UNAVAILABLE);
            assertThat(placing.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(statusOf(() -> placement().getAllocation(vm.get())).getCode())
                    .isEqualTo(Status.Code.NOT_FOUND);
        } finally {
            first.shutdownNow();
        }
    }

    @Test
    void placementsCommittedTogetherWithAFailingOneAreRefusedTooAndEveryAcknowledgedOneIsDurable() throws Exception {
        TestVm doomed = TestVm.in("koreacentral").size(1, 1024);
        jdbc.update("insert into doomed values (?)", doomed.vmId());
        List<TestVm> others = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            others.add(TestVm.in("koreacentral").size(1, 1024));
        }
        List<TestVm> all = new ArrayList<>(others);
        all.add(doomed);

        ExecutorService threads = Executors.newFixedThreadPool(all.size());
        List<Future<Object>> outcomes = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            for (TestVm vm : all) {
                outcomes.add(threads.submit(() -> {
                    go.await();
                    try {
                        return placement().place(vm.place()).getAllocation();
                    } catch (StatusRuntimeException e) {
                        return e.getStatus().getCode();
                    }
                }));
            }
            go.countDown();
            Set<String> acknowledged = new HashSet<>();
            List<TestVm> refused = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                Object outcome = outcomes.get(i).get(60, TimeUnit.SECONDS);
                if (outcome instanceof Allocation a) {
                    acknowledged.add(a.getVmId());
                } else {
                    assertThat(outcome).as("a refusal").isEqualTo(Status.Code.UNAVAILABLE);
                    refused.add(all.get(i));
                }
            }
            assertThat(refused).contains(doomed);

            // exactly the acknowledged placements are in the database, each with its one event
            assertThat(jdbc.queryForList("select vm_id from allocation", String.class))
                    .containsExactlyInAnyOrderElementsOf(acknowledged);
            for (TestVm vm : all) {
                assertThat(jdbc.queryForObject("select count(*) from outbox where event_type = ? and record_key = ?",
                        Integer.class, EventTypes.HOST_ALLOCATED, vm.resourceId().toLowerCase(Locale.ROOT)))
                        .as("HostAllocated events of %s", vm.vmId())
                        .isEqualTo(acknowledged.contains(vm.vmId()) ? 1 : 0);
            }
            Invariants.check(jdbc);

            // the engine's view is the database's: every refused VM but the doomed one fits now (15 of 16 vCPU)
            for (TestVm vm : refused) {
                if (vm != doomed) {
                    assertThat(placement().place(vm.place()).getAllocation().getVmId()).isEqualTo(vm.vmId());
                }
            }
            assertThat(jdbc.queryForObject("select count(*) from allocation", Integer.class)).isEqualTo(15);
            assertThat(statusOf(() -> placement().place(doomed.place())).getCode())
                    .isEqualTo(Status.Code.UNAVAILABLE);
            Invariants.check(jdbc);
        } finally {
            threads.shutdownNow();
        }
    }
}
