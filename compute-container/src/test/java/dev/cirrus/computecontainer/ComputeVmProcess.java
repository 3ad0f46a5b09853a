package dev.cirrus.computecontainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.cirrus.testkit.ChildJvm;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.TestInfrastructure;

/**
 * The REAL compute-vm for the managed-cluster tests, run in a child JVM ({@link ChildJvm}) on a free port: its main
 * class {@code dev.cirrus.computevm.ComputeVmApplication} from the compute-vm module, a test dependency of
 * compute-container (its location comes as the system property {@code cirrus.test.compute-vm}, its libraries from
 * the test class path). It gets a fresh database, the testkit's Kafka, the shared {@link PlacementEngineProcess} and
 * the test inventory, and short simulated durations (a second or less). Its output goes to
 * {@code target/compute-vm-<n>.log}; it exits with the test JVM.
 */
public final class ComputeVmProcess implements AutoCloseable {

    static final String MAIN_CLASS = "dev.cirrus.computevm.ComputeVmApplication";

    private static ComputeVmProcess shared;
    private static int started;

    private final int port;
    private final String database;
    private final Path log;
    private ChildJvm process;

    private ComputeVmProcess(int port) {
        this.port = port;
        this.database = TestInfrastructure.postgres().newDatabase("compute_vm_for_clusters");
        this.log = Path.of("target", "compute-vm-" + (++started) + ".log");
    }

    /** One compute-vm for every managed-cluster test class, started on first use. */
    public static synchronized ComputeVmProcess shared() {
        if (shared == null) {
            shared = new ComputeVmProcess(ChildJvm.freePort()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** A compute-vm (own database) that will listen on {@code port} once started: for outage tests. */
    public static synchronized ComputeVmProcess onPort(int port) {
        return new ComputeVmProcess(port);
    }

    public synchronized ComputeVmProcess start() {
        if (process != null) {
            return this;
        }
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        process = ChildJvm.mainClass(MAIN_CLASS, classpath()).name("compute-vm").output(log)
                .jvmOptions(List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"))
                .cirrusService(port)
                .environment("CIRRUS_SERVICE_CREDENTIAL", ServiceCredentials.value())
                .arguments(arguments(database, pg))
                .start(Duration.ofSeconds(180));
        return this;
    }

    /** Simulated durations: {@code cirrus.test.vm-timing} (default 200 ms; the benchmark runs with 0s). */
    private static List<String> arguments(String database, TestInfrastructure.PostgresEndpoint pg) {
        String t = System.getProperty("cirrus.test.vm-timing", "200ms");
        return List.of("--spring.datasource.url=" + database,
                "--spring.datasource.username=" + pg.username(),
                "--spring.datasource.password=" + pg.password(),
                "--cirrus.kafka.bootstrap-servers=" + TestInfrastructure.kafkaBootstrapServers(),
                "--cirrus.placement.target=" + PlacementEngineProcess.shared().target(),
                "--cirrus.vm.topology=file:" + Path.of("src/test/resources/inventory/test-topology.yaml")
                        .toAbsolutePath(),
                "--cirrus.vm.timings.provisioning=" + t,
                "--cirrus.vm.timings.deletion=" + t,
                "--cirrus.vm.timings.start=" + t,
                "--cirrus.vm.timings.power-off=" + t,
                "--cirrus.vm.timings.deallocate=" + t,
                "--cirrus.vm.timings.restart=" + t,
                "--cirrus.vm.timings.redeploy=" + t,
                "--cirrus.vm.timings.reboot=" + t,
                "--cirrus.vm.timings.placement-deadline=30s",
                "--cirrus.vm.worker.poll-interval=200ms",
                "--cirrus.vmss.poll-interval=200ms",
                // node VMs count against compute-vm's regional vCPU quota (default 20 per subscription)
                "--cirrus.vm.quota.regional-vcpus=1000");
    }

    /** The compute-vm module's classes (its jar or target/classes) first, then the libraries. */
    static List<Path> classpath() {
        String location = System.getProperty("cirrus.test.compute-vm");
        if (location == null || location.isBlank() || location.startsWith("${") || !Files.exists(Path.of(location))) {
            throw new IllegalStateException("no compute-vm classes (system property cirrus.test.compute-vm = "
                    + location + "): run the tests through Maven, which sets it from compute-container's test dependency");
        }
        List<Path> classpath = new ArrayList<>();
        classpath.add(Path.of(location));
        classpath.addAll(ChildJvm.testClassPathWithoutThisModule());
        return classpath;
    }

    /** Its base URL, for {@code cirrus.compute-container.compute-vm-url}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public synchronized void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(20));
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
