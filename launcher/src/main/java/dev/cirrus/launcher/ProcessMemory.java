package dev.cirrus.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Resident memory of processes, from {@code /proc/{pid}/status} (Linux; elsewhere unknown). */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** VmRSS of the process in KiB, or empty when it is gone or the system has no /proc. */
    public static OptionalLong rssKib(long pid) {
        return field(pid, "VmRSS:");
    }

    /**
     * Resident memory of a process tree that shares memory, like PostgreSQL's postmaster and its backends: the
     * root's VmRSS plus the private resident memory (RssAnon) of every descendant. Summing VmRSS instead would count
     * the shared buffers once per process.
     */
    public static OptionalLong rssKibOfTree(ProcessHandle root) {
        OptionalLong own = rssKib(root.pid());
        if (own.isEmpty()) {
            return own;
        }
        long total = own.getAsLong() + root.descendants().mapToLong(p -> field(p.pid(), "RssAnon:").orElse(0)).sum();
        return OptionalLong.of(total);
    }

    private static OptionalLong field(long pid, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]));
                }
            }
            return OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
