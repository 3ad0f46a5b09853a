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
 *
 * <p>The heap guard sizes the sandbox to this JVM's heap, which is far smaller than what the plans promise one
 * execution (1.5 GB): after each garbage collection it reads the heap in use, and when what survived is over
 * {@code heapGuardFraction} of the maximum heap, it cancels the running invocation that allocated most since it
 * began (MemoryExceeded), before the heap runs out under every other request.
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
        /** Why the heap guard stopped it (null for the other limits). */
        volatile String reason;

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

    private static final java.lang.management.MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final java.util.List<java.lang.management.GarbageCollectorMXBean> COLLECTORS =
            ManagementFactory.getGarbageCollectorMXBeans();

    /** The default share of the heap that may survive a collection while invocations run. */
    static final double DEFAULT_HEAP_GUARD = 0.85;

    private final Map<Watched, Boolean> running = new ConcurrentHashMap<>();
    private final double heapGuardFraction;
    private long lastCollections = -1;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "sandbox-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    SandboxWatchdog(long periodMillis) {
        this(periodMillis, DEFAULT_HEAP_GUARD);
    }

    SandboxWatchdog(long periodMillis, double heapGuardFraction) {
        this.heapGuardFraction = heapGuardFraction;
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
        guardHeap();
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

    /** After a collection: too little heap left for the running invocations, so the biggest allocator stops. */
    private void guardHeap() {
        long collections = 0;
        for (java.lang.management.GarbageCollectorMXBean collector : COLLECTORS) {
            collections += Math.max(0, collector.getCollectionCount());
        }
        if (collections == lastCollections) {
            return;
        }
        lastCollections = collections;
        long max = MEMORY.getHeapMemoryUsage().getMax();
        if (max <= 0) {
            max = Runtime.getRuntime().maxMemory();
        }
        long used = MEMORY.getHeapMemoryUsage().getUsed();
        if (used <= heapGuardFraction * max) {
            return;
        }
        Watched biggest = null;
        long most = -1;
        for (Watched watched : running.keySet()) {
            long allocated = allocatedBytes(watched.threadId) - watched.startAllocated;
            if (watched.verdict == null && allocated > most) {
                most = allocated;
                biggest = watched;
            }
        }
        if (biggest != null) {
            biggest.reason = "The host's memory is nearly exhausted (" + (used >> 20) + " of " + (max >> 20)
                    + " MB in use after a collection) and this execution allocated the most: it was stopped";
            cancel(biggest, InvocationOutcome.Status.MEMORY_EXCEEDED);
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
