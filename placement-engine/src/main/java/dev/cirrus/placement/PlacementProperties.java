package dev.cirrus.placement;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The engine's configuration, validated when it is bound: a bad value stops start-up with a message naming the
 * property.
 *
 * @param inventory          where the topology file is: {@code classpath:...}, {@code file:...} or a plain path
 * @param grpcPort           the port of the gRPC {@code PlacementService}; 0 = any free port (the bound port is then
 *                           logged, published as the property {@code local.grpc.port} and shown at /actuator/info)
 * @param grpcShutdownGrace  how long a stopping engine lets in-flight calls finish before cancelling them
 * @param grpcAddress        the address the gRPC server binds; blank = every interface (containers, where
 *                           compute-vm dials the engine by its service name); the local run passes 127.0.0.1
 */
@ConfigurationProperties("cirrus.placement")
public record PlacementProperties(String inventory, Integer grpcPort, Duration grpcShutdownGrace, String grpcAddress) {

    public static final String DEFAULT_INVENTORY = "classpath:inventory/default-topology.yaml";

    public PlacementProperties {
        // the shipped topology (4 regions of 60 hosts) is enough to see spreading and exhaustion without setup
        inventory = inventory == null || inventory.isBlank() ? DEFAULT_INVENTORY : inventory.strip();
        // the platform's convention: compute-vm dials 127.0.0.1:9090 unless told otherwise (as in application.yml)
        grpcPort = grpcPort == null ? 9090 : grpcPort;
        if (grpcPort < 0 || grpcPort > 65535) {
            throw new IllegalArgumentException(
                    "cirrus.placement.grpc-port must be between 0 and 65535 (0 = any free port), got " + grpcPort);
        }
        // a placement is one short database transaction: 10 s lets every in-flight call finish
        grpcShutdownGrace = grpcShutdownGrace == null ? Duration.ofSeconds(10) : grpcShutdownGrace;
        grpcAddress = grpcAddress == null ? "" : grpcAddress.strip();
        if (grpcShutdownGrace.isNegative()) {
            throw new IllegalArgumentException(
                    "cirrus.placement.grpc-shutdown-grace must not be negative, got " + grpcShutdownGrace);
        }
    }
}
