package dev.cirrus.computecontainer.placement;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How compute-container reaches the placement engine ({@code cirrus.placement.*}, the setting compute-vm reads too).
 *
 * @param target       host:port of the engine's gRPC server
 * @param callDeadline the deadline of one gRPC call
 */
@ConfigurationProperties("cirrus.placement")
public record PlacementProperties(String target, Duration callDeadline) {

    public PlacementProperties {
        // the platform convention: the engine's gRPC port on this machine (the launcher passes the real one)
        target = target == null || target.isBlank() ? "127.0.0.1:9090" : target.trim();
        // a healthy engine answers in milliseconds; 5 s bounds how long a hung one holds the worker
        callDeadline = callDeadline == null ? Duration.ofSeconds(5) : callDeadline;
        if (callDeadline.isNegative() || callDeadline.isZero()) {
            throw new IllegalArgumentException("cirrus.placement.call-deadline must be positive, was " + callDeadline);
        }
    }
}
