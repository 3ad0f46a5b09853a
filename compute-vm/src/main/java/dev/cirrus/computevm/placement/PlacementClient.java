package dev.cirrus.computevm.placement;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.cirrus.contracts.placement.v1.PlaceRequest;
import dev.cirrus.contracts.placement.v1.PlaceResponse;
import dev.cirrus.contracts.placement.v1.PlacementServiceGrpc;
import dev.cirrus.contracts.placement.v1.ReleaseRequest;
import dev.cirrus.contracts.placement.v1.ReleaseResponse;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The placement engine's gRPC API as compute-vm uses it. Each call has a deadline, is retried with exponential
 * backoff while the failure is transient (Place and Release are idempotent per vm_id, so a retry after a lost answer
 * cannot allocate twice), and runs through a circuit breaker so a dead engine is not called again and again.
 * Answers are outcomes, not exceptions: the caller must decide what a refusal or silence means for the VM.
 */
public class PlacementClient {

    private static final Logger log = LoggerFactory.getLogger(PlacementClient.class);

    private final ManagedChannel channel;
    private final PlacementServiceGrpc.PlacementServiceBlockingStub stub;
    private final long deadlineMillis;
    private final Retry retry;
    private final CircuitBreaker breaker;

    public PlacementClient(ManagedChannel channel, PlacementProperties properties, Retry retry, CircuitBreaker breaker) {
        this.channel = channel;
        this.stub = PlacementServiceGrpc.newBlockingStub(channel);
        this.deadlineMillis = properties.callDeadline().toMillis();
        this.retry = retry;
        this.breaker = breaker;
    }

    public PlaceOutcome place(PlaceRequest request) {
        try {
            PlaceResponse response = call(() -> stub.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS).place(request));
            var a = response.getAllocation();
            return new PlaceOutcome.Placed(a.getHost(), a.getCluster(), a.getRack(), a.getFaultDomain(), a.getUpdateDomain());
        } catch (StatusRuntimeException e) {
            if (isTransient(e)) {
                return new PlaceOutcome.Unavailable(describe(e));
            }
            String diagnosis = e.getStatus().getDescription();
            return new PlaceOutcome.Refused(e.getStatus().getCode().name(),
                    diagnosis == null || diagnosis.isBlank() ? "The placement engine refused the request." : diagnosis);
        } catch (CallNotPermittedException e) {
            return new PlaceOutcome.Unavailable("the placement engine failed repeatedly; calls are paused (circuit open)");
        }
    }

    public ReleaseOutcome release(String vmId) {
        try {
            ReleaseResponse response = call(() -> stub.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
                    .release(ReleaseRequest.newBuilder().setVmId(vmId).build()));
            return new ReleaseOutcome.Released(response.getReleased());
        } catch (StatusRuntimeException e) {
            return new ReleaseOutcome.Unavailable(describe(e));
        } catch (CallNotPermittedException e) {
            return new ReleaseOutcome.Unavailable("the placement engine failed repeatedly; calls are paused (circuit open)");
        }
    }

    private <T> T call(Supplier<T> rpc) {
        Supplier<T> guarded = CircuitBreaker.decorateSupplier(breaker, () -> {
            try {
                return rpc.get();
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                    // reconnect now instead of after the channel's exponential reconnect backoff (up to minutes)
                    channel.resetConnectBackoff();
                }
                log.debug("placement call failed: {}", describe(e));
                throw e;
            }
        });
        return Retry.decorateSupplier(retry, guarded).get();
    }

    /** Worth another try: the engine did not answer, or answered that it cannot work right now. */
    static boolean isTransient(Throwable e) {
        if (!(e instanceof StatusRuntimeException s)) {
            return false;
        }
        return switch (s.getStatus().getCode()) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, INTERNAL, UNKNOWN, CANCELLED -> true;
            default -> false;
        };
    }

    private static String describe(StatusRuntimeException e) {
        Status s = e.getStatus();
        return s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
    }
}
