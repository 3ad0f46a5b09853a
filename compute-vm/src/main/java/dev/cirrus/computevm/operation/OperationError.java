package dev.cirrus.computevm.operation;

/**
 * Why an operation failed, as ARM reports it in the operation status and the resource's instance view.
 *
 * <p>Codes used: {@code AllocationFailed} (the placement engine answered that nothing fits, or refused the request;
 * the message is its diagnosis) and {@code InternalOperationError} (the placement engine did not answer before the
 * operation's deadline).
 */
public record OperationError(String code, String message) {

    public static final String ALLOCATION_FAILED = "AllocationFailed";
    public static final String INTERNAL_OPERATION_ERROR = "InternalOperationError";

    /** The HTTP status a Location poll answers for a failed operation. */
    public int httpStatus() {
        return ALLOCATION_FAILED.equals(code) ? 409 : 500;
    }
}
