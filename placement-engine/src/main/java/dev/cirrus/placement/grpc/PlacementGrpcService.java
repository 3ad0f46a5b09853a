package dev.cirrus.placement.grpc;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import dev.cirrus.contracts.placement.v1.Allocation;
import dev.cirrus.contracts.placement.v1.GetAllocationRequest;
import dev.cirrus.contracts.placement.v1.GetMaintenanceRequest;
import dev.cirrus.contracts.placement.v1.Maintenance;
import dev.cirrus.contracts.placement.v1.StartMaintenanceRequest;
import dev.cirrus.placement.maintenance.Maintenances;
import dev.cirrus.contracts.placement.v1.HostOperationResponse;
import dev.cirrus.contracts.placement.v1.HostSelector;
import dev.cirrus.contracts.placement.v1.ListAllocationsRequest;
import dev.cirrus.contracts.placement.v1.ListAllocationsResponse;
import dev.cirrus.contracts.placement.v1.ListHostsRequest;
import dev.cirrus.contracts.placement.v1.ListHostsResponse;
import dev.cirrus.contracts.placement.v1.PlaceManyRequest;
import dev.cirrus.contracts.placement.v1.PlaceManyResponse;
import dev.cirrus.contracts.placement.v1.PlaceRequest;
import dev.cirrus.contracts.placement.v1.PlaceResponse;
import dev.cirrus.contracts.placement.v1.PlacementServiceGrpc;
import dev.cirrus.contracts.placement.v1.ReleaseRequest;
import dev.cirrus.contracts.placement.v1.ReleaseResponse;
import dev.cirrus.placement.allocation.HostOperations;
import dev.cirrus.placement.allocation.PlacementRefusal;
import dev.cirrus.placement.allocation.Placements;
import dev.cirrus.placement.inventory.HostUsage;
import dev.cirrus.placement.inventory.InventoryRepository;
import dev.cirrus.placement.inventory.Locations;
import io.grpc.stub.StreamObserver;

/**
 * The gRPC {@code PlacementService} of {@code placement.proto}: translates messages, calls {@link Placements} and
 * {@link HostOperations}, and answers failures with the statuses of {@link GrpcStatuses}. Takes its collaborators
 * in its constructor, so any server (Netty, in-process) can serve it.
 */
final class PlacementGrpcService extends PlacementServiceGrpc.PlacementServiceImplBase {

    private final Placements placements;
    private final HostOperations operations;
    private final InventoryRepository inventory;
    private final Maintenances maintenances;

    PlacementGrpcService(Placements placements, HostOperations operations, InventoryRepository inventory,
                         Maintenances maintenances) {
        this.placements = placements;
        this.operations = operations;
        this.inventory = inventory;
        this.maintenances = maintenances;
    }

    @Override
    public void place(PlaceRequest request, StreamObserver<PlaceResponse> responses) {
        answer(responses, () -> PlaceResponse.newBuilder()
                .setAllocation(ProtoMapping.allocation(placements.place(ProtoMapping.request(request))))
                .build());
    }

    @Override
    public void placeMany(PlaceManyRequest request, StreamObserver<PlaceManyResponse> responses) {
        answer(responses, () -> PlaceManyResponse.newBuilder()
                .addAllAllocations(placements.placeAll(request.getVmsList().stream().map(ProtoMapping::request)
                        .toList()).stream().map(ProtoMapping::allocation).toList())
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

    @Override
    public void listAllocations(ListAllocationsRequest request, StreamObserver<ListAllocationsResponse> responses) {
        answer(responses, () -> {
            List<dev.cirrus.placement.allocation.Allocation> found = switch (request.getSelectorCase()) {
                case GROUP_ID -> {
                    if (request.getGroupId().isBlank()) {
                        throw invalid("group_id must not be empty");
                    }
                    yield placements.ofGroup(request.getGroupId());
                }
                case HOST -> placements.on(dev.cirrus.placement.allocation.HostSelector.host(request.getHost()));
                case RACK -> placements.on(dev.cirrus.placement.allocation.HostSelector.rack(
                        request.getRack().getCluster(), request.getRack().getRack()));
                case SELECTOR_NOT_SET -> throw invalid("one of group_id, host or rack is required");
            };
            return ListAllocationsResponse.newBuilder()
                    .addAllAllocations(found.stream().map(ProtoMapping::allocation).toList()).build();
        });
    }

    @Override
    public void listHosts(ListHostsRequest request, StreamObserver<ListHostsResponse> responses) {
        answer(responses, () -> {
            List<HostUsage> hosts = request.getRegion().isBlank() ? inventory.hosts()
                    : inventory.hosts(Locations.normalize(request.getRegion()));
            if (hosts.isEmpty()) {
                throw new PlacementRefusal(PlacementRefusal.Reason.UNKNOWN_LOCATION,
                        "no hosts in location '" + request.getRegion() + "'");
            }
            return ListHostsResponse.newBuilder().addAllHosts(hosts.stream().map(ProtoMapping::host).toList())
                    .build();
        });
    }

    @Override
    public void failHosts(HostSelector request, StreamObserver<HostOperationResponse> responses) {
        answer(responses, () -> ProtoMapping.outcome(operations.fail(ProtoMapping.selector(request))));
    }

    @Override
    public void drainHosts(HostSelector request, StreamObserver<HostOperationResponse> responses) {
        answer(responses, () -> ProtoMapping.outcome(operations.drain(ProtoMapping.selector(request))));
    }

    @Override
    public void recoverHosts(HostSelector request, StreamObserver<HostOperationResponse> responses) {
        answer(responses, () -> ProtoMapping.outcome(operations.recover(ProtoMapping.selector(request))));
    }

    @Override
    public void startMaintenance(StartMaintenanceRequest request, StreamObserver<Maintenance> responses) {
        answer(responses, () -> ProtoMapping.maintenance(maintenances.start(request.getRegion(), request.getCluster(),
                request.getPauseMillis() == 0 ? null : Duration.ofMillis(request.getPauseMillis()))));
    }

    @Override
    public void getMaintenance(GetMaintenanceRequest request, StreamObserver<Maintenance> responses) {
        answer(responses, () -> ProtoMapping.maintenance(maintenances.get(request.getId())));
    }

    private static PlacementRefusal invalid(String problem) {
        return new PlacementRefusal(PlacementRefusal.Reason.INVALID_REQUEST, problem);
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
