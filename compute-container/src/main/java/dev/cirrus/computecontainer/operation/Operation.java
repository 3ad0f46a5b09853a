package dev.cirrus.computecontainer.operation;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import dev.cirrus.plumbing.arm.ArmException;

/**
 * An ARM long-running operation on one container group: Create, Start or Restart, started InProgress and ended once
 * Succeeded or Failed (with the error a poller shows).
 *
 * @param errorCode    the ARM error code of a failed operation, else null
 * @param errorMessage its message
 */
public record Operation(UUID id, String subscriptionId, String location, String resourceKey, Kind kind,
                        Status status, Instant startTime, Instant endTime, String errorCode, String errorMessage) {

    public enum Kind { Create, Start, Restart }

    public enum Status {
        InProgress, Succeeded, Failed, Canceled;

        public boolean terminal() {
            return this != InProgress;
        }
    }

    public Operation {
        Objects.requireNonNull(id);
        Objects.requireNonNull(status);
    }

    public static Operation start(UUID id, String subscriptionId, String location, String resourceKey, Kind kind,
                                  Instant now) {
        return new Operation(id, subscriptionId, location, resourceKey, kind, Status.InProgress, now, null, null, null);
    }

    public Operation succeed(Instant now) {
        return end(Status.Succeeded, null, null, now);
    }

    public Operation fail(String code, String message, Instant now) {
        return end(Status.Failed, Objects.requireNonNull(code), message, now);
    }

    public Operation cancel(String message, Instant now) {
        return end(Status.Canceled, "OperationCanceled", message, now);
    }

    private Operation end(Status to, String code, String message, Instant now) {
        if (status.terminal()) {
            throw new IllegalStateException("operation " + id + " already ended " + status);
        }
        return new Operation(id, subscriptionId, location, resourceKey, kind, to, startTime, now, code, message);
    }

    static ArmException notFound(String operationId) {
        return ArmException.notFound("OperationNotFound", "The operation '" + operationId + "' was not found.");
    }
}
