package dev.cirrus.contracts.arm;

/**
 * A request that ends in an ARM error body, with the status that says whose fault it is:
 * <ul>
 *   <li>4xx — a refusal: the request cannot succeed as sent (bad input, a missing resource, a conflict, a failed
 *       precondition). Retrying the same request gives the same answer.</li>
 *   <li>503 / 504 — a dependency (a database, the placement engine, another service) failed or did not answer in
 *       time. The request itself may be fine; idempotent work may be retried.</li>
 * </ul>
 * Framework-free, so pure code (contracts, domain objects) and both kinds of web stack can throw it; the servlet
 * services' {@code ArmErrorAdvice} and the gateway's error handler turn it into {@code {"error":{...}}} with
 * {@link #status()}. Plumbing's {@code ArmException} (refusals) and {@code DependencyFailureException} (503/504)
 * are its two kinds.
 */
public class ArmErrorException extends RuntimeException {

    private final int status;
    private final ArmError error;

    public ArmErrorException(int status, ArmError error, Throwable cause) {
        super(error.code() + ": " + error.message(), cause);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an ARM error has a 4xx or 5xx status, not " + status);
        }
        this.status = status;
        this.error = error;
    }

    public ArmErrorException(int status, String code, String message, String target) {
        this(status, new ArmError(code, message, target), null);
    }

    public static ArmErrorException badRequest(String code, String message, String target) {
        return new ArmErrorException(400, code, message, target);
    }

    /** 400 {@code InvalidParameter}: a supplied value is not what the resource provider accepts. */
    public static ArmErrorException invalidParameter(String message, String target) {
        return new ArmErrorException(400, "InvalidParameter", message, target);
    }

    /** 400 {@code InvalidRequestContent}: the body cannot be read as the request's shape. */
    public static ArmErrorException invalidContent(String message, String target) {
        return new ArmErrorException(400, "InvalidRequestContent",
                "The request content was invalid and could not be deserialized: " + message, target);
    }

    /** 412 {@code PreconditionFailed}: an {@code If-Match} / {@code If-None-Match} header was not satisfied. */
    public static ArmErrorException preconditionFailed(String header) {
        return new ArmErrorException(412, "PreconditionFailed", "The condition specified in the " + header
                + " header was not satisfied by the resource's current ETag.", header);
    }

    /** 503 {@code ServiceUnavailable}: a dependency failed; the client may retry later. */
    public static ArmErrorException unavailable(String message, Throwable cause) {
        return new ArmErrorException(503, new ArmError("ServiceUnavailable", message, null), cause);
    }

    public int status() {
        return status;
    }

    public ArmError error() {
        return error;
    }

    /** The request cannot succeed as sent (4xx). */
    public boolean isRefusal() {
        return status < 500;
    }

    /** Something this service depends on failed (5xx); the request may succeed later. */
    public boolean isDependencyFailure() {
        return status >= 500;
    }
}
