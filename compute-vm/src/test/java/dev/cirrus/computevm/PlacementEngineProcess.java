package dev.cirrus.computevm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.cirrus.contracts.placement.v1.PlacementServiceGrpc;
import dev.cirrus.plumbing.security.ServiceCredential;
import dev.cirrus.plumbing.security.ServiceCredentialGrpc;
import dev.cirrus.testkit.ChildJvm;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.TestInfrastructure;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

/**
 * The REAL placement engine for compute-vm's tests, run in a child JVM ({@link ChildJvm}) on free HTTP and gRPC
 * ports: its main class {@code dev.cirrus.placement.PlacementEngineApplication} from the placement-engine module,
 * a test dependency of compute-vm (so {@code mvn -pl compute-vm -am test} builds it first; see compute-vm's pom.xml:
 * its location comes as the system property {@code cirrus.test.placement-engine}, its libraries from the test class
 * path). It gets a fresh database from the testkit, the testkit's Kafka (so its {@code cirrus.placement} events reach
 * compute-vm), the test inventory {@code src/test/resources/inventory/test-topology.yaml} and short maintenance
 * reboots. Its output goes to {@code target/placement-engine-<n>.log}; it exits with the test JVM.
 */
public final class PlacementEngineProcess implements AutoCloseable {

    static final String MAIN_CLASS = "dev.cirrus.placement.PlacementEngineApplication";

    private static PlacementEngineProcess shared;
    private static int started;

    private final int httpPort;
    private final int grpcPort;
    private final String database;
    private final Path log;
    private ChildJvm process;
    private ManagedChannel channel;

    private Path inventory = Path.of("src/test/resources/inventory/test-topology.yaml");

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

    /** An engine of its own with another inventory file (benchmarks: a synthetic 10,000-host region). */
    public static synchronized PlacementEngineProcess withInventory(Path inventory) {
        PlacementEngineProcess engine = new PlacementEngineProcess(freePort());
        engine.inventory = inventory;
        return engine;
    }

    public synchronized PlacementEngineProcess start() {
        if (process != null) {
            return this;
        }
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        process = ChildJvm.mainClass(MAIN_CLASS, classpath()).name("placement-engine").output(log)
                .cirrusService(httpPort)
                // the platform's service credential, as the launcher gives it (not on the command line)
                .environment("CIRRUS_SERVICE_CREDENTIAL", ServiceCredentials.value())
                .arguments("--spring.datasource.url=" + database,
                        "--spring.datasource.username=" + pg.username(),
                        "--spring.datasource.password=" + pg.password(),
                        "--cirrus.kafka.bootstrap-servers=" + TestInfrastructure.kafkaBootstrapServers(),
                        "--cirrus.placement.grpc-port=" + grpcPort,
                        "--cirrus.placement.grpc-shutdown-grace=PT1S",
                        "--cirrus.placement.inventory=file:" + inventory.toAbsolutePath(),
                        "--cirrus.placement.maintenance.reboot-time=PT2S",
                        "--cirrus.placement.maintenance.tick=PT0.2S")
                .start(Duration.ofSeconds(120));
        return this;
    }

    /** The placement-engine module's classes (its jar or target/classes) first, then the libraries. */
    static List<Path> classpath() {
        String location = System.getProperty("cirrus.test.placement-engine");
        if (location == null || location.isBlank() || location.startsWith("${") || !Files.exists(Path.of(location))) {
            throw new IllegalStateException("no placement-engine classes (system property cirrus.test.placement-engine = "
                    + location + "): run the tests through Maven, which sets it from compute-vm's test dependency");
        }
        List<Path> classpath = new ArrayList<>();
        classpath.add(Path.of(location));
        classpath.addAll(ChildJvm.testClassPathWithoutThisModule());
        return classpath;
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
            process.stop(Duration.ofSeconds(20));
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public static int freePort() {
        return ChildJvm.freePort();
    }
}
