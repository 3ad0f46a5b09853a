package dev.cirrus.gateway.operator;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the gateway reaches the placement engine for the operator API ({@code cirrus.placement.*}, the property
 * compute-vm reads too), checked at start-up.
 *
 * @param target   host:port of the engine's gRPC API; default 127.0.0.1:9090, the platform's port convention
 * @param deadline how long one operator call may take before it is answered 504; default 30 s (moving the VMs of
 *                 a failed rack is one engine transaction, well under that on the default inventory)
 */
@ConfigurationProperties("cirrus.placement")
public record PlacementProperties(String target, Duration deadline) {

    public PlacementProperties {
        target = target == null || target.isBlank() ? "127.0.0.1:9090" : target.strip();
        deadline = deadline == null ? Duration.ofSeconds(30) : deadline;
        if (deadline.toMillis() <= 0) {
            throw new IllegalArgumentException("cirrus.placement.deadline must be positive, got " + deadline);
        }
        // host:port, [ipv6]:port, or a gRPC target URI such as dns:///placement-engine:9090
        if (!target.matches("(\\[[0-9A-Fa-f:.]+\\]|[^:\\s/\\[\\]]+):\\d{1,5}") && !target.matches("[a-z]+:///\\S+")) {
            throw new IllegalArgumentException("cirrus.placement.target must be host:port (or a gRPC target URI), "
                    + "got '" + target + "'");
        }
    }
}
