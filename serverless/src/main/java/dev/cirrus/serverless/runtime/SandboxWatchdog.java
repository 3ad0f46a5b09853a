package dev.cirrus.serverless.runtime;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Enforces the limits of running invocations from outside them: every few milliseconds it checks each running
 * invocation's elapsed wall-clock time and the bytes its thread has allocated since it began (HotSpot's per-thread
 * allocation counter), and cancels the ones over a limit. Cancelling closes the sandbox context, which makes the
 * guest code stop at its next safepoint, whatever it is doing (a tight loop, an allocation spree).
 */
final class SandboxWatchdog implements AutoCloseable {

    /** A running invocation as the watchdog sees it. */
    static final class Watched {
        final long threadId;
        final long startNanos;
        final long startAllocated;
        final ExecutionLimits limits;
        final Runnable cancel;
        volatile InvocationOutcome.Status verdict;

        Watched(long threadId, long startNanos, long startAllocated, ExecutionLimits limits, Runnable cancel) {
            this.threadId = threadId;
            this.startNanos = startNanos;
            this.startAllocated = startAllocated;
            this.limits = limits;
            this.cancel = cancel;
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final Map<Watched, Boolean> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "sandbox-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    SandboxWatchdog(long periodMillis) {
        ticker.scheduleAtFixedRate(this::check, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    static long allocatedBytes(long threadId) {
        return THREADS.getThreadAllocatedBytes(threadId);
    }

    Watched watch(ExecutionLimits limits, Runnable cancel) {
        long threadId = Thread.currentThread().threadId();
        Watched watched = new Watched(threadId, System.nanoTime(), allocatedBytes(threadId), limits, cancel);
        running.put(watched, Boolean.TRUE);
        return watched;
    }

    void unwatch(Watched watched) {
        running.remove(watched);
    }

    private void check() {
        long now = System.nanoTime();
        for (Watched watched : running.keySet()) {
            if (watched.verdict != null) {
                continue;
            }
            if (now - watched.startNanos > watched.limits.timeout().toNanos()) {
                cancel(watched, InvocationOutcome.Status.TIMED_OUT);
            } else if (allocatedBytes(watched.threadId) - watched.startAllocated > watched.limits.maxAllocatedBytes()) {
                cancel(watched, InvocationOutcome.Status.MEMORY_EXCEEDED);
            }
        }
    }

    private void cancel(Watched watched, InvocationOutcome.Status verdict) {
        watched.verdict = verdict;
        try {
            watched.cancel.run();
        } catch (RuntimeException ignored) {
            // the invocation finished between the check and the cancel: nothing to stop
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
