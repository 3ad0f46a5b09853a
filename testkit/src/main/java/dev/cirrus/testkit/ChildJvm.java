package dev.cirrus.testkit;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A Java program run in a child JVM of the test JVM: an executable jar ({@link #jar(Path)}) or a main class on a class
 * path ({@link #mainClass(String, List)}), with JVM options and arguments. Its standard output and error go to one
 * file ({@link #output()}); {@link #awaitReady(Duration)} waits until it answers (a TCP port, an HTTP URL answering
 * 200) and fails at once, naming that file, when the process exits first. {@link #stop()} asks it to stop (SIGTERM:
 * shutdown hooks run) and {@link #kill()} ends it at once (SIGKILL: nothing of it runs, as in a crash).
 *
 * <p>For a Cirrus service, {@link Builder#cirrusService(int)} adds its HTTP port, makes it exit with the test JVM
 * ({@code cirrus.parent-pid}, read by plumbing's {@code ParentWatchdog}) and waits for its readiness probe.
 */
public final class ChildJvm implements AutoCloseable {

    private final String name;
    private final List<String> command;
    private final Path output;
    private final BooleanSupplier readiness;
    private final String readinessDescription;
    private final Process process;

    private ChildJvm(Builder b, Process process) {
        this.name = b.name;
        this.command = List.copyOf(b.command());
        this.output = b.output;
        this.readiness = b.readiness;
        this.readinessDescription = b.readinessDescription;
        this.process = process;
    }

    /** A child running {@code java [options] -jar jar [arguments]}. */
    public static Builder jar(Path jar) {
        return new Builder(fileName(jar), List.of("-jar", jar.toString()));
    }

    /** A child running {@code java [options] -cp classpath mainClass [arguments]}. */
    public static Builder mainClass(String mainClass, List<Path> classpath) {
        if (classpath.isEmpty()) {
            throw new IllegalArgumentException("an empty class path for " + mainClass);
        }
        String cp = String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList());
        return new Builder(mainClass.substring(mainClass.lastIndexOf('.') + 1), List.of("-cp", cp, mainClass));
    }

    /**
     * The test JVM's class path without this module's own output folders ({@code target/classes},
     * {@code target/test-classes}): the libraries a sibling module's main needs when that module is a test dependency,
     * without this module's {@code application.yml} and migrations shadowing the sibling's.
     */
    public static List<Path> testClassPathWithoutThisModule() {
        Path module = Path.of("").toAbsolutePath();
        List<Path> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry).toAbsolutePath().normalize();
            if (!path.startsWith(module.resolve("target"))) {
                entries.add(path);
            }
        }
        return entries;
    }

    /** A TCP port free on the loopback interface right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CPU time a process has used so far (user + system, all its threads), in nanoseconds. */
    public static long cpuNanos(ProcessHandle handle) {
        return handle.info().totalCpuDuration().map(Duration::toNanos)
                .orElseThrow(() -> new IllegalStateException("no CPU time for process " + handle.pid()));
    }

    /** Waits until the child is ready (see the builder's readiness); fails at once when it exits first. */
    public ChildJvm awaitReady(Duration atMost) {
        await(name + " ready (" + readinessDescription + ")").atMost(atMost).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue()
                                + " before it was ready; its output is in " + output.toAbsolutePath());
                    }
                    return readiness.getAsBoolean();
                });
        return this;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The exit code; fails while the process runs. */
    public int exitCode() {
        return process.exitValue();
    }

    /** CPU time the child has used so far (user + system, all its threads), in nanoseconds. */
    public long cpuNanos() {
        return cpuNanos(process.toHandle());
    }

    /** The file holding its standard output and error. */
    public Path output() {
        return output;
    }

    /** The command line it was started with. */
    public List<String> command() {
        return command;
    }

    /** Waits for the process to end; false when it still runs after {@code timeout}. */
    public boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Asks it to stop (SIGTERM: shutdown hooks run, Spring closes gracefully, a JFR recording is dumped) and waits
     * up to {@code grace}; kills it when it is still running then.
     */
    public void stop(Duration grace) {
        process.destroy();
        if (!awaitExit(grace)) {
            kill();
        }
    }

    /** {@link #stop(Duration)} with 30 s of grace. */
    public void stop() {
        stop(Duration.ofSeconds(30));
    }

    /** Ends it at once (SIGKILL, and its own child processes too): no shutdown hook runs, as in a crash. */
    public void kill() {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }

    private static String fileName(Path path) {
        String file = path.getFileName().toString();
        return file.endsWith(".jar") ? file.substring(0, file.length() - 4) : file;
    }

    /** How the child is started. */
    public static final class Builder {
        private String name;
        private final List<String> program;
        private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
        private final List<String> arguments = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path directory;
        private Path output;
        private BooleanSupplier readiness = () -> true;
        private String readinessDescription = "started";

        private Builder(String name, List<String> program) {
            this.name = name;
            this.program = program;
        }

        /** The name used in messages and for the default output file {@code target/<name>.log}. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name);
            return this;
        }

        /** Replaces the JVM options (default: a 256 MiB heap, C1 only, which starts quickly). */
        public Builder jvmOptions(List<String> options) {
            jvmOptions.clear();
            jvmOptions.addAll(options);
            return this;
        }

        public Builder arguments(String... args) {
            arguments.addAll(List.of(args));
            return this;
        }

        public Builder arguments(List<String> args) {
            arguments.addAll(args);
            return this;
        }

        public Builder environment(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** Its working directory (default: the test JVM's). */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** The file its standard output and error go to (default {@code target/<name>.log}, replaced). */
        public Builder output(Path file) {
            this.output = file;
            return this;
        }

        /** Ready when {@code 127.0.0.1:port} accepts a connection. */
        public Builder readyWhenPortAnswers(int port) {
            this.readiness = () -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            };
            this.readinessDescription = "port " + port + " answers";
            return this;
        }

        /** Ready when a GET of {@code url} answers 200. */
        public Builder readyWhenGetAnswers200(URI url) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            this.readiness = () -> {
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2))
                            .build(), HttpResponse.BodyHandlers.discarding());
                    return r.statusCode() == 200;
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            };
            this.readinessDescription = "GET " + url + " answers 200";
            return this;
        }

        /**
         * A Cirrus service (a Spring Boot application using plumbing): {@code --server.port=httpPort}, exits with
         * the test JVM ({@code --cirrus.parent-pid}), ready when {@code /actuator/health/readiness} answers 200.
         */
        public Builder cirrusService(int httpPort) {
            arguments.add("--server.port=" + httpPort);
            arguments.add("--cirrus.parent-pid=" + ProcessHandle.current().pid());
            return readyWhenGetAnswers200(URI.create("http://127.0.0.1:" + httpPort + "/actuator/health/readiness"));
        }

        List<String> command() {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(program);
            command.addAll(arguments);
            return command;
        }

        /** Starts the child without waiting for it (start several, then {@link ChildJvm#awaitReady} each). */
        public ChildJvm launch() {
            if (output == null) {
                output = Path.of("target", name + ".log");
            }
            try {
                if (output.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(output.toAbsolutePath().getParent());
                }
                ProcessBuilder builder = new ProcessBuilder(command()).redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File(
                                System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null")));
                if (directory != null) {
                    builder.directory(directory.toFile());
                }
                builder.environment().putAll(environment);
                return new ChildJvm(this, builder.start());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command()), e);
            }
        }

        /** Starts the child and waits until it is ready. */
        public ChildJvm start(Duration atMost) {
            return launch().awaitReady(atMost);
        }
    }
}
