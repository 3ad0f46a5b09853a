package dev.cirrus.gateway.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.cirrus.testkit.ServiceCredentials;

/**
 * A real Cirrus service run from its executable jar ({@code ../<module>/target/<module>-*-exec.jar}, built before the
 * gateway in the reactor) as a child process of the test JVM, with a modest heap; its output goes to
 * {@code target/<module>.log}. It exits with the test JVM ({@code cirrus.parent-pid}).
 */
public final class ChildService implements AutoCloseable {

    private final String module;
    private final Process process;
    private final int httpPort;

    private ChildService(String module, Process process, int httpPort) {
        this.module = module;
        this.process = process;
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
        Path jar = jar(module);
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + httpPort,
                "--cirrus.parent-pid=" + ProcessHandle.current().pid()));
        command.addAll(List.of(args));
        Path log = Path.of("target", module + ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // the platform's service credential, as the launcher gives it (not on the command line)
            builder.environment().put("CIRRUS_SERVICE_CREDENTIAL", ServiceCredentials.value());
            Process process = builder.start();
            return new ChildService(module, process, httpPort);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + jar, e);
        }
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
        Path log = Path.of("target", module + ".log");
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(atMost).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " exited with " + process.exitValue() + "; see " + log);
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

    public long pid() {
        return process.pid();
    }

    /** CPU time the process has used so far (user + system, all its threads), in nanoseconds. */
    public long cpuNanos() {
        return cpuNanos(process.toHandle());
    }

    public static long cpuNanos(ProcessHandle handle) {
        return handle.info().totalCpuDuration().map(Duration::toNanos)
                .orElseThrow(() -> new IllegalStateException("no CPU time for process " + handle.pid()));
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: a JFR recording (the benchmarks' bench.jfr) is dumped on the way out
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
