package dev.cirrus.plumbing.arm;

import dev.cirrus.contracts.arm.ArmError;

/**
 * A dependency (the placement engine, the database, another service) failed or did not answer in time.
 * Maps to 503 {@code ServiceUnavailable} or 504 {@code GatewayTimeout}; the caller may retry idempotent work.
 */
public class DependencyFailureException extends RuntimeException {

    private final boolean timeout;

    public DependencyFailureException(String message, boolean timeout, Throwable cause) {
        super(message, cause);
        this.timeout = timeout;
    }

    public int status() {
        return timeout ? 504 : 503;
    }

    public ArmError error() {
        return new ArmError(timeout ? "GatewayTimeout" : "ServiceUnavailable", getMessage(), null);
    }
}
