package dev.cirrus.computevm.operation;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import dev.cirrus.plumbing.arm.ArmException;

/**
 * An ARM long-running operation on one resource: started InProgress, ended once as Succeeded, Failed or Canceled.
 */
public record Operation(UUID id, String subscriptionId, String location, String resourceKey, OperationKind kind,
                        OperationStatus status, Instant startTime, Instant endTime, OperationError error) {

    public Operation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        if ((status == OperationStatus.Failed || status == OperationStatus.Canceled) && error == null) {
            throw new IllegalArgumentException("a " + status + " operation needs an error");
        }
    }

    public static Operation start(UUID id, String subscriptionId, String location, String resourceKey,
                                  OperationKind kind, Instant now) {
        return new Operation(id, subscriptionId, location, resourceKey, kind, OperationStatus.InProgress, now, null, null);
    }

    public Operation succeed(Instant now) {
        return end(OperationStatus.Succeeded, null, now);
    }

    public Operation fail(OperationError error, Instant now) {
        return end(OperationStatus.Failed, Objects.requireNonNull(error, "error"), now);
    }

    public Operation cancel(OperationError reason, Instant now) {
        return end(OperationStatus.Canceled, Objects.requireNonNull(reason, "reason"), now);
    }

    private Operation end(OperationStatus to, OperationError why, Instant now) {
        if (status.terminal()) {
            throw new IllegalStateException("operation " + id + " already ended " + status);
        }
        return new Operation(id, subscriptionId, location, resourceKey, kind, to, startTime, now, why);
    }

    /** 404 for an operation id this subscription never had. */
    public static ArmException notFound(String operationId) {
        return ArmException.notFound("OperationNotFound", "The operation '" + operationId + "' was not found.");
    }
}
