package dev.cirrus.appservice.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Kudu's log stream of a site: the output of its processes ({@code {content-root}/{name}/logs/*.log}, one file per
 * deployment and instance) as it is written. It starts with the last {@value #BACKLOG} bytes of each file, then
 * follows them (new files too: a replaced instance, a new deployment) until the client goes away or {@code limit}
 * passes; a heartbeat line every {@link #HEARTBEAT} of silence, as Kudu writes one, tells a dead client from a quiet
 * app.
 */
final class LogStream {

    static final int BACKLOG = 4096;
    static final Duration HEARTBEAT = Duration.ofMinutes(1);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private LogStream() {
    }

    static void follow(Path logs, OutputStream out, Duration limit) throws IOException {
        Map<Path, Long> positions = new HashMap<>();
        out.write(("Connected to the log stream of " + logs.getParent().getFileName() + "\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
        long end = System.nanoTime() + limit.toNanos();
        long lastWrite = System.nanoTime();
        while (System.nanoTime() - end < 0) {
            boolean wrote = false;
            for (Path file : files(logs)) {
                long size = Files.size(file);
                long from = positions.computeIfAbsent(file, f -> Math.max(0, size - BACKLOG));
                if (size < from) {
                    from = 0; // the file was replaced
                }
                if (size > from) {
                    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                        in.seek(from);
                        byte[] bytes = new byte[(int) Math.min(size - from, 1 << 20)];
                        in.readFully(bytes);
                        out.write(bytes);
                        positions.put(file, from + bytes.length);
                        wrote = true;
                    }
                }
            }
            if (wrote) {
                out.flush();
                lastWrite = System.nanoTime();
            } else if (System.nanoTime() - lastWrite > HEARTBEAT.toNanos()) {
                out.write("No new trace in the past 1 min(s).\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                lastWrite = System.nanoTime();
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private static List<Path> files(Path logs) throws IOException {
        if (!Files.isDirectory(logs)) {
            return List.of();
        }
        try (Stream<Path> all = Files.list(logs)) {
            return all.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
        }
    }
}
