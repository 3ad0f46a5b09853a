package dev.cirrus.placement.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.cirrus.contracts.placement.v1.Allocation;
import dev.cirrus.contracts.placement.v1.GetAllocationRequest;
import dev.cirrus.contracts.placement.v1.PlacementServiceGrpc;
import dev.cirrus.placement.RunningEngine;
import dev.cirrus.placement.TestVm;
import dev.cirrus.plumbing.security.ServiceCredential;
import dev.cirrus.plumbing.security.ServiceCredentialGrpc;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.TestInfrastructure;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The gRPC load client: 16 concurrent clients over loopback against a real engine on a real PostgreSQL (each Place
 * answered only once committed with its outbox event), and the same clients against an empty gRPC call (a server
 * that answers at once, configured as the engine's: the transport's own limit). The two alternate in rounds after a
 * warm-up, so both see the same machine (other processes share its 2 cores); the figures sum the rounds.
 *
 * <p>Place is measured two ways on a synthetic inventory of 10,000 hosts (4 regions x 2 clusters x 5 racks x 250 hosts
 * of 64 vCPU / 256 GiB): alone (each client places VMs one after the other; the capacity they took is given back by
 * Releases between the rounds, timed but not counted among the placements), and in steady state (each client keeps
 * at most {@link #VMS_PER_CLIENT} VMs, so every measured Place follows a Release of its oldest VM).
 */
final class GrpcLoad {

    static final int CLIENTS = 16;
    /** Each client keeps at most this many VMs of 2 vCPU / 8 GiB: the default topology stays about half full. */
    static final int VMS_PER_CLIENT = 40;
    /** The total rate of the paced Place rounds: the target throughput (placement-engine/README.md). */
    static final double PACED_RATE = 2000;

    record Figures(String what, long calls, double seconds, double perSecond, double p50Ms, double p99Ms) {
    }

    /**
     * Both measurements of one run, and what PostgreSQL saw during the Place rounds; CPU seconds used during the
     * measured rounds by this JVM (clients and servers) and by the engine's PostgreSQL backends (0 without /proc);
     * seconds the JIT compilers worked during the measured rounds.
     */
    record Comparison(Figures place, Figures empty, long releases, long commits, double placeJvmCpu,
                      double placePostgresCpu, double emptyJvmCpu, double jitSeconds, double placeThreadsCpu,
                      double placeWriterCpu, double emptyThreadsCpu, Figures placeAlone, double aloneJvmCpu,
                      double aloneThreadsCpu, double alonePostgresCpu, long aloneCommits, long releasedBetween,
                      double releaseSeconds, Figures placePaced, String pacedTail) {
    }

    /** One measured call of a client; returns its latency in nanoseconds (unmeasured work may come before it). */
    interface Call {
        long run(PlacementServiceGrpc.PlacementServiceBlockingStub stub, int client, Deque<TestVm> mine);
    }

    static Comparison compare(int rounds, double emptySeconds, double placeSeconds) throws Exception {
        TestInfrastructure.PostgresEndpoint postgres = TestInfrastructure.postgres();
        String database = postgres.newDatabase("placement_bench");
        JdbcTemplate stats = new JdbcTemplate(new DriverManagerDataSource(database, postgres.username(),
                postgres.password()));
        // one connection for the 20 ms samples of pg_stat_activity (a connection per query would fork a backend each)
        JdbcTemplate sampling = new JdbcTemplate(new org.springframework.jdbc.datasource.SingleConnectionDataSource(
                database, postgres.username(), postgres.password(), true));
        // where the open loop's stalls come from: the WAL flushes' count and time, checkpoints and autovacuum runs of
        // each paced round are printed beside the stalls' wall-clock times and the engine's slow group commits
        stats.execute("alter system set track_wal_io_timing = on");
        stats.execute("select pg_reload_conf()");
        System.out.println("PostgreSQL settings: " + stats.queryForList("select name || '=' || setting from pg_settings"
                + " where name in ('autovacuum', 'max_wal_size', 'min_wal_size', 'wal_init_zero', 'wal_recycle',"
                + " 'checkpoint_timeout', 'wal_compression', 'shared_buffers', 'wal_buffers', 'commit_delay',"
                + " 'wal_writer_delay', 'synchronous_commit', 'fsync')", String.class));
        String[] regions = {"synth1", "synth2", "synth3", "synth4"};
        java.nio.file.Path inventory = java.nio.file.Files.createTempFile("placement-bench-", ".yaml");
        java.nio.file.Files.writeString(inventory, dev.cirrus.placement.inventory.SyntheticTopology.yaml(
                dev.cirrus.placement.inventory.SyntheticTopology.generate(4, 2, 5, 250, 64, 256)));
        long[] releases = new long[CLIENTS];
        Call placeAlone = (stub, client, mine) -> {
            TestVm vm = TestVm.in(regions[client % regions.length]).size(2, 8192);
            long t0 = System.nanoTime();
            stub.place(vm.place());
            long t = System.nanoTime() - t0;
            mine.addLast(vm);
            return t;
        };
        Call place = (stub, client, mine) -> {
            // in steady state every measured Place follows an (unmeasured) Release of the client's oldest VM
            if (mine.size() >= VMS_PER_CLIENT) {
                stub.release(mine.removeFirst().release());
                releases[client]++;
            }
            return placeAlone.run(stub, client, mine);
        };
        GetAllocationRequest nothing = GetAllocationRequest.getDefaultInstance();
        Call empty = (stub, client, mine) -> {
            long t0 = System.nanoTime();
            stub.getAllocation(nothing);
            return System.nanoTime() - t0;
        };
        // configured as the engine's server: handlers on the transport's threads (directExecutor)
        Server emptyServer = NettyServerBuilder.forPort(0).directExecutor()
                .addService(new PlacementServiceGrpc.PlacementServiceImplBase() {
                    @Override
                    public void getAllocation(GetAllocationRequest request, StreamObserver<Allocation> responses) {
                        responses.onNext(Allocation.getDefaultInstance());
                        responses.onCompleted();
                    }
                }).build().start();
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        try (RunningEngine engine = RunningEngine.start(database, postgres.username(), postgres.password(),
                "file:" + inventory,
                "--spring.datasource.hikari.maximum-pool-size=16", "--logging.level.root=WARN",
                "--logging.level.dev.cirrus.placement.allocation.GroupCommit=INFO")) {
            ManagedChannel engineChannel = channel(engine.grpcPort());
            ManagedChannel emptyChannel = channel(emptyServer.getPort());
            List<Deque<TestVm>> vms = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                vms.add(new ArrayDeque<>());
            }
            // warm-up (not counted): the regions filled to their steady state, and the JIT compilers done with every
            // measured path, the open loop's asynchronous calls included (they would otherwise take CPU from the
            // measured rounds: the engine and the clients share a JVM; without the open loop here, the first paced
            // round deoptimised the gRPC client's call paths, compiled for blocking calls only, and the JIT's
            // recompiling took a core for a second: stalls of 250-400 ms at that round's start)
            for (int w = 0; w < 3; w++) {
                run(engineChannel, threads, placeSeconds, place, vms);
                run(emptyChannel, threads, emptySeconds, empty, vms);
                run(engineChannel, threads, placeSeconds, placeAlone, vms);
                releaseDownTo(engineChannel, threads, vms);
                runOpenLoop(engineChannel, placeSeconds, PACED_RATE, regions, vms);
                releaseDownTo(engineChannel, threads, vms);
            }
            SLOW.clear();
            long compiledBefore = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            Arrays.fill(releases, 0);
            List<Phase> places = new ArrayList<>();
            List<Phase> empties = new ArrayList<>();
            long commits = 0;
            double placeJvm = 0;
            double placePostgres = 0;
            double emptyJvm = 0;
            double placeThreads = 0;
            double placeWriter = 0;
            double emptyThreads = 0;
            List<Phase> alones = new ArrayList<>();
            double aloneJvm = 0;
            double aloneThreads = 0;
            double alonePostgres = 0;
            long aloneCommits = 0;
            long releasedBetween = 0;
            double releaseSeconds = 0;
            List<Phase> paced = new ArrayList<>();
            long pacedGcMillis = 0;
            List<long[]> pacedStalls = new ArrayList<>();
            java.util.Map<String, Double> pacedServer = new java.util.TreeMap<>();
            long pacedStart;
            for (int r = 0; r < rounds; r++) {
                double jvm = jvmCpu();
                var threadsBefore = threadCpu();
                empties.add(run(emptyChannel, threads, emptySeconds, empty, vms));
                emptyJvm += jvmCpu() - jvm;
                emptyThreads += threadCpu(threadsBefore, threadCpu(), null);
                long before = commits(stats);
                List<Integer> backends = stats.queryForList("select pid from pg_stat_activity"
                        + " where datname = current_database() and pid <> pg_backend_pid()", Integer.class);
                var postgresBefore = postgresCpu(backends);
                jvm = jvmCpu();
                threadsBefore = threadCpu();
                places.add(run(engineChannel, threads, placeSeconds, place, vms));
                placeJvm += jvmCpu() - jvm;
                var threadsAfter = threadCpu();
                placeThreads += threadCpu(threadsBefore, threadsAfter, null);
                placeWriter += threadCpu(threadsBefore, threadsAfter, "placement-group-commit");
                placePostgres += postgresCpu(postgresBefore, postgresCpu(backends));
                commits += commits(stats) - before;

                before = commits(stats);
                postgresBefore = postgresCpu(backends);
                jvm = jvmCpu();
                threadsBefore = threadCpu();
                alones.add(run(engineChannel, threads, placeSeconds, placeAlone, vms));
                aloneJvm += jvmCpu() - jvm;
                aloneThreads += threadCpu(threadsBefore, threadCpu(), null);
                alonePostgres += postgresCpu(postgresBefore, postgresCpu(backends));
                aloneCommits += commits(stats) - before;
                long t0 = System.nanoTime();
                releasedBetween += releaseDownTo(engineChannel, threads, vms);
                releaseSeconds += (System.nanoTime() - t0) / 1e9;

                long gcBefore = gcMillis();
                java.util.Map<String, Object> serverBefore = serverStats(stats);
                SLOW.clear();
                pacedStart = System.nanoTime();
                MachineSampler machine = new MachineSampler();
                PostgresSampler postgresSampler = new PostgresSampler(sampling);
                paced.add(runOpenLoop(engineChannel, placeSeconds, PACED_RATE, regions, vms));
                machine.close();
                postgresSampler.close();
                System.out.println("paced round " + r + " as a whole: " + machine.during(pacedStart, System.nanoTime())
                        + "; " + postgresSampler.during(pacedStart, System.nanoTime()));
                pacedGcMillis += gcMillis() - gcBefore;
                java.util.Map<String, Object> serverAfter = serverStats(stats);
                System.out.println("paced round " + r + ": PostgreSQL before " + serverBefore + ", after " + serverAfter);
                for (String k : serverAfter.keySet()) {
                    if (!k.equals("wal_files")) {
                        pacedServer.merge(k, ((Number) serverAfter.get(k)).doubleValue()
                                - ((Number) serverBefore.get(k)).doubleValue(), Double::sum);
                    }
                }
                for (long[] st : stalls()) {
                    pacedStalls.add(new long[] {st[0], st[1], st[2], (st[0] - pacedStart) / 1_000_000});
                    System.out.println("paced stall at " + java.time.Instant.now().minusNanos(System.nanoTime() - st[0])
                            + " for " + (st[1] - st[0]) / 1_000_000 + " ms (" + st[2] + " calls, issued up to "
                            + st[3] / 1_000_000 + " ms late); " + machine.during(st[0], st[1]) + "; "
                            + postgresSampler.during(st[0], st[1]));
                }
                releaseDownTo(engineChannel, threads, vms);
            }
            // leave nothing behind
            var stub = PlacementServiceGrpc.newBlockingStub(engineChannel);
            for (Deque<TestVm> mine : vms) {
                mine.forEach(vm -> stub.release(vm.release()));
            }
            engineChannel.shutdownNow();
            emptyChannel.shutdownNow();
            return new Comparison(
                    figures("Place over gRPC (16 clients, 4 regions, PostgreSQL)", places),
                    figures("empty gRPC call (16 clients)", empties),
                    Arrays.stream(releases).sum(), commits, placeJvm, placePostgres, emptyJvm,
                    (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - compiledBefore) / 1000.0,
                    placeThreads, placeWriter, emptyThreads,
                    figures("Place alone over gRPC (16 clients, 4 regions, 10,000 hosts, PostgreSQL)", alones),
                    aloneJvm, aloneThreads, alonePostgres, aloneCommits, releasedBetween, releaseSeconds,
                    figures("Place alone at " + (int) PACED_RATE + "/s (open loop: calls issued on schedule)", paced),
                    tail(pacedStalls, pacedGcMillis) + "; PostgreSQL during the paced rounds: WAL flushed "
                            + Math.round(pacedServer.getOrDefault("wal_sync", 0.0)) + " times in "
                            + Math.round(pacedServer.getOrDefault("wal_sync_ms", 0.0)) + " ms, "
                            + Math.round(pacedServer.getOrDefault("checkpoints_timed", 0.0)
                                    + pacedServer.getOrDefault("checkpoints_req", 0.0)) + " checkpoint(s), "
                            + Math.round(pacedServer.getOrDefault("autovacuums", 0.0)) + " autovacuum run(s), "
                            + Math.round(pacedServer.getOrDefault("wal_fpi", 0.0)) + " full-page images");
        } finally {
            threads.shutdownNow();
            emptyServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Gives back the capacity the Place-alone rounds took: every client releases its VMs beyond the steady state's
     * {@link #VMS_PER_CLIENT}, newest first, over the same channel; returns how many were released.
     */
    private static long releaseDownTo(ManagedChannel channel, ExecutorService threads, List<Deque<TestVm>> vms)
            throws Exception {
        List<Future<Long>> futures = new ArrayList<>();
        for (Deque<TestVm> mine : vms) {
            futures.add(threads.submit(() -> {
                var stub = PlacementServiceGrpc.newBlockingStub(channel);
                long n = 0;
                while (mine.size() > VMS_PER_CLIENT) {
                    stub.withDeadlineAfter(30, TimeUnit.SECONDS).release(mine.removeLast().release());
                    n++;
                }
                return n;
            }));
        }
        long released = 0;
        for (Future<Long> f : futures) {
            released += f.get();
        }
        return released;
    }

    /** Transactions committed in the bench's database so far (PostgreSQL's statistics, flushed within a second). */
    private static long commits(JdbcTemplate stats) throws InterruptedException {
        Thread.sleep(1100); // lets PostgreSQL flush its statistics: this is a benchmark, not a test
        Long n = stats.queryForObject("select xact_commit from pg_stat_database where datname = current_database()",
                Long.class);
        return n == null ? 0 : n;
    }

    /** CPU seconds this JVM used so far. */
    private static double jvmCpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    /**
     * CPU nanoseconds each live Java thread used so far, by thread id, with its name. Java threads only: the JIT
     * compilers and the garbage collector are not among them, so this survives a machine whose load makes the JIT
     * take long.
     */
    private static java.util.Map<Long, java.util.Map.Entry<String, Long>> threadCpu() {
        var mx = ManagementFactory.getThreadMXBean();
        java.util.Map<Long, java.util.Map.Entry<String, Long>> cpu = new java.util.HashMap<>();
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null) {
                long t = mx.getThreadCpuTime(info.getThreadId());
                if (t >= 0) {
                    cpu.put(info.getThreadId(), java.util.Map.entry(info.getThreadName(), t));
                }
            }
        }
        return cpu;
    }

    /** CPU seconds used between two readings by the threads (named {@code name}, or all when null). */
    private static double threadCpu(java.util.Map<Long, java.util.Map.Entry<String, Long>> before,
                                    java.util.Map<Long, java.util.Map.Entry<String, Long>> after, String name) {
        long nanos = 0;
        for (var e : after.entrySet()) {
            if (name != null && !e.getValue().getKey().equals(name)) {
                continue;
            }
            var b = before.get(e.getKey());
            nanos += e.getValue().getValue() - (b == null ? 0 : b.getValue());
        }
        return nanos / 1e9;
    }

    /** CPU ticks (1/100 s) each PostgreSQL backend used so far (Linux /proc); backends that are gone are left out. */
    private static java.util.Map<Integer, Long> postgresCpu(List<Integer> pids) {
        java.util.Map<Integer, Long> ticks = new java.util.HashMap<>();
        for (int pid : pids) {
            try {
                String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid + "", "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12])); // utime, stime (fields 14 and 15)
            } catch (java.io.IOException | RuntimeException e) {
                // gone (or no /proc): not counted
            }
        }
        return ticks;
    }

    /** CPU seconds used between two readings by the backends present in both. */
    private static double postgresCpu(java.util.Map<Integer, Long> before, java.util.Map<Integer, Long> after) {
        long ticks = 0;
        for (var e : after.entrySet()) {
            Long b = before.get(e.getKey());
            if (b != null) {
                ticks += e.getValue() - b;
            }
        }
        return ticks / 100.0;
    }

    private static ManagedChannel channel(int port) {
        // the platform's service credential, as every caller of the engine sends it (also to the empty server, so
        // both carry the same metadata)
        return Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
                .intercept(ServiceCredentialGrpc.clientInterceptor(new ServiceCredential(ServiceCredentials.value())))
                .build();
    }

    /** The measured calls of one phase, and how long the phase took (until its last call returned). */
    private record Phase(long[] latencies, double seconds) {
    }

    /**
     * Place at a fixed rate, open loop: one thread issues the calls asynchronously at even intervals whatever the
     * answers, spread over the {@link #CLIENTS} clients' VM lists; each latency runs from the call's scheduled start
     * to its answer (a late issue counts). The VMs placed join their client's list, for the release that follows.
     */
    private static Phase runOpenLoop(ManagedChannel channel, double seconds, double perSecond, String[] regions,
                                     List<Deque<TestVm>> vms) throws Exception {
        var stub = PlacementServiceGrpc.newStub(channel);
        long interval = (long) (1e9 / perSecond);
        int total = (int) (seconds * perSecond);
        long[] latencies = new long[total];
        long[] issueLate = new long[total];
        CountDownLatch answered = new CountDownLatch(total);
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        List<java.util.Queue<TestVm>> placed = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            placed.add(new java.util.concurrent.ConcurrentLinkedQueue<>());
        }
        long start = System.nanoTime() + 5_000_000;
        long[] last = new long[1];
        for (int i = 0; i < total; i++) {
            long scheduled = start + interval * i;
            for (long wait; (wait = scheduled - System.nanoTime()) > 0; ) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            long issued = System.nanoTime();
            issueLate[i] = issued - scheduled;
            int client = i % CLIENTS;
            int index = i;
            TestVm vm = TestVm.in(regions[client % regions.length]).size(2, 8192);
            stub.withDeadlineAfter(30, TimeUnit.SECONDS).place(vm.place(), new StreamObserver<>() {
                @Override
                public void onNext(dev.cirrus.contracts.placement.v1.PlaceResponse response) {
                }

                @Override
                public void onError(Throwable t) {
                    failed.incrementAndGet();
                    answered.countDown();
                }

                @Override
                public void onCompleted() {
                    long now = System.nanoTime();
                    latencies[index] = now - scheduled;
                    if (now - scheduled > SLOW_NANOS) {
                        SLOW.add(new long[] {scheduled, now, issued});
                    }
                    placed.get(client).add(vm);
                    synchronized (last) {
                        last[0] = Math.max(last[0], now);
                    }
                    answered.countDown();
                }
            });
        }
        if (!answered.await(60, TimeUnit.SECONDS) || failed.get() > 0) {
            throw new IllegalStateException("open-loop Place: " + failed.get() + " failed, "
                    + answered.getCount() + " unanswered");
        }
        for (int c = 0; c < CLIENTS; c++) {
            vms.get(c).addAll(placed.get(c));
        }
        long[] late = issueLate.clone();
        java.util.Arrays.sort(late);
        System.out.println("open-loop round: calls issued late by p50 " + late[late.length / 2] / 1000 + " us, p99 "
                + late[(int) (late.length * 0.99)] / 1000 + " us, max " + late[late.length - 1] / 1000 + " us");
        long end;
        synchronized (last) {
            end = last[0];
        }
        return new Phase(latencies, (end - start) / 1e9);
    }

    /** Paced calls slower than {@link #SLOW_NANOS}: {scheduled start, answer, actual issue} in nanoTime. */
    private static final java.util.Queue<long[]> SLOW = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private static final long SLOW_NANOS = 20_000_000;

    /** The slow calls of the last paced phase merged into stalls: {start, end, calls, latest issue} of each overlapping run. */
    private static List<long[]> stalls() {
        List<long[]> calls = new ArrayList<>(SLOW);
        calls.sort(java.util.Comparator.comparingLong(c -> c[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] c : calls) {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && c[0] <= last[1]) {
                last[1] = Math.max(last[1], c[1]);
                last[2]++;
                last[3] = Math.max(last[3], c[2] - c[0]);
            } else {
                merged.add(new long[] {c[0], c[1], 1, c[2] - c[0]});
            }
        }
        return merged;
    }

    /** Where the paced rounds' tail comes from: the stalls (overlapping slow calls) and the GC time. */
    private static String tail(List<long[]> stalls, long gcMillis) {
        long slowCalls = stalls.stream().mapToLong(s -> s[2]).sum();
        long longest = stalls.stream().mapToLong(s -> s[1] - s[0]).max().orElse(0);
        return slowCalls + " paced calls took over " + SLOW_NANOS / 1_000_000 + " ms from their scheduled start; they fall in "
                + stalls.size() + " stall(s) (overlapping slow calls merged), the longest " + longest / 1_000_000
                + " ms; garbage collection took " + gcMillis + " ms in all during the paced rounds; stalls (ms into their "
                + "round: length): " + stalls.stream().map(st -> st[3] + ": " + (st[1] - st[0]) / 1_000_000)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** What PostgreSQL did: WAL written and synced, checkpoints, autovacuum runs, WAL files (bench diagnostics). */
    private static java.util.Map<String, Object> serverStats(JdbcTemplate stats) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.putAll(stats.queryForMap("select wal_bytes, wal_fpi, wal_write, wal_sync, round(wal_sync_time) as wal_sync_ms,"
                + " wal_buffers_full from pg_stat_wal"));
        m.putAll(stats.queryForMap("select checkpoints_timed, checkpoints_req, round(checkpoint_sync_time) as ckpt_sync_ms,"
                + " buffers_backend_fsync from pg_stat_bgwriter"));
        m.putAll(stats.queryForMap("select coalesce(sum(autovacuum_count), 0) as autovacuums,"
                + " coalesce(sum(autoanalyze_count), 0) as autoanalyzes from pg_stat_user_tables"));
        m.putAll(stats.queryForMap("select count(*) as wal_files from pg_ls_waldir()"));
        return m;
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static Figures figures(String what, List<Phase> phases) {
        long[] all = phases.stream().flatMapToLong(p -> Arrays.stream(p.latencies())).sorted().toArray();
        double seconds = phases.stream().mapToDouble(Phase::seconds).sum();
        return new Figures(what, all.length, seconds, all.length / seconds, all[all.length / 2] / 1e6,
                all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)] / 1e6);
    }

    private static Phase run(ManagedChannel channel, ExecutorService threads, double seconds, Call call,
                             List<Deque<TestVm>> vms) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        List<Future<long[]>> futures = new ArrayList<>();
        long[] finished = new long[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            futures.add(threads.submit(() -> {
                var stub = PlacementServiceGrpc.newBlockingStub(channel);
                long[] latencies = new long[1 << 16];
                int n = 0;
                go.await();
                while (System.nanoTime() < end) {
                    long latency = call.run(stub.withDeadlineAfter(30, TimeUnit.SECONDS), client, vms.get(client));
                    if (n == latencies.length) {
                        latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = latency;
                }
                finished[client] = System.nanoTime();
                return Arrays.copyOf(latencies, n);
            }));
        }
        go.countDown();
        List<long[]> out = new ArrayList<>();
        for (Future<long[]> f : futures) {
            out.add(f.get());
        }
        long last = Arrays.stream(finished).max().orElse(end);
        return new Phase(out.stream().flatMapToLong(Arrays::stream).toArray(), (last - start) / 1e9);
    }

    private GrpcLoad() {
    }
}
