package dev.cirrus.computevm.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script of {@code src/test/node} with Node.js: its {@code package.json} (exact versions) is installed with
 * npm into {@code target/node-batch-sdk} once (again only when package.json changes), then {@code node <script>} runs
 * there with the given environment.
 */
final class NodeScript {

    private static final Path SOURCES = Path.of("src", "test", "node");
    private static final Path WORK = Path.of("target", "node-batch-sdk");

    /** What a run printed, and how it ended. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private NodeScript() {
    }

    /** True when {@code node} and {@code npm} run on this machine. */
    public static boolean available() {
        return runs("node", "--version") && runs("npm", "--version");
    }

    public static Result run(String script, Map<String, String> environment, long timeoutSeconds) {
        try {
            install();
            Files.copy(SOURCES.resolve(script), WORK.resolve(script), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return exec(List.of("node", script), environment, timeoutSeconds);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void install() throws IOException {
        Files.createDirectories(WORK);
        byte[] wanted = Files.readAllBytes(SOURCES.resolve("package.json"));
        Path installed = WORK.resolve("package.json");
        if (Files.isDirectory(WORK.resolve("node_modules")) && Files.exists(installed)
                && java.util.Arrays.equals(wanted, Files.readAllBytes(installed))) {
            return;
        }
        Files.write(installed, wanted);
        Result npm = exec(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error"), Map.of(), 300);
        if (npm.exitCode() != 0) {
            Files.deleteIfExists(installed);
            throw new IllegalStateException("npm install failed (" + npm.exitCode() + "): " + npm.stderr());
        }
    }

    private static Result exec(List<String> command, Map<String, String> environment, long timeoutSeconds)
            throws IOException {
        Path out = Files.createTempFile("node-out", ".txt");
        Path err = Files.createTempFile("node-err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(WORK.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not end within " + timeoutSeconds + " s: "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException(e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
