package dev.cirrus.serverless.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The instances of every app, and how they scale.
 *
 * <p>An app starts at zero instances. A call takes a warm idle instance of the app's current version if there is
 * one (a warm start); otherwise, if the app has fewer than {@code maxInstancesPerApp} instances and no new
 * instance of it was started within the last {@code scaleOutInterval}, it starts one (a cold start); otherwise it
 * waits for either, up to {@code instanceWait}, then is refused with 429. An instance runs one call at a time, so
 * concurrent load is what adds instances. Example with the defaults: 32 clients arriving at once on an idle app
 * get 1 cold instance at once, then at most one more every 10 ms while the others wait for the first to come
 * back, so the app settles at the number of instances its load keeps busy, never above 200.
 *
 * <p>A change of the app (code, settings, state) bumps its version: idle instances of older versions are closed
 * when found, busy ones when they come back. An instance left unusable by a limit (timeout, memory) is closed.
 * Instances idle for {@code idleTimeout} are closed by {@link #reapIdle()}; an app with none is scaled to zero.
 */
@Component
public class InstancePool {

    /** An instance lent to one call. */
    public record Lease(FunctionInstance instance, long version, boolean cold, String appKey) {
    }

    private static final class Idle {
        final FunctionInstance instance;
        final long version;
        final long idleSinceNanos;

        Idle(FunctionInstance instance, long version, long idleSinceNanos) {
            this.instance = instance;
            this.version = version;
            this.idleSinceNanos = idleSinceNanos;
        }
    }

    private static final class AppInstances {
        final Deque<Idle> idle = new ArrayDeque<>();
        int total;
        long lastStartNanos = Long.MIN_VALUE / 2;
    }

    private final Map<String, LanguageRuntime> runtimes;
    private final FunctionsProperties properties;
    private final Map<String, AppInstances> apps = new ConcurrentHashMap<>();

    InstancePool(java.util.List<LanguageRuntime> runtimes, FunctionsProperties properties) {
        this.runtimes = new ConcurrentHashMap<>();
        runtimes.forEach(runtime -> this.runtimes.put(runtime.workerRuntime(), runtime));
        this.properties = properties;
    }

    public Lease acquire(AppDefinition definition) {
        LanguageRuntime runtime = runtimes.get(definition.app().workerRuntime());
        if (runtime == null) {
            throw ArmException.badRequest("UnsupportedWorkerRuntime", "FUNCTIONS_WORKER_RUNTIME '"
                    + definition.app().workerRuntime() + "' is not supported; supported: " + runtimes.keySet(),
                    "FUNCTIONS_WORKER_RUNTIME");
        }
        String appKey = definition.app().key();
        AppInstances instances = apps.computeIfAbsent(appKey, k -> new AppInstances());
        long deadline = System.nanoTime() + properties.instanceWait().toNanos();
        synchronized (instances) {
            while (true) {
                Idle idle;
                while ((idle = instances.idle.pollFirst()) != null) {
                    if (idle.version == definition.version() && idle.instance.usable()) {
                        return new Lease(idle.instance, idle.version, false, appKey);
                    }
                    instances.total--;
                    idle.instance.close();
                }
                long now = System.nanoTime();
                if (instances.total < properties.maxInstancesPerApp()
                        && now - instances.lastStartNanos >= properties.scaleOutInterval().toNanos()) {
                    instances.total++;
                    instances.lastStartNanos = now;
                    break;
                }
                long waitNanos = deadline - now;
                if (waitNanos <= 0) {
                    throw new ArmException(429, "TooManyRequests", "The function app '" + definition.app().name()
                            + "' is at its maximum of " + properties.maxInstancesPerApp() + " busy instances; retry later");
                }
                long untilStart = properties.scaleOutInterval().toNanos() - (now - instances.lastStartNanos);
                long sliceNanos = Math.max(100_000, Math.min(waitNanos, untilStart > 0 ? untilStart : waitNanos));
                try {
                    instances.wait(sliceNanos / 1_000_000, (int) (sliceNanos % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    instances.total--;
                    throw new ArmException(503, "ServiceUnavailable", "interrupted while waiting for an instance");
                }
            }
        }
        try {
            return new Lease(runtime.start(definition.code()), definition.version(), true, appKey);
        } catch (RuntimeException e) {
            synchronized (instances) {
                instances.total--;
                instances.notifyAll();
            }
            throw e;
        }
    }

    public void release(Lease lease, long currentVersion) {
        AppInstances instances = apps.get(lease.appKey());
        synchronized (instances) {
            if (lease.instance().usable() && lease.version() == currentVersion) {
                instances.idle.addFirst(new Idle(lease.instance(), lease.version(), System.nanoTime()));
            } else {
                instances.total--;
                lease.instance().close();
            }
            instances.notifyAll();
        }
    }

    /** Closes every idle instance of the app (stop, delete); busy ones close when they come back. */
    public void drain(String appKey) {
        AppInstances instances = apps.get(appKey);
        if (instances == null) {
            return;
        }
        synchronized (instances) {
            closeIdle(instances, Duration.ZERO);
        }
    }

    /** Instances of the app that exist now (busy or idle). */
    public int instanceCount(String appKey) {
        AppInstances instances = apps.get(appKey);
        if (instances == null) {
            return 0;
        }
        synchronized (instances) {
            return instances.total;
        }
    }

    @Scheduled(fixedDelayString = "${cirrus.functions.reap-interval:1s}")
    public void reapIdle() {
        for (AppInstances instances : apps.values()) {
            synchronized (instances) {
                closeIdle(instances, properties.idleTimeout());
            }
        }
    }

    private static void closeIdle(AppInstances instances, Duration olderThan) {
        long now = System.nanoTime();
        Iterator<Idle> it = instances.idle.iterator();
        while (it.hasNext()) {
            Idle idle = it.next();
            if (now - idle.idleSinceNanos >= olderThan.toNanos()) {
                it.remove();
                instances.total--;
                idle.instance.close();
            }
        }
    }
}
