package dev.cirrus.gateway.operator;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.cirrus.contracts.placement.v1.GetMaintenanceRequest;
import dev.cirrus.contracts.placement.v1.HostOperationResponse;
import dev.cirrus.contracts.placement.v1.HostSelector;
import dev.cirrus.contracts.placement.v1.ListAllocationsRequest;
import dev.cirrus.contracts.placement.v1.ListAllocationsResponse;
import dev.cirrus.contracts.placement.v1.ListHostsRequest;
import dev.cirrus.contracts.placement.v1.ListHostsResponse;
import dev.cirrus.contracts.placement.v1.Maintenance;
import dev.cirrus.contracts.placement.v1.PlacementServiceGrpc;
import dev.cirrus.contracts.placement.v1.StartMaintenanceRequest;
import dev.cirrus.gateway.arm.DownstreamFailure;
import dev.cirrus.plumbing.arm.ArmException;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.springframework.stereotype.Component;

/**
 * The placement engine's operator calls (gRPC, blocking: callers run them off the event loop), each with the
 * configured deadline, and the engine's refusals in ARM's words: {@code INVALID_ARGUMENT} → 400, {@code NOT_FOUND}
 * → 404 with the caller's code ({@code HostNotFound}, {@code RackNotFound}, …), {@code FAILED_PRECONDITION} → 409
 * {@code Conflict} (a maintenance already runs in the cluster), an engine that cannot be reached or cannot reach its
 * database ({@code UNAVAILABLE}) → 503 {@code ServiceUnavailable} with {@code Retry-After}, one that does not answer
 * within the deadline → 504 {@code GatewayTimeout}. The engine's message is kept.
 */
@Component
public class PlacementOperator {

    static final String SERVICE = "placement-engine";
    /** what a client waits before retrying an engine that is down: about a restart of the engine */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final PlacementServiceGrpc.PlacementServiceBlockingStub stub;
    private final PlacementProperties properties;

    PlacementOperator(ManagedChannel placementChannel, PlacementProperties properties) {
        this.stub = PlacementServiceGrpc.newBlockingStub(placementChannel);
        this.properties = properties;
    }

    public ListHostsResponse listHosts(String region) {
        return call(s -> s.listHosts(ListHostsRequest.newBuilder().setRegion(region == null ? "" : region).build()),
                "LocationNotFound");
    }

    /** The allocations of an availability set or scale set, a host, or a rack. */
    public ListAllocationsResponse listAllocations(ListAllocationsRequest request, String notFoundCode) {
        return call(s -> s.listAllocations(request), notFoundCode);
    }

    public HostOperationResponse fail(HostSelector selector, String notFoundCode) {
        return call(s -> s.failHosts(selector), notFoundCode);
    }

    public HostOperationResponse recover(HostSelector selector, String notFoundCode) {
        return call(s -> s.recoverHosts(selector), notFoundCode);
    }

    public HostOperationResponse drain(HostSelector selector, String notFoundCode) {
        return call(s -> s.drainHosts(selector), notFoundCode);
    }

    public Maintenance startMaintenance(String region, String cluster, Duration pause) {
        return call(s -> s.startMaintenance(StartMaintenanceRequest.newBuilder().setRegion(region).setCluster(cluster)
                .setPauseMillis(pause == null ? 0 : pause.toMillis()).build()), "ClusterNotFound");
    }

    public Maintenance maintenance(String id) {
        return call(s -> s.getMaintenance(GetMaintenanceRequest.newBuilder().setId(id).build()),
                "MaintenanceNotFound");
    }

    private <T> T call(Function<PlacementServiceGrpc.PlacementServiceBlockingStub, T> call, String notFoundCode) {
        try {
            return call.apply(stub.withDeadlineAfter(properties.deadline().toMillis(), TimeUnit.MILLISECONDS));
        } catch (StatusRuntimeException e) {
            throw translate(e, notFoundCode);
        }
    }

    RuntimeException translate(StatusRuntimeException e, String notFoundCode) {
        Status status = e.getStatus();
        String message = status.getDescription() == null ? status.getCode().name() : status.getDescription();
        return switch (status.getCode()) {
            case INVALID_ARGUMENT -> ArmException.badRequest("InvalidParameter", sentence(message), null);
            case NOT_FOUND -> ArmException.notFound(notFoundCode, sentence(message));
            case FAILED_PRECONDITION -> notFoundCode.equals("LocationNotFound")
                    ? ArmException.notFound(notFoundCode, sentence(message))
                    : ArmException.conflict("Conflict", sentence(message));
            case DEADLINE_EXCEEDED -> new DownstreamFailure("The gateway did not receive a response from the service '"
                    + SERVICE + "' within " + properties.deadline().toMillis() + " ms.", true, null, e);
            case UNAVAILABLE -> new DownstreamFailure("The service '" + SERVICE
                    + "' is unavailable. Retry the request later.", false, RETRY_AFTER, e);
            default -> new ArmException(500, "InternalServerError", "The service '" + SERVICE + "' failed: "
                    + sentence(message), null);
        };
    }

    private static String sentence(String message) {
        String m = message.strip();
        return m.isEmpty() ? m : Character.toUpperCase(m.charAt(0)) + m.substring(1) + (m.endsWith(".") ? "" : ".");
    }
}
