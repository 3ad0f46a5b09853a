package dev.cirrus.placement.grpc;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Runs a gRPC server with the Spring context: it starts once every bean is ready (the inventory is synced by
 * then) and, on shutdown, stops first: it takes no new calls, lets in-flight calls finish for the grace period,
 * then cancels the rest, before the database pool closes.
 *
 * <p>The bound port (the configured one, or the free port the system chose for 0) is logged, readable from
 * {@link #port()}, and published in the environment as {@value #PORT_PROPERTY}, as Spring Boot publishes
 * {@code local.server.port} for HTTP.
 */
public final class GrpcServer implements SmartLifecycle {

    /** The property that holds the bound gRPC port once the server runs. */
    public static final String PORT_PROPERTY = "local.grpc.port";

    private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);

    private final ServerBuilder<?> builder;
    private final int requestedPort;
    private final Duration grace;
    private final ConfigurableEnvironment environment;
    private final ExecutorService blocking;
    private volatile Server server;

    /** @param blocking where the service runs its blocking calls: shut down once the server has stopped */
    GrpcServer(ServerBuilder<?> builder, int requestedPort, Duration grace, ConfigurableEnvironment environment,
               ExecutorService blocking) {
        this.builder = builder;
        this.requestedPort = requestedPort;
        this.grace = grace;
        this.environment = environment;
        this.blocking = blocking;
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        Server starting = builder.build();
        try {
            starting.start();
        } catch (IOException e) {
            throw new IllegalStateException("the gRPC PlacementService could not listen on port " + requestedPort
                    + " (cirrus.placement.grpc-port): " + e.getMessage(), e);
        }
        server = starting;
        environment.getPropertySources().addFirst(
                new MapPropertySource("grpc.server.ports", Map.of(PORT_PROPERTY, starting.getPort())));
        log.info("gRPC PlacementService listening on port {} (cirrus.placement.grpc-port={})", starting.getPort(),
                requestedPort);
    }

    @Override
    public synchronized void stop() {
        Server stopping = server;
        if (stopping == null) {
            return;
        }
        log.info("gRPC server stopping: in-flight calls have {} to finish", grace);
        stopping.shutdown();
        try {
            if (!stopping.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                stopping.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            stopping.shutdownNow();
            Thread.currentThread().interrupt();
        }
        blocking.shutdown();
        server = null;
        log.info("gRPC server stopped");
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** The bound port while the server runs; -1 otherwise. */
    public int port() {
        Server running = server;
        return running == null ? -1 : running.getPort();
    }
}
