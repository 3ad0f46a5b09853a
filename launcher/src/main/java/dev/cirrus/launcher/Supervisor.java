package dev.cirrus.launcher;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Watches the platform's child processes: one that exits when nobody asked it to is reported at once, started again
 * after the {@link RestartPolicy}'s back-off, and, when it keeps crashing, reported with the tail of its log and left
 * down. Every change of state is passed to a listener (the launcher writes {@code status.json} from it).
 */
final class Supervisor implements AutoCloseable {

    private static final int LOG_TAIL_LINES = 40;
    private static final Duration READY_POLL = Duration.ofMillis(250);

    /** A supervised process as the supervisor sees it. */
    interface Child {
        long pid();

        CompletableFuture<?> onExit();

        /** The exit code, once it has exited; negative when it is unknown (a process that is not the launcher's child). */
        int exitCode();

        boolean alive();

        /** True when it is ready to serve (a service's readiness probe). */
        boolean ready();

        String logTail(int lines);

        /** Ends it at once. */
        void kill();
    }

    enum State { STARTING, RUNNING, RESTARTING, DOWN }

    /** What {@code status} shows of one supervised process. */
    record Status(String name, State state, long pid, int restarts, Instant since) {
    }

    private final RestartPolicy policy;
    private final Duration readinessTimeout;
    private final Clock clock;
    private final Consumer<String> report;
    private final Runnable changed;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cirrus-supervisor");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Unit> units = new LinkedHashMap<>();
    private boolean closed;

    private final class Unit {
        final String name;
        final Supplier<Child> relaunch;
        final RestartPolicy.Crashes crashes = policy.newHistory();
        Child child;
        State state;
        int restarts;
        Instant since;

        Unit(String name, Supplier<Child> relaunch) {
            this.name = name;
            this.relaunch = relaunch;
        }
    }

    Supervisor(RestartPolicy policy, Duration readinessTimeout, Clock clock, Consumer<String> report,
               Runnable changed) {
        this.policy = policy;
        this.readinessTimeout = readinessTimeout;
        this.clock = clock;
        this.report = report;
        this.changed = changed;
    }

    /** Supervises {@code child}, running and ready; {@code relaunch} starts a new one (not yet ready). */
    void watch(String name, Child child, Supplier<Child> relaunch) {
        Unit unit = new Unit(name, relaunch);
        synchronized (this) {
            if (closed) {
                return;
            }
            units.put(name, unit);
            attach(unit, child, State.RUNNING);
        }
        changed.run();
    }

    /** Stops supervising {@code name}: its exit from now on is intended (a stop on purpose), not a crash. */
    synchronized void forget(String name) {
        units.remove(name);
    }

    synchronized Map<String, Status> statuses() {
        Map<String, Status> all = new LinkedHashMap<>();
        units.forEach((name, u) -> all.put(name, new Status(name, u.state, u.child == null ? -1 : u.child.pid(),
                u.restarts, u.since)));
        return all;
    }

    private void attach(Unit unit, Child child, State state) {
        unit.child = child;
        unit.state = state;
        unit.since = clock.instant();
        child.onExit().whenComplete((ignored, error) -> exited(unit, child));
    }

    private void exited(Unit unit, Child child) {
        String line;
        RestartPolicy.Decision decision;
        synchronized (this) {
            if (closed || units.get(unit.name) != unit || unit.child != child) {
                return; // stopped on purpose, or an older process of a unit already restarted
            }
            decision = unit.crashes.crashed(clock.instant());
            int code = child.exitCode();
            String what = String.format(Locale.ROOT, "%s (pid %d) exited unexpectedly", unit.name, child.pid())
                    + (code >= 0 ? " with code " + code : "");
            if (decision instanceof RestartPolicy.Decision.Restart restart) {
                unit.state = State.RESTARTING;
                unit.since = clock.instant();
                line = what + String.format(Locale.ROOT, "; restarting it in %s (crash %d within %s)",
                        seconds(restart.delay()), restart.crashesInWindow(), policy.window());
                scheduler.schedule(() -> restart(unit), restart.delay().toMillis(), TimeUnit.MILLISECONDS);
            } else {
                unit.state = State.DOWN;
                unit.since = clock.instant();
                line = what + String.format(Locale.ROOT, "; it keeps crashing (%d times within %s), so it is left "
                        + "down. Last lines of its log:%n%s", ((RestartPolicy.Decision.GiveUp) decision)
                        .crashesInWindow(), policy.window(), child.logTail(LOG_TAIL_LINES));
            }
        }
        report.accept(line);
        changed.run();
    }

    private void restart(Unit unit) {
        Child child;
        synchronized (this) {
            if (closed || units.get(unit.name) != unit || unit.state != State.RESTARTING) {
                return;
            }
            unit.restarts++;
        }
        try {
            child = unit.relaunch.get();
        } catch (RuntimeException e) {
            failedToStart(unit, e);
            return;
        }
        synchronized (this) {
            if (closed || units.get(unit.name) != unit) {
                child.kill();
                return;
            }
            attach(unit, child, State.STARTING);
        }
        changed.run();
        Instant deadline = clock.instant().plus(readinessTimeout);
        scheduler.schedule(() -> awaitReady(unit, child, deadline), 0, TimeUnit.MILLISECONDS);
    }

    /** A start that fails counts as a crash: tried again after the back-off, or given up by the same rules. */
    private void failedToStart(Unit unit, RuntimeException e) {
        String line;
        synchronized (this) {
            if (closed || units.get(unit.name) != unit) {
                return;
            }
            RestartPolicy.Decision decision = unit.crashes.crashed(clock.instant());
            unit.since = clock.instant();
            String what = unit.name + " could not be started again: " + e.getMessage();
            if (decision instanceof RestartPolicy.Decision.Restart restart) {
                unit.state = State.RESTARTING;
                line = what + String.format(Locale.ROOT, "; trying again in %s (crash %d within %s)",
                        seconds(restart.delay()), restart.crashesInWindow(), policy.window());
                scheduler.schedule(() -> restart(unit), restart.delay().toMillis(), TimeUnit.MILLISECONDS);
            } else {
                unit.state = State.DOWN;
                line = what + String.format(Locale.ROOT, "; it keeps failing (%d times within %s), so it is left down",
                        ((RestartPolicy.Decision.GiveUp) decision).crashesInWindow(), policy.window());
            }
        }
        report.accept(line);
        changed.run();
    }

    private void awaitReady(Unit unit, Child child, Instant deadline) {
        synchronized (this) {
            if (closed || units.get(unit.name) != unit || unit.child != child || unit.state != State.STARTING) {
                return;
            }
        }
        if (!child.alive()) {
            return; // exited: the exit hook decides
        }
        if (child.ready()) {
            synchronized (this) {
                if (unit.child != child || unit.state != State.STARTING) {
                    return;
                }
                unit.state = State.RUNNING;
                unit.since = clock.instant();
            }
            report.accept(String.format(Locale.ROOT, "%s is running again (pid %d, restart %d)", unit.name,
                    child.pid(), unit.restarts));
            changed.run();
        } else if (clock.instant().isAfter(deadline)) {
            report.accept(unit.name + " was not ready within " + seconds(readinessTimeout) + " after its restart: "
                    + "killing it");
            child.kill(); // the exit hook counts it as a crash
        } else {
            scheduler.schedule(() -> awaitReady(unit, child, deadline), READY_POLL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Stops supervising (the platform is stopping); children are left to their owner. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            units.clear();
        }
        scheduler.shutdownNow();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
