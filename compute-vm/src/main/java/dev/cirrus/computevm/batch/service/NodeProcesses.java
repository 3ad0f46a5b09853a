package dev.cirrus.computevm.batch.service;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real processes of a Batch runtime: each task (and each node's start task) runs as
 * {@code setsid /bin/sh -c <commandLine>} in its node's own directories, in a process group of its own, so that a
 * time-out, a terminate or a node removal kills everything it started ({@code kill -KILL -<pgid>}). Its stdout and
 * stderr go to {@code stdout.txt} / {@code stderr.txt} in the task's directory. When the process ends, the exit
 * reaches {@code onExit} (from the JDK's process reaper thread). {@link #killAll()} runs when the service stops.
 */
final class NodeProcesses {

    private static final Logger log = LoggerFactory.getLogger(NodeProcesses.class);

    /** What ended: the key the caller started it under, its exit code, and whether it was killed on purpose. */
    record Exit(String key, int code, boolean killed, String killReason) {
    }

    private record Running(Process process, Instant started) {
    }

    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Map<String, String> killReasons = new ConcurrentHashMap<>();

    /**
     * Starts {@code commandLine} under {@code key}; {@code taskDir} receives stdout.txt and stderr.txt, {@code workDir}
     * is its working directory.
     */
    void start(String key, String commandLine, Path taskDir, Path workDir, Map<String, String> environment,
               Instant now, Consumer<Exit> onExit) {
        try {
            Files.createDirectories(workDir);
            ProcessBuilder builder = new ProcessBuilder("setsid", "/bin/sh", "-c", commandLine)
                    .directory(workDir.toFile())
                    .redirectOutput(taskDir.resolve("stdout.txt").toFile())
                    .redirectError(taskDir.resolve("stderr.txt").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            Process process = builder.start();
            Running entry = new Running(process, now);
            running.put(key, entry);
            process.onExit().thenAccept(p -> {
                running.remove(key, entry);
                String reason = killReasons.remove(key);
                onExit.accept(new Exit(key, p.exitValue(), reason != null, reason));
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a process for " + key, e);
        }
    }

    boolean isRunning(String key) {
        return running.containsKey(key);
    }

    Instant startedAt(String key) {
        Running r = running.get(key);
        return r == null ? null : r.started();
    }

    /** Kills the process group of {@code key}; its exit then arrives with {@code killed} and the reason. */
    void kill(String key, String reason) {
        Running r = running.get(key);
        if (r == null) {
            return;
        }
        killReasons.put(key, reason);
        killGroup(r.process());
    }

    void killAll() {
        running.forEach((key, r) -> {
            killReasons.put(key, "ServiceStopped");
            killGroup(r.process());
        });
        running.values().forEach(r -> {
            try {
                r.process().waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static void killGroup(Process process) {
        long pid = process.pid();
        try {
            // setsid made the shell the leader of its own group: the group id is its pid
            new ProcessBuilder("kill", "-KILL", "--", "-" + pid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            log.warn("kill of process group {} failed: {}", pid, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
