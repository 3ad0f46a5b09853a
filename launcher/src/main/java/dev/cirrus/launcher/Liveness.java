package dev.cirrus.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The end of something the launcher cannot wait for like a child process: PostgreSQL's postmaster (started by
 * {@code pg_ctl}, so not the launcher's child; the JDK polls such a process ever more slowly, up to every 5 s) and
 * the Kafka broker inside the launcher's JVM. Polled every {@link #INTERVAL}, so its end is noticed within that.
 */
final class Liveness {

    static final Duration INTERVAL = Duration.ofMillis(200);

    private static final ScheduledExecutorService POLLER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cirrus-liveness");
        t.setDaemon(true);
        return t;
    });

    private Liveness() {
    }

    /** Completes once {@code alive} is false; {@code whileAlive} runs at each poll before that. */
    static CompletableFuture<Void> endOf(BooleanSupplier alive, Runnable whileAlive) {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
        synchronized (task) {
            task[0] = POLLER.scheduleWithFixedDelay(() -> {
                boolean up;
                try {
                    up = alive.getAsBoolean();
                    if (up) {
                        whileAlive.run();
                    }
                } catch (RuntimeException e) {
                    up = false;
                }
                if (!up) {
                    ended.complete(null);
                    synchronized (task) {
                        task[0].cancel(false);
                    }
                }
            }, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
        return ended;
    }

    /**
     * True while the process runs: a zombie (killed, not yet reaped by whoever its parent now is) counts as ended,
     * which {@link ProcessHandle#isAlive()} does not do.
     */
    static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        try {
            String s = Files.readString(stat);
            int end = s.lastIndexOf(')');
            char state = end > 0 && end + 2 < s.length() ? s.charAt(end + 2) : 'R';
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return Files.exists(stat.getParent()) || !Files.exists(Path.of("/proc/self"));
        }
    }
}
