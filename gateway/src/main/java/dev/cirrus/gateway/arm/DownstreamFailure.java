package dev.cirrus.gateway.arm;

import java.time.Duration;

import dev.cirrus.plumbing.arm.DependencyFailureException;

/**
 * A service the gateway routes to is unreachable (503 {@code ServiceUnavailable}) or did not answer in time
 * (504 {@code GatewayTimeout}). {@link #retryAfter()} becomes a {@code Retry-After} header when known.
 */
public class DownstreamFailure extends DependencyFailureException {

    private final Duration retryAfter;

    public DownstreamFailure(String message, boolean timeout, Duration retryAfter, Throwable cause) {
        super(message, timeout, cause);
        this.retryAfter = retryAfter;
    }

    /** When the client may usefully retry, or null when unknown. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
