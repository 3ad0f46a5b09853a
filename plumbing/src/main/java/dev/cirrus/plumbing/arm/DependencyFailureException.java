package dev.cirrus.plumbing.arm;

import dev.cirrus.contracts.arm.ArmError;
import dev.cirrus.contracts.arm.ArmErrorException;

/**
 * A dependency (the placement engine, the database, another service) failed or did not answer in time.
 * Maps to 503 {@code ServiceUnavailable} or 504 {@code GatewayTimeout}; the caller may retry idempotent work.
 */
public class DependencyFailureException extends ArmErrorException {

    private final boolean timeout;

    public DependencyFailureException(String message, boolean timeout, Throwable cause) {
        super(timeout ? 504 : 503, new ArmError(timeout ? "GatewayTimeout" : "ServiceUnavailable", message, null),
                cause);
        this.timeout = timeout;
    }

    public boolean timeout() {
        return timeout;
    }
}
