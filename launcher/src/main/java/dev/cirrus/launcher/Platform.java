package dev.cirrus.launcher;

import java.util.function.Consumer;

/**
 * The local platform: PostgreSQL and Kafka embedded as real servers, and every service as a child process.
 *
 * <pre>{@code
 * PlatformConfig config = PlatformConfig.builder()
 *         .repoRoot(PlatformConfig.locateRepoRoot(Path.of("")))
 *         .dataDir(tempDir)
 *         .ports(PortPlan.freePorts())
 *         .build();
 * try (RunningPlatform platform = Platform.start(config)) {
 *     URI arm = platform.gatewayUrl();
 *     String kafka = platform.kafkaBootstrapServers();
 *     ...
 * }
 * }</pre>
 */
public final class Platform {

    private Platform() {
    }

    /**
     * Starts everything and returns once every service answers its readiness probe with UP.
     *
     * @throws PlatformStartException when a jar is missing, a port is taken, the data folder is in use, or a service
     *                                exits or is not ready in time (the message then holds the tail of its log);
     *                                whatever had started is stopped again
     */
    public static RunningPlatform start(PlatformConfig config) {
        return start(config, line -> { });
    }

    /** Like {@link #start(PlatformConfig)}, telling {@code progress} about each step as it completes. */
    public static RunningPlatform start(PlatformConfig config, Consumer<String> progress) {
        return RunningPlatform.start(config, progress);
    }
}
