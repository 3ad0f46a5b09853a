package dev.cirrus.computevm.placement;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How compute-vm reaches the placement engine ({@code cirrus.placement.*}). Checked at start-up.
 *
 * @param target         host:port of the engine's gRPC server
 * @param callDeadline   the deadline of one gRPC call
 * @param retry          retries of one Place/Release (both are idempotent per vm_id, so a retry cannot double-book)
 * @param circuitBreaker stops calling an engine that keeps failing, so a worker does not queue up timeouts
 */
@ConfigurationProperties("cirrus.placement")
public record PlacementProperties(String target, Duration callDeadline, Retry retry, CircuitBreaker circuitBreaker) {

    public PlacementProperties {
        // the platform convention: the engine's gRPC port on this machine (the launcher passes the real one)
        target = target == null || target.isBlank() ? "127.0.0.1:9090" : target.trim();
        // a healthy engine answers in milliseconds; 5 s bounds how long a hung one holds a worker per attempt
        callDeadline = callDeadline == null ? Duration.ofSeconds(5) : positive(callDeadline, "call-deadline");
        retry = retry == null ? new Retry(null, null, null) : retry;
        circuitBreaker = circuitBreaker == null ? new CircuitBreaker(null, null, null, null) : circuitBreaker;
    }

    /**
     * @param maxAttempts    attempts per call, the first included
     * @param initialBackoff wait before the second attempt; doubles each time
     * @param maxBackoff     cap of that wait
     */
    public record Retry(Integer maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        public Retry {
            // three attempts ride out an engine restart's first refused connections without holding a worker long
            maxAttempts = maxAttempts == null ? 3 : maxAttempts;
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("cirrus.placement.retry.max-attempts must be at least 1");
            }
            // short first wait: the usual cause is a connection being re-established
            initialBackoff = initialBackoff == null ? Duration.ofMillis(200) : positive(initialBackoff, "retry.initial-backoff");
            // beyond a couple of seconds the worker's own rescheduling takes over
            maxBackoff = maxBackoff == null ? Duration.ofSeconds(2) : positive(maxBackoff, "retry.max-backoff");
        }
    }

    /**
     * @param failureRateThreshold percentage of failed calls that opens the breaker
     * @param slidingWindowSize    calls the failure rate is computed over
     * @param minimumCalls         calls needed before the rate counts
     * @param openDuration         how long an open breaker refuses calls before letting a probe through
     */
    public record CircuitBreaker(Float failureRateThreshold, Integer slidingWindowSize, Integer minimumCalls,
                                 Duration openDuration) {
        public CircuitBreaker {
            // half of the recent calls failing means the engine is down or sick, not a stray timeout
            failureRateThreshold = failureRateThreshold == null ? 50f : failureRateThreshold;
            if (failureRateThreshold <= 0 || failureRateThreshold > 100) {
                throw new IllegalArgumentException("cirrus.placement.circuit-breaker.failure-rate-threshold must be in (0, 100]");
            }
            // ten calls: enough to see a trend at the call rates of a local cloud
            slidingWindowSize = slidingWindowSize == null ? 10 : slidingWindowSize;
            // five calls before judging, so one refused connection at start-up does not open it
            minimumCalls = minimumCalls == null ? 5 : minimumCalls;
            if (slidingWindowSize < 1 || minimumCalls < 1) {
                throw new IllegalArgumentException("cirrus.placement.circuit-breaker window and minimum calls must be positive");
            }
            // short enough that a restarted engine is used again within seconds
            openDuration = openDuration == null ? Duration.ofSeconds(5) : positive(openDuration, "circuit-breaker.open-duration");
        }
    }

    private static Duration positive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("cirrus.placement." + name + " must be positive, was " + d);
        }
        return d;
    }
}
