package dev.cirrus.serverless.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.serverless.functionapp.FunctionApp;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The instances of every app, and how they scale.
 *
 * <p>An app starts at zero instances. A call takes a warm idle instance of the app's current version if there is
 * one (a warm start); otherwise, if the app has fewer instances than its maximum and no new instance of it was
 * started within the last {@code scaleOutInterval}, it starts one (a cold start); otherwise it waits for either, up
 * to {@code instanceWait}, then is refused with 429. An instance runs one call at a time, so concurrent load is
 * what adds instances. The app's maximum is {@code maxInstancesPerApp} (default 200), lowered per app by the app
 * setting {@value #SCALE_LIMIT_SETTING} (Azure's {@code functionAppScaleLimit}). Example with the defaults: 32
 * clients arriving at once on an idle app get 1 cold instance at once, then at most one more every 10 ms while the
 * others wait for the first to come back, so the app settles at the number of instances its load keeps busy, never
 * above its maximum.
 *
 * <p>A change of the app (code, settings, state) bumps its version: idle instances of older versions are closed
 * when found, busy ones when they come back. An instance left unusable by a limit (timeout, memory) is closed.
 * Instances idle for {@code idleTimeout} are closed by {@link #reapIdle()}; an app with none is scaled to zero,
 * and its next call is a cold start.
 */
@Component
public class InstancePool {

    /** The app setting that lowers one app's maximum instance count (Azure's name for functionAppScaleLimit). */
    public static final String SCALE_LIMIT_SETTING = "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT";

    /** An instance lent to one call. */
    public record Lease(Pooled pooled, boolean cold, String appKey) {
        public FunctionInstance instance() {
            return pooled.instance;
        }

        public long version() {
            return pooled.version;
        }
    }

    /** One instance of an app as the pool keeps it. */
    public static final class Pooled {
        final String id = UUID.randomUUID().toString().replace("-", "");
        final FunctionInstance instance;
        final long version;
        final Instant startedAt;
        boolean busy = true;
        long idleSinceNanos;
        Instant lastUsed;
        long invocations = 1;

        Pooled(FunctionInstance instance, long version, Instant startedAt) {
            this.instance = instance;
            this.version = version;
            this.startedAt = startedAt;
            this.lastUsed = startedAt;
        }
    }

    /** What a user sees of one instance ({@code GET .../sites/{app}/instances}). */
    public record InstanceView(String id, String state, Instant startedAt, Instant lastUsed, long invocations,
                               long appVersion) {
    }

    private static final class AppInstances {
        final Deque<Pooled> idle = new ArrayDeque<>();
        final Set<Pooled> live = new LinkedHashSet<>();
        int starting;
        long lastStartNanos = Long.MIN_VALUE / 2;

        int total() {
            return live.size() + starting;
        }
    }

    private final Map<String, LanguageRuntime> runtimes;
    private final FunctionsProperties properties;
    private final Clock clock;
    private final Map<String, AppInstances> apps = new ConcurrentHashMap<>();

    InstancePool(List<LanguageRuntime> runtimes, FunctionsProperties properties, Clock clock) {
        this.runtimes = new ConcurrentHashMap<>();
        runtimes.forEach(runtime -> this.runtimes.put(runtime.workerRuntime(), runtime));
        this.properties = properties;
        this.clock = clock;
    }

    /** The most instances the app may have: the service maximum, or the app's lower scale limit setting. */
    public int maxInstances(FunctionApp app) {
        String limit = app.appSettings().get(SCALE_LIMIT_SETTING);
        int max = properties.maxInstancesPerApp();
        if (limit != null) {
            try {
                int parsed = Integer.parseInt(limit.trim());
                if (parsed >= 1) {
                    max = Math.min(max, parsed);
                }
            } catch (NumberFormatException e) {
                // refused when the setting is written (FunctionApps); an old value that does not parse is ignored
            }
        }
        return max;
    }

    public Lease acquire(AppDefinition definition) {
        LanguageRuntime runtime = runtimes.get(definition.app().workerRuntime());
        if (runtime == null) {
            throw ArmException.badRequest("UnsupportedWorkerRuntime", "FUNCTIONS_WORKER_RUNTIME '"
                    + definition.app().workerRuntime() + "' is not supported; supported: " + runtimes.keySet(),
                    "FUNCTIONS_WORKER_RUNTIME");
        }
        String appKey = definition.app().key();
        int max = maxInstances(definition.app());
        AppInstances instances = apps.computeIfAbsent(appKey, k -> new AppInstances());
        long deadline = System.nanoTime() + properties.instanceWait().toNanos();
        synchronized (instances) {
            while (true) {
                Pooled idle;
                while ((idle = instances.idle.pollFirst()) != null) {
                    if (idle.version == definition.version() && idle.instance.usable()) {
                        idle.busy = true;
                        idle.invocations++;
                        idle.lastUsed = clock.instant();
                        return new Lease(idle, false, appKey);
                    }
                    instances.live.remove(idle);
                    idle.instance.close();
                }
                long now = System.nanoTime();
                if (instances.total() < max && now - instances.lastStartNanos >= properties.scaleOutInterval().toNanos()) {
                    instances.starting++;
                    instances.lastStartNanos = now;
                    break;
                }
                long waitNanos = deadline - now;
                if (waitNanos <= 0) {
                    throw new ArmException(429, "TooManyRequests", "The function app '" + definition.app().name()
                            + "' is at its maximum of " + max + " busy instances; retry later");
                }
                long untilStart = properties.scaleOutInterval().toNanos() - (now - instances.lastStartNanos);
                long sliceNanos = Math.max(100_000, Math.min(waitNanos, untilStart > 0 ? untilStart : waitNanos));
                try {
                    instances.wait(sliceNanos / 1_000_000, (int) (sliceNanos % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ArmException(503, "ServiceUnavailable", "interrupted while waiting for an instance");
                }
            }
        }
        FunctionInstance started;
        try {
            started = runtime.start(definition.code());
        } catch (RuntimeException | Error e) {
            synchronized (instances) {
                instances.starting--;
                instances.notifyAll();
            }
            throw e;
        }
        Pooled pooled = new Pooled(started, definition.version(), clock.instant());
        synchronized (instances) {
            instances.starting--;
            instances.live.add(pooled);
        }
        return new Lease(pooled, true, appKey);
    }

    public void release(Lease lease, long currentVersion) {
        AppInstances instances = apps.get(lease.appKey());
        Pooled pooled = lease.pooled();
        synchronized (instances) {
            pooled.busy = false;
            if (pooled.instance.usable() && pooled.version == currentVersion && instances.live.contains(pooled)) {
                pooled.idleSinceNanos = System.nanoTime();
                instances.idle.addFirst(pooled);
            } else {
                instances.live.remove(pooled);
                pooled.instance.close();
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

    /** Instances of the app that exist now (busy, idle or starting). */
    public int instanceCount(String appKey) {
        AppInstances instances = apps.get(appKey);
        if (instances == null) {
            return 0;
        }
        synchronized (instances) {
            return instances.total();
        }
    }

    /** The app's started instances, oldest first. */
    public List<InstanceView> instances(String appKey) {
        AppInstances instances = apps.get(appKey);
        List<InstanceView> views = new ArrayList<>();
        if (instances == null) {
            return views;
        }
        synchronized (instances) {
            for (Pooled p : instances.live) {
                views.add(new InstanceView(p.id, p.busy ? "Busy" : "Idle", p.startedAt, p.lastUsed, p.invocations, p.version));
            }
        }
        return views;
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
        Iterator<Pooled> it = instances.idle.iterator();
        while (it.hasNext()) {
            Pooled idle = it.next();
            if (now - idle.idleSinceNanos >= olderThan.toNanos()) {
                it.remove();
                instances.live.remove(idle);
                idle.instance.close();
            }
        }
    }
}
