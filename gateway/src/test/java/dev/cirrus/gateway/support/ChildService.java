package dev.cirrus.gateway.support;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import dev.cirrus.testkit.ChildJvm;
import dev.cirrus.testkit.ServiceCredentials;

/**
 * A real Cirrus service run from its executable jar ({@code ../<module>/target/<module>-*-exec.jar}, built before the
 * gateway in the reactor) in a child JVM of the test JVM (the testkit's {@link ChildJvm}), with a modest heap; its
 * output goes to {@code target/<module>.log}. It exits with the test JVM ({@code cirrus.parent-pid}).
 */
public final class ChildService implements AutoCloseable {

    private final ChildJvm child;
    private final int httpPort;

    private ChildService(ChildJvm child, int httpPort) {
        this.child = child;
        this.httpPort = httpPort;
    }

    /** Starts the module's jar with {@code --server.port=httpPort} and the given arguments; waits until ready. */
    public static ChildService start(String module, int httpPort, String... args) {
        ChildService child = launch(module, httpPort, args);
        child.awaitReady();
        return child;
    }

    /** Starts the module's jar without waiting (start several, then {@link #awaitReady()} each). */
    public static ChildService launch(String module, int httpPort, String... args) {
        return launch(module, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"), httpPort, args);
    }

    /** The same with the given JVM options (the benchmarks give every service they compare the same ones). */
    public static ChildService launch(String module, List<String> jvmOptions, int httpPort, String... args) {
        ChildJvm child = ChildJvm.jar(jar(module)).name(module).jvmOptions(jvmOptions)
                .output(Path.of("target", module + ".log")).cirrusService(httpPort)
                .environment("CIRRUS_SERVICE_CREDENTIAL", ServiceCredentials.value()).arguments(args).launch();
        return new ChildService(child, httpPort);
    }

    /** {@code ../<module>/target/<module>-*-exec.jar}; the gateway's own from {@code target/} (packaged first). */
    static Path jar(String module) {
        Path target = module.equals("gateway") ? Path.of("target") : Path.of("..", module, "target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches(module + "-.*-exec\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no executable jar of " + module + " in " + target
                            + ": build the module first"));
        } catch (IOException e) {
            throw new IllegalStateException("no " + target + ": build " + module + " first", e);
        }
    }

    /** Waits until the service's readiness probe answers 200 (fails at once when the process exits). */
    public void awaitReady() {
        awaitReady(Duration.ofSeconds(90));
    }

    /** The same within {@code atMost}. */
    public void awaitReady(Duration atMost) {
        child.awaitReady(atMost);
    }

    public long pid() {
        return child.pid();
    }

    /** CPU time the process has used so far (user + system, all its threads), in nanoseconds. */
    public long cpuNanos() {
        return child.cpuNanos();
    }

    public static long cpuNanos(ProcessHandle handle) {
        return ChildJvm.cpuNanos(handle);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    @Override
    public void close() {
        child.stop(Duration.ofSeconds(30)); // SIGTERM: a JFR recording (the benchmarks' bench.jfr) is dumped on the way out
    }
}
