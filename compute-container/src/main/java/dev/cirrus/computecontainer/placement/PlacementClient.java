package dev.cirrus.computecontainer.placement;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.cirrus.contracts.placement.v1.PlaceRequest;
import dev.cirrus.contracts.placement.v1.PlaceResponse;
import dev.cirrus.contracts.placement.v1.PlacementServiceGrpc;
import dev.cirrus.contracts.placement.v1.ReleaseRequest;
import dev.cirrus.contracts.placement.v1.VmSize;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The placement engine's gRPC API as compute-container uses it: a container group is placed like a standalone VM
 * whose "size" is the group's request, keyed by the group's platform id, so Place and Release are idempotent per
 * group and a retry after a lost answer cannot allocate twice. The engine counts whole vCPUs and MiB: a group of
 * 1.5 vCPU and 1.5 GB holds 2 vCPUs and 1,536 MiB of its host. Answers are outcomes, not exceptions: the worker
 * decides what a refusal or silence means (it retries silence until the operation's deadline).
 */
public class PlacementClient {

    /** The size name the engine records for container groups. */
    static final String SIZE = "ContainerGroup";

    private final ManagedChannel channel;
    private final PlacementServiceGrpc.PlacementServiceBlockingStub stub;
    private final long deadlineMillis;

    public PlacementClient(ManagedChannel channel, PlacementProperties properties) {
        this.channel = channel;
        this.stub = PlacementServiceGrpc.newBlockingStub(channel);
        this.deadlineMillis = properties.callDeadline().toMillis();
    }

    public PlaceOutcome place(UUID groupId, String resourceId, String location, BigDecimal cpu, BigDecimal memoryInGB) {
        PlaceRequest request = PlaceRequest.newBuilder()
                .setVmId(groupId.toString())
                .setResourceId(resourceId)
                .setLocation(location)
                .setSize(VmSize.newBuilder().setName(SIZE)
                        .setVcpus(cpu.setScale(0, RoundingMode.CEILING).intValueExact())
                        .setMemoryMib(memoryInGB.multiply(BigDecimal.valueOf(1024)).setScale(0, RoundingMode.CEILING)
                                .intValueExact()))
                .build();
        try {
            PlaceResponse response = stub.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS).place(request);
            var a = response.getAllocation();
            return new PlaceOutcome.Placed(a.getHost(), a.getCluster(), a.getRack(), a.getFaultDomain());
        } catch (StatusRuntimeException e) {
            if (isTransient(e)) {
                reconnect(e);
                return new PlaceOutcome.Unavailable(describe(e));
            }
            String diagnosis = e.getStatus().getDescription();
            return new PlaceOutcome.Refused(e.getStatus().getCode().name(),
                    diagnosis == null || diagnosis.isBlank() ? "The placement engine refused the request." : diagnosis);
        }
    }

    /** True when the group holds no capacity any more; false when the engine did not answer (it may still hold). */
    public boolean release(UUID groupId) {
        try {
            stub.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
                    .release(ReleaseRequest.newBuilder().setVmId(groupId.toString()).build());
            return true;
        } catch (StatusRuntimeException e) {
            reconnect(e);
            return false;
        }
    }

    private void reconnect(StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
            // reconnect now instead of after the channel's exponential reconnect backoff (up to minutes)
            channel.resetConnectBackoff();
        }
    }

    static boolean isTransient(StatusRuntimeException e) {
        return switch (e.getStatus().getCode()) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, INTERNAL, UNKNOWN, CANCELLED -> true;
            default -> false;
        };
    }

    private static String describe(StatusRuntimeException e) {
        Status s = e.getStatus();
        return s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
    }
}
