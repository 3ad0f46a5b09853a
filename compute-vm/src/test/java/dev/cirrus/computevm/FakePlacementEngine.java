package dev.cirrus.computevm;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.cirrus.contracts.placement.v1.Allocation;
import dev.cirrus.contracts.placement.v1.GetAllocationRequest;
import dev.cirrus.contracts.placement.v1.PlaceRequest;
import dev.cirrus.contracts.placement.v1.PlaceResponse;
import dev.cirrus.contracts.placement.v1.PlacementServiceGrpc;
import dev.cirrus.contracts.placement.v1.ReleaseRequest;
import dev.cirrus.contracts.placement.v1.ReleaseResponse;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

/**
 * A small placement engine for compute-vm's tests, served by a real grpc-java server on 127.0.0.1: it allocates
 * from two in-test hosts (one per fault domain), and can be told to answer RESOURCE_EXHAUSTED, to hold Place or
 * Release calls until the test lets them go, or to stop. It records what it was asked.
 */
public final class FakePlacementEngine extends PlacementServiceGrpc.PlacementServiceImplBase {

    /** The diagnosis it gives when told that nothing fits. */
    public static final String EXHAUSTED_DIAGNOSIS = "0/2 hosts are available: 2 insufficient vCPU.";

    private record Host(String name, String cluster, String rack, int faultDomain, int updateDomain, int vcpus) {
    }

    private static final List<Host> HOSTS = List.of(
            new Host("we-c1-r0-h01", "we-c1", "we-c1-r0", 0, 0, 64),
            new Host("we-c1-r1-h01", "we-c1", "we-c1-r1", 1, 1, 64));

    private static FakePlacementEngine shared;

    private final Map<String, Allocation> allocations = new ConcurrentHashMap<>();
    private final List<String> placed = new CopyOnWriteArrayList<>();
    private final List<String> released = new CopyOnWriteArrayList<>();
    private volatile boolean exhausted;
    private volatile CountDownLatch placeGate = new CountDownLatch(0);
    private volatile CountDownLatch releaseGate = new CountDownLatch(0);
    private final int port;
    private Server server;

    private FakePlacementEngine(int port) {
        this.port = port;
    }

    /** One running engine for every test class that shares the default test context. */
    public static synchronized FakePlacementEngine shared() {
        if (shared == null) {
            shared = new FakePlacementEngine(0);
            shared.start();
        }
        return shared;
    }

    /** An engine that will listen on {@code port} once started. */
    public static FakePlacementEngine onPort(int port) {
        return new FakePlacementEngine(port);
    }

    public synchronized FakePlacementEngine start() {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).addService(this).build().start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the test placement engine", e);
        }
        return this;
    }

    public synchronized void stop() {
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    public String target() {
        return "127.0.0.1:" + (server != null ? server.getPort() : port);
    }

    public void answerExhausted(boolean value) {
        exhausted = value;
    }

    public void holdPlacements() {
        placeGate = new CountDownLatch(1);
    }

    public void letPlacementsGo() {
        placeGate.countDown();
    }

    public void holdReleases() {
        releaseGate = new CountDownLatch(1);
    }

    public void letReleasesGo() {
        releaseGate.countDown();
    }

    /** Back to a willing engine with open gates. */
    public void reset() {
        exhausted = false;
        letPlacementsGo();
        letReleasesGo();
    }

    public List<String> placedVmIds() {
        return List.copyOf(placed);
    }

    public List<String> releasedVmIds() {
        return List.copyOf(released);
    }

    public Allocation allocationOf(String vmId) {
        return allocations.get(vmId);
    }

    @Override
    public void place(PlaceRequest request, StreamObserver<PlaceResponse> response) {
        await(placeGate);
        if (exhausted) {
            response.onError(Status.RESOURCE_EXHAUSTED.withDescription(EXHAUSTED_DIAGNOSIS).asRuntimeException());
            return;
        }
        Allocation allocation;
        synchronized (this) {
            allocation = allocations.get(request.getVmId());
            if (allocation == null) {
                Host host = HOSTS.stream()
                        .filter(h -> free(h) >= request.getSize().getVcpus())
                        .max((a, b) -> Integer.compare(free(a), free(b)))
                        .orElse(null);
                if (host == null) {
                    response.onError(Status.RESOURCE_EXHAUSTED.withDescription(EXHAUSTED_DIAGNOSIS).asRuntimeException());
                    return;
                }
                allocation = Allocation.newBuilder().setVmId(request.getVmId()).setResourceId(request.getResourceId())
                        .setRegion(request.getLocation()).setCluster(host.cluster()).setRack(host.rack())
                        .setHost(host.name()).setFaultDomain(host.faultDomain()).setUpdateDomain(host.updateDomain())
                        .setSize(request.getSize()).build();
                allocations.put(request.getVmId(), allocation);
                placed.add(request.getVmId());
            }
        }
        response.onNext(PlaceResponse.newBuilder().setAllocation(allocation).build());
        response.onCompleted();
    }

    @Override
    public void release(ReleaseRequest request, StreamObserver<ReleaseResponse> response) {
        await(releaseGate);
        boolean held = allocations.remove(request.getVmId()) != null;
        released.add(request.getVmId());
        response.onNext(ReleaseResponse.newBuilder().setReleased(held).build());
        response.onCompleted();
    }

    @Override
    public void getAllocation(GetAllocationRequest request, StreamObserver<Allocation> response) {
        Allocation a = allocations.get(request.getVmId());
        if (a == null) {
            response.onError(Status.NOT_FOUND.withDescription("no allocation for " + request.getVmId()).asRuntimeException());
        } else {
            response.onNext(a);
            response.onCompleted();
        }
    }

    private int free(Host host) {
        int used = allocations.values().stream().filter(a -> a.getHost().equals(host.name()))
                .mapToInt(a -> a.getSize().getVcpus()).sum();
        return host.vcpus() - used;
    }

    private static void await(CountDownLatch gate) {
        try {
            gate.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
