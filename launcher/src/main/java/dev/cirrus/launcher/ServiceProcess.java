package dev.cirrus.launcher;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One service running as a child process of the launcher, its output going to {@code {data}/logs/{module}.log}. */
final class ServiceProcess {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final ServiceModule module;
    private final URI readinessUrl;
    private final Path logFile;
    private final Process process;
    private final long launchedAtNanos;

    private ServiceProcess(ServiceModule module, URI readinessUrl, Path logFile, Process process, long launchedAtNanos) {
        this.module = module;
        this.readinessUrl = readinessUrl;
        this.logFile = logFile;
        this.process = process;
        this.launchedAtNanos = launchedAtNanos;
    }

    /**
     * Launches the service; the log of its previous run is kept as {@code {module}.log.1}. {@code environment} is
     * added to the launcher's (secrets go here, never on the command line, which the log's first line and
     * {@code ps} show).
     */
    static ServiceProcess launch(ServiceModule module, List<String> command, java.util.Map<String, String> environment,
                                 URI baseUrl, Path logDir, Path workDir) {
        try {
            Files.createDirectories(logDir);
            Files.createDirectories(workDir);
            Path log = logDir.resolve(module.moduleName() + ".log");
            if (Files.exists(log)) {
                Files.move(log, logDir.resolve(module.moduleName() + ".log.1"), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.writeString(log, "# " + String.join(" ", command) + System.lineSeparator());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            return new ServiceProcess(module, baseUrl.resolve("/actuator/health/readiness"), log, process,
                    System.nanoTime());
        } catch (IOException e) {
            throw new PlatformStartException("could not launch " + module + ": " + e.getMessage(), e);
        }
    }

    ServiceModule module() {
        return module;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    java.util.concurrent.CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    Path logFile() {
        return logFile;
    }

    long launchedAtNanos() {
        return launchedAtNanos;
    }

    /** True when the readiness probe answers 200 with status UP. */
    boolean ready(HttpClient http) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(readinessUrl).timeout(PROBE_TIMEOUT)
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Asks the service to stop (SIGTERM: Spring shuts down gracefully). */
    void terminate() {
        process.toHandle().descendants().forEach(ProcessHandle::destroy);
        process.destroy();
    }

    /** Waits for the process to end; false when it is still running after {@code timeout}. */
    boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void kill() {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(5));
    }

    int exitCode() {
        return process.exitValue();
    }

    /** The last {@code lines} lines of the service's log. */
    String logTail(int lines) {
        return tail(logFile, lines);
    }

    static String tail(Path file, int lines) {
        if (!Files.exists(file)) {
            return "(no log at " + file + ")";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            long start = Math.max(0, length - 64 * 1024);
            byte[] bytes = new byte[(int) (length - start)];
            in.seek(start);
            in.readFully(bytes);
            List<String> all = new ArrayList<>(List.of(new String(bytes, StandardCharsets.UTF_8).split("\\R")));
            if (start > 0 && !all.isEmpty()) {
                all.remove(0); // a partial line
            }
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
            return String.join(System.lineSeparator(), Collections.unmodifiableList(last));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
