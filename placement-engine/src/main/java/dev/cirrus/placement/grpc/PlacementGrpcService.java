package dev.cirrus.placement.grpc;

import java.util.function.Supplier;

import dev.cirrus.contracts.placement.v1.Allocation;
import dev.cirrus.contracts.placement.v1.GetAllocationRequest;
import dev.cirrus.contracts.placement.v1.PlaceRequest;
import dev.cirrus.contracts.placement.v1.PlaceResponse;
import dev.cirrus.contracts.placement.v1.PlacementServiceGrpc;
import dev.cirrus.contracts.placement.v1.ReleaseRequest;
import dev.cirrus.contracts.placement.v1.ReleaseResponse;
import dev.cirrus.placement.allocation.Placements;
import io.grpc.stub.StreamObserver;

/**
 * The gRPC {@code PlacementService} of {@code placement.proto}: translates messages, calls {@link Placements},
 * and answers failures with the statuses of {@link GrpcStatuses}. Takes its collaborator in its constructor, so
 * any server (Netty, in-process) can serve it.
 */
final class PlacementGrpcService extends PlacementServiceGrpc.PlacementServiceImplBase {

    private final Placements placements;

    PlacementGrpcService(Placements placements) {
        this.placements = placements;
    }

    @Override
    public void place(PlaceRequest request, StreamObserver<PlaceResponse> responses) {
        answer(responses, () -> PlaceResponse.newBuilder()
                .setAllocation(ProtoMapping.allocation(placements.place(ProtoMapping.request(request))))
                .build());
    }

    @Override
    public void release(ReleaseRequest request, StreamObserver<ReleaseResponse> responses) {
        answer(responses, () -> ReleaseResponse.newBuilder()
                .setReleased(placements.release(request.getVmId()))
                .build());
    }

    @Override
    public void getAllocation(GetAllocationRequest request, StreamObserver<Allocation> responses) {
        answer(responses, () -> ProtoMapping.allocation(placements.allocation(request.getVmId())));
    }

    private static <T> void answer(StreamObserver<T> responses, Supplier<T> call) {
        T response;
        try {
            response = call.get();
        } catch (RuntimeException e) {
            responses.onError(GrpcStatuses.of(e).asRuntimeException());
            return;
        }
        responses.onNext(response);
        responses.onCompleted();
    }
}
