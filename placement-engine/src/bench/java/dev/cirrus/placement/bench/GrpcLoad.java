package dev.cirrus.placement.bench;

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
import dev.cirrus.testkit.TestInfrastructure;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

/**
 * The gRPC load client: 16 concurrent clients over loopback against a real engine on a real PostgreSQL (each Place
 * is a committed transaction with its outbox event), then the same clients against an empty gRPC call (a server
 * that answers at once: the transport's own limit), in the same run.
 */
final class GrpcLoad {

    static final int CLIENTS = 16;

    record Figures(String what, long calls, double seconds, double perSecond, double p50Ms, double p99Ms) {
    }

    /** One measured call of a client; returns its latency in nanoseconds (unmeasured work may come before it). */
    interface Call {
        long run(PlacementServiceGrpc.PlacementServiceBlockingStub stub, int client, Deque<TestVm> mine);
    }

    static Figures placements(double seconds) throws Exception {
        TestInfrastructure.PostgresEndpoint postgres = TestInfrastructure.postgres();
        String[] regions = {"koreacentral", "westeurope", "eastus", "westus"};
        try (RunningEngine engine = RunningEngine.start(postgres.newDatabase("placement_bench"), postgres.username(),
                postgres.password(), "classpath:inventory/default-topology.yaml",
                "--spring.datasource.hikari.maximum-pool-size=16", "--logging.level.root=WARN")) {
            return load("Place over gRPC (16 clients, 4 regions, PostgreSQL)", engine.grpcPort(), seconds,
                    (stub, client, mine) -> {
                        // keep the regions about half full: each client holds at most 40 VMs of 2 vCPU, so in
                        // steady state every measured Place follows an (unmeasured) Release
                        if (mine.size() >= 40) {
                            stub.release(mine.removeFirst().release());
                        }
                        TestVm vm = TestVm.in(regions[client % regions.length]).size(2, 8192);
                        long t0 = System.nanoTime();
                        stub.place(vm.place());
                        long t = System.nanoTime() - t0;
                        mine.addLast(vm);
                        return t;
                    });
        }
    }

    static Figures emptyCalls(double seconds) throws Exception {
        Server server = NettyServerBuilder.forPort(0).addService(new PlacementServiceGrpc.PlacementServiceImplBase() {
            @Override
            public void getAllocation(GetAllocationRequest request, StreamObserver<Allocation> responses) {
                responses.onNext(Allocation.getDefaultInstance());
                responses.onCompleted();
            }
        }).build().start();
        try {
            GetAllocationRequest empty = GetAllocationRequest.getDefaultInstance();
            return load("empty gRPC call (16 clients)", server.getPort(), seconds,
                    (stub, client, mine) -> {
                        long t0 = System.nanoTime();
                        stub.getAllocation(empty);
                        return System.nanoTime() - t0;
                    });
        } finally {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Warms up for a third of {@code seconds}, then measures; only measured calls count. */
    private static Figures load(String what, int port, double seconds, Call call) throws Exception {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port,
                InsecureChannelCredentials.create()).build();
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        try {
            run(channel, threads, seconds / 3, call);
            long start = System.nanoTime();
            List<long[]> latencies = run(channel, threads, seconds, call);
            double elapsed = (System.nanoTime() - start) / 1e9;
            long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            return new Figures(what, all.length, elapsed, all.length / elapsed, all[all.length / 2] / 1e6,
                    all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)] / 1e6);
        } finally {
            threads.shutdownNow();
            channel.shutdownNow();
        }
    }

    private static List<long[]> run(ManagedChannel channel, ExecutorService threads, double seconds, Call call)
            throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Future<long[]>> futures = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            futures.add(threads.submit(() -> {
                var stub = PlacementServiceGrpc.newBlockingStub(channel);
                Deque<TestVm> mine = new ArrayDeque<>();
                long[] latencies = new long[1 << 16];
                int n = 0;
                go.await();
                while (System.nanoTime() < end) {
                    long latency = call.run(stub.withDeadlineAfter(30, TimeUnit.SECONDS), client, mine);
                    if (n == latencies.length) {
                        latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = latency;
                }
                // leave nothing behind for the next phase
                while (!mine.isEmpty()) {
                    stub.release(mine.removeFirst().release());
                }
                return Arrays.copyOf(latencies, n);
            }));
        }
        go.countDown();
        List<long[]> out = new ArrayList<>();
        for (Future<long[]> f : futures) {
            out.add(f.get());
        }
        return out;
    }

    private GrpcLoad() {
    }

}
