package dev.cirrus.placement.grpc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.cirrus.contracts.arm.ArmLocations;
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
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * The gRPC {@code PlacementService} of {@code placement.proto}: translates messages, calls {@link Placements} and
 * {@link HostOperations}, and answers failures with the statuses of {@link GrpcStatuses}. Takes its collaborators
 * in its constructor, so any server (Netty, in-process) can serve it.
 *
 * <p>Threads: the server runs handlers on the transport's own threads (directExecutor), which must never block.
 * Place and Release decide there (microseconds under the decision lock) and are answered by the group-commit
 * writer once their change is committed; GetAllocation and ListAllocations by group or host read the in-memory
 * state there, answered at once or after the commit of what was decided before them. Every other call (PlaceMany
 * too: up to 1000 decisions; ListAllocations by rack), and any of these while the engine must first read its state
 * from the database, runs on {@code blocking}.
 */
final class PlacementGrpcService extends PlacementServiceGrpc.PlacementServiceImplBase {

    private final Placements placements;
    private final HostOperations operations;
    private final InventoryRepository inventory;
    private final Maintenances maintenances;
    private final Executor blocking;

    PlacementGrpcService(Placements placements, HostOperations operations, InventoryRepository inventory,
                         Maintenances maintenances, Executor blocking) {
        this.placements = placements;
        this.operations = operations;
        this.inventory = inventory;
        this.maintenances = maintenances;
        this.blocking = blocking;
    }

    @Override
    public void place(PlaceRequest request, StreamObserver<PlaceResponse> responses) {
        later(responses, () -> placements.placeAllLater(List.of(ProtoMapping.request(request))),
                placed -> PlaceResponse.newBuilder().setAllocation(ProtoMapping.allocation(placed.getFirst())).build());
    }

    @Override
    public void placeMany(PlaceManyRequest request, StreamObserver<PlaceManyResponse> responses) {
        // up to 1000 decisions: not on the transport's threads
        answer(responses, () -> PlaceManyResponse.newBuilder()
                .addAllAllocations(placements.placeAll(request.getVmsList().stream().map(ProtoMapping::request)
                        .toList()).stream().map(ProtoMapping::allocation).toList())
                .build());
    }

    @Override
    public void release(ReleaseRequest request, StreamObserver<ReleaseResponse> responses) {
        later(responses, () -> placements.releaseLater(request.getVmId()),
                released -> ReleaseResponse.newBuilder().setReleased(released).build());
    }

    /** From the engine's in-memory state once it is committed (see {@link Placements#allocationLater}). */
    @Override
    public void getAllocation(GetAllocationRequest request, StreamObserver<Allocation> responses) {
        later(responses, () -> placements.allocationLater(request.getVmId()), ProtoMapping::allocation);
    }

    /** By group or host from the in-memory committed state; by rack from the database (on {@code blocking}). */
    @Override
    public void listAllocations(ListAllocationsRequest request, StreamObserver<ListAllocationsResponse> responses) {
        Function<List<dev.cirrus.placement.allocation.Allocation>, ListAllocationsResponse> reply = found ->
                ListAllocationsResponse.newBuilder()
                        .addAllAllocations(found.stream().map(ProtoMapping::allocation).toList()).build();
        switch (request.getSelectorCase()) {
            case GROUP_ID -> later(responses, () -> {
                if (request.getGroupId().isBlank()) {
                    throw invalid("group_id must not be empty");
                }
                return placements.ofGroupLater(request.getGroupId());
            }, reply);
            case HOST -> later(responses, () -> placements.onLater(
                    dev.cirrus.placement.allocation.HostSelector.host(request.getHost())), reply);
            case RACK -> answer(responses, () -> reply.apply(placements.onLater(
                    dev.cirrus.placement.allocation.HostSelector.rack(request.getRack().getCluster(),
                            request.getRack().getRack())).join()));
            case SELECTOR_NOT_SET -> responses.onError(GrpcStatuses.of(
                    invalid("one of group_id, host or rack is required")).asRuntimeException());
        }
    }

    @Override
    public void listHosts(ListHostsRequest request, StreamObserver<ListHostsResponse> responses) {
        answer(responses, () -> {
            List<HostUsage> hosts = request.getRegion().isBlank() ? inventory.hosts()
                    : inventory.hosts(ArmLocations.normalise(request.getRegion()));
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

    /**
     * Decides now, on the calling (transport) thread, and answers when the change is committed; hands the whole call
     * to {@code blocking} when deciding would first read the database.
     */
    private <A, T> void later(StreamObserver<T> responses, Supplier<CompletableFuture<A>> call, Function<A, T> reply) {
        if (responses instanceof ServerCallStreamObserver<T> server) {
            server.setOnCancelHandler(() -> { }); // a cancelled caller simply gets no answer
        }
        if (!placements.ready()) {
            answer(responses, () -> {
                try {
                    return reply.apply(call.get().join());
                } catch (CompletionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : e;
                }
            });
            return;
        }
        CompletableFuture<A> committed;
        try {
            committed = call.get();
        } catch (RuntimeException e) {
            responses.onError(GrpcStatuses.of(e).asRuntimeException());
            return;
        }
        committed.whenComplete((answer, failure) -> {
            T response;
            try {
                if (failure != null) {
                    throw failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
                }
                response = reply.apply(answer);
            } catch (RuntimeException e) {
                responses.onError(GrpcStatuses.of(e).asRuntimeException());
                return;
            } catch (Throwable e) {
                responses.onError(GrpcStatuses.of(new IllegalStateException(e)).asRuntimeException());
                return;
            }
            responses.onNext(response);
            responses.onCompleted();
        });
    }

    /** Runs a call that may block (database reads, host operations, maintenance) on {@code blocking}. */
    private <T> void answer(StreamObserver<T> responses, Supplier<T> call) {
        blocking.execute(() -> answerNow(responses, call));
    }

    private static <T> void answerNow(StreamObserver<T> responses, Supplier<T> call) {
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
