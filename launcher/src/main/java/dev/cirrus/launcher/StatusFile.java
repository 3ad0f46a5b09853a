package dev.cirrus.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.yaml.snakeyaml.Yaml;

/**
 * {@code {data}/status.json}: every process of a running platform with its state, pid, port and restarts, rewritten
 * by the launcher on each change; {@code ./cirrus status} prints it ({@link #render}).
 */
final class StatusFile {

    /** One process: a service, PostgreSQL, or Kafka (inside the launcher's JVM). */
    record Entry(String name, String state, long pid, int port, int restarts, Instant since) {
    }

    private StatusFile() {
    }

    static void write(Path file, long launcherPid, Instant at, List<Entry> entries) {
        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"updatedAt\": \"").append(at).append("\",\n");
        json.append("  \"launcherPid\": ").append(launcherPid).append(",\n");
        json.append("  \"processes\": [");
        String sep = "\n";
        for (Entry e : entries) {
            json.append(sep).append(String.format(Locale.ROOT, "    {\"name\": \"%s\", \"state\": \"%s\", \"pid\": %d, "
                    + "\"port\": %d, \"restarts\": %d, \"since\": \"%s\"}", e.name(), e.state(), e.pid(), e.port(),
                    e.restarts(), e.since()));
            sep = ",\n";
        }
        json.append("\n  ]\n}\n");
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    /** The table {@code ./cirrus status} prints for the platform on {@code data}. */
    @SuppressWarnings("unchecked")
    static String render(Path data) {
        Path file = DataFolder.statusFile(data);
        boolean running = DataFolder.inUse(data);
        if (!Files.exists(file)) {
            return running ? "Cirrus is starting on " + data + " (no status yet).\n"
                    : "Cirrus is not running on " + data + ".\n";
        }
        Map<String, Object> status;
        try {
            status = new Yaml().load(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
        StringBuilder out = new StringBuilder();
        out.append(running ? "Cirrus is running on " : "Cirrus is NOT running (the launcher is gone) on ")
                .append(data).append(" (launcher pid ").append(status.get("launcherPid")).append(", status of ")
                .append(status.get("updatedAt")).append(")\n");
        out.append(String.format(Locale.ROOT, "%-17s %-11s %8s %6s %9s  %s%n", "PROCESS", "STATE", "PID", "PORT",
                "RESTARTS", "SINCE"));
        for (Object o : (List<Object>) status.getOrDefault("processes", new ArrayList<>())) {
            Map<String, Object> p = (Map<String, Object>) o;
            long pid = ((Number) p.get("pid")).longValue();
            String state = String.valueOf(p.get("state"));
            if (pid > 0 && !state.equals("down") && ProcessHandle.of(pid).map(ProcessHandle::isAlive).isEmpty()) {
                state = "gone";
            }
            out.append(String.format(Locale.ROOT, "%-17s %-11s %8s %6s %9s  %s%n", p.get("name"), state,
                    pid > 0 ? Long.toString(pid) : "-", p.get("port"), p.get("restarts"), p.get("since")));
        }
        return out.toString();
    }
}
