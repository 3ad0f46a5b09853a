package dev.cirrus.computevm;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.cirrus.contracts.placement.v1.PlacementServiceGrpc;
import dev.cirrus.plumbing.security.ServiceCredential;
import dev.cirrus.plumbing.security.ServiceCredentialGrpc;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.TestInfrastructure;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

/**
 * The REAL placement engine for compute-vm's tests: its executable jar ({@code ../placement-engine/target/*-exec.jar},
 * built before compute-vm in the reactor) run as a child process of the test JVM on free HTTP and gRPC ports, with a
 * fresh database from the testkit, the testkit's Kafka (so its {@code cirrus.placement} events reach compute-vm), the
 * test inventory {@code src/test/resources/inventory/test-topology.yaml} and short maintenance reboots. Its output goes
 * to {@code target/placement-engine-<n>.log}; it exits with the test JVM ({@code cirrus.parent-pid}).
 */
public final class PlacementEngineProcess implements AutoCloseable {

    private static PlacementEngineProcess shared;
    private static int started;

    private final int httpPort;
    private final int grpcPort;
    private final String database;
    private final Path log;
    private Process process;
    private ManagedChannel channel;

    private PlacementEngineProcess(int grpcPort) {
        this.httpPort = freePort();
        this.grpcPort = grpcPort;
        this.database = TestInfrastructure.postgres().newDatabase("placement_for_vm");
        this.log = Path.of("target", "placement-engine-" + (++started) + ".log");
    }

    /** One engine for every test class of the default test context, started on first use. */
    public static synchronized PlacementEngineProcess shared() {
        if (shared == null) {
            shared = new PlacementEngineProcess(freePort()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** An engine (own database) that will listen on {@code grpcPort} once started: for outage tests. */
    public static synchronized PlacementEngineProcess onPort(int grpcPort) {
        return new PlacementEngineProcess(grpcPort);
    }

    public synchronized PlacementEngineProcess start() {
        if (process != null) {
            return this;
        }
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar().toString(),
                "--server.port=" + httpPort, "--cirrus.parent-pid=" + ProcessHandle.current().pid(),
                "--spring.datasource.url=" + database,
                "--spring.datasource.username=" + pg.username(),
                "--spring.datasource.password=" + pg.password(),
                "--cirrus.kafka.bootstrap-servers=" + TestInfrastructure.kafkaBootstrapServers(),
                "--cirrus.placement.grpc-port=" + grpcPort,
                "--cirrus.placement.grpc-shutdown-grace=PT1S",
                "--cirrus.placement.inventory=file:" + Path.of("src/test/resources/inventory/test-topology.yaml")
                        .toAbsolutePath(),
                "--cirrus.placement.maintenance.reboot-time=PT2S",
                "--cirrus.placement.maintenance.tick=PT0.2S"));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            // the platform's service credential, as the launcher gives it (not on the command line)
            builder.environment().put("CIRRUS_SERVICE_CREDENTIAL", ServiceCredentials.value());
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the placement engine", e);
        }
        awaitReady();
        return this;
    }

    private void awaitReady() {
        HttpClient http = ServiceCredentials.httpClient();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the placement engine exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                                + "/actuator/health/readiness")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return r.statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** host:port of its gRPC API, for {@code cirrus.placement.target}. */
    public String target() {
        return "127.0.0.1:" + grpcPort;
    }

    /** A blocking stub on the engine, for what an operator (or a test) asks it directly. */
    public synchronized PlacementServiceGrpc.PlacementServiceBlockingStub grpc() {
        if (channel == null) {
            channel = NettyChannelBuilder.forTarget(target()).usePlaintext()
                    .intercept(ServiceCredentialGrpc.clientInterceptor(new ServiceCredential(ServiceCredentials.value())))
                    .build();
        }
        return PlacementServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    public synchronized void stop() {
        if (channel != null) {
            channel.shutdownNow();
            channel = null;
        }
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    static Path jar() {
        Path target = Path.of("..", "placement-engine", "target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches("placement-engine-.*-exec\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no executable jar of placement-engine in " + target
                            + ": build placement-engine first"));
        } catch (IOException e) {
            throw new IllegalStateException("no " + target + ": build placement-engine first", e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
