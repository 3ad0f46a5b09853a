package dev.cirrus.placement.grpc;

import dev.cirrus.placement.allocation.PlacementRefusal;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The gRPC status of a failed call, as {@code placement.proto} promises: a refusal keeps its reason and message;
 * a database that cannot be reached (or a lock or a query that timed out) is UNAVAILABLE, which clients retry;
 * anything else is INTERNAL, logged here and described to the caller only vaguely.
 */
final class GrpcStatuses {

    private static final Logger log = LoggerFactory.getLogger(GrpcStatuses.class);

    private GrpcStatuses() {
    }

    static Status of(RuntimeException failure) {
        if (failure instanceof PlacementRefusal refusal) {
            Status status = switch (refusal.reason()) {
                case INVALID_REQUEST -> Status.INVALID_ARGUMENT;
                case UNKNOWN_LOCATION -> Status.FAILED_PRECONDITION;
                case NOTHING_FITS -> Status.RESOURCE_EXHAUSTED;
                case NOT_PLACED -> Status.NOT_FOUND;
                case PLACED_DIFFERENTLY -> Status.ALREADY_EXISTS;
                case UNKNOWN_HOST -> Status.NOT_FOUND;
                case ALREADY_RUNNING -> Status.FAILED_PRECONDITION;
            };
            return status.withDescription(refusal.getMessage());
        }
        if (failure instanceof TransientDataAccessException || failure instanceof DataAccessResourceFailureException
                || failure instanceof RecoverableDataAccessException
                || failure instanceof CannotCreateTransactionException
                || failure instanceof TransactionSystemException) {
            log.warn("database unavailable: {}", failure.getMessage());
            return Status.UNAVAILABLE
                    .withDescription("the placement engine cannot reach its database; retry later")
                    .withCause(failure);
        }
        log.error("unexpected failure", failure);
        return Status.INTERNAL.withDescription("the placement engine failed unexpectedly; the failure was logged")
                .withCause(failure);
    }
}
