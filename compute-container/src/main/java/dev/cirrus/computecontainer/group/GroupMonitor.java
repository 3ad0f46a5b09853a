package dev.cirrus.computecontainer.group;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.cirrus.computecontainer.operation.Operation;
import dev.cirrus.computecontainer.operation.OperationRepository;
import dev.cirrus.computecontainer.placement.PlacementClient;
import dev.cirrus.computecontainer.runtime.DockerEngine;
import dev.cirrus.contracts.arm.Preconditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the instance views true to what runs, by polling the Docker engine (every
 * {@code cirrus.container.groups.monitor-interval}, one inspect per container of each running group). Restarts are
 * Docker's own, by the restart policy each container was created with (Always → always, OnFailure → on a non-zero
 * exit, Never → no), with Docker's growing back-off between attempts; this class observes them:
 * <ul>
 *   <li>a container seen in a new state moves its current state to {@code previousState}: Running (with its start
 *       time), Terminated (exit code, finish time, detailStatus Completed or Error), Waiting (CrashLoopBackOff while
 *       Docker waits to restart it); a higher Docker restart count is its {@code restartCount} and a Started event;</li>
 *   <li>when every container of a group has exited and its policy starts none again (Never; OnFailure after exits of
 *       0), the group ends Succeeded (every exit code 0) or Failed, its host is released and
 *       {@code ContainerGroupStopped} stops its meter. The exited containers stay, so their logs can be read.</li>
 * </ul>
 * Polling rather than Docker's event stream keeps one code path for a running service and for one that restarts:
 * at start-up ({@link #adopt}) the containers labelled with this service's owner name that belong to a known group
 * are adopted, every other one is removed, and a running group whose containers are all gone is restarted by its
 * policy (Always and OnFailure; Never leaves it Failed).
 */
@Component
class GroupMonitor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GroupMonitor.class);

    private final ContainerGroupRepository groups;
    private final OperationRepository operations;
    private final GroupEvents events;
    private final DockerEngine engine;
    private final PlacementClient placement;
    private final WorkSignal worker;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ContainerGroupProperties properties;
    private volatile boolean running;
    private Thread thread;

    GroupMonitor(ContainerGroupRepository groups, OperationRepository operations, GroupEvents events,
                 DockerEngine engine, PlacementClient placement, WorkSignal worker, TransactionTemplate tx, Clock clock,
                 ContainerGroupProperties properties) {
        this.groups = groups;
        this.operations = operations;
        this.events = events;
        this.engine = engine;
        this.placement = placement;
        this.worker = worker;
        this.tx = tx;
        this.clock = clock;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("container-group-monitor").daemon(true).start(this::loop);
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        boolean adopted = false;
        while (running) {
            try {
                if (engine.answers()) {
                    if (!adopted) {
                        adopt();
                        adopted = true;
                    }
                    observeOnce();
                }
            } catch (RuntimeException e) {
                log.warn("container group monitor: {}", e.toString());
            }
            try {
                Thread.sleep(properties.monitorInterval().toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * After a start of this service: keeps the labelled containers of known groups, removes the others, and
     * restarts (by policy) running groups whose containers are all gone.
     */
    void adopt() {
        Map<String, ContainerGroup> known = new HashMap<>();
        Set<String> expected = new HashSet<>();
        for (ContainerGroup g : groups.all()) {
            known.put(g.groupId().toString(), g);
            groups.views(g.key()).values().forEach(v -> {
                if (v.dockerId() != null) {
                    expected.add(v.dockerId());
                }
            });
        }
        Set<String> alive = new HashSet<>();
        for (DockerEngine.Owned c : engine.owned()) {
            ContainerGroup g = c.groupId() == null ? null : known.get(c.groupId());
            if (g != null && (expected.contains(c.id()) || g.busy())) {
                alive.add(c.id());
                continue;
            }
            log.info("removing container {} ({}): no container group of this service runs it", c.id(), c.groupId());
            engine.remove(c.id());
        }
        for (ContainerGroup g : known.values()) {
            boolean wasRunning = ContainerGroup.RUNNING.equals(g.state()) && !g.busy();
            boolean none = groups.views(g.key()).values().stream()
                    .noneMatch(v -> v.dockerId() != null && alive.contains(v.dockerId()));
            if (wasRunning && none && !"Never".equals(g.spec().restartPolicy())) {
                log.info("container group {} lost its containers while this service was down: restarting it",
                        g.resourceId());
                tx.executeWithoutResult(s -> groups.findForUpdate(g.key()).filter(x -> !x.busy()).ifPresent(x -> {
                    Instant now = now();
                    UUID operationId = UUID.randomUUID();
                    groups.update(x.beginRedeploy(true, operationId, now, Preconditions.newEtag()).group());
                    operations.insert(Operation.start(operationId, x.subscriptionId(), x.location(), x.key(),
                            Operation.Kind.Restart, now), now);
                    worker.wakeUpAfterCommit();
                }));
            }
        }
    }

    /** One look at every running group's containers. */
    void observeOnce() {
        for (ContainerGroup g : groups.running()) {
            observe(g);
        }
    }

    private void observe(ContainerGroup g) {
        Map<String, ContainerInstanceView> views = groups.views(g.key());
        List<DockerEngine.Observed> seen = new ArrayList<>();
        Instant now = now();
        for (ContainerGroupSpec.Container c : g.spec().containers()) {
            ContainerInstanceView v = views.get(c.name());
            if (v == null || v.dockerId() == null) {
                return; // not started by the worker yet
            }
            Optional<DockerEngine.Observed> o = engine.observe(v.dockerId());
            if (o.isEmpty()) {
                return; // removed by a stop or delete under way: their transaction decides
            }
            seen.add(o.get());
            ContainerInstanceView next = next(v, o.get(), now);
            if (!next.equals(v)) {
                groups.saveView(g.key(), next);
            }
        }
        boolean allExited = seen.stream().allMatch(o -> !o.running() && !o.restarting()
                && ("exited".equals(o.status()) || "dead".equals(o.status())));
        if (allExited && !"Always".equals(g.spec().restartPolicy())) {
            boolean succeeded = seen.stream().allMatch(o -> o.exitCode() != null && o.exitCode() == 0);
            if ("OnFailure".equals(g.spec().restartPolicy()) && !succeeded) {
                return; // Docker restarts the failed ones
            }
            boolean ended = Boolean.TRUE.equals(tx.execute(s -> {
                Optional<ContainerGroup> current = groups.findForUpdate(g.key());
                if (current.isEmpty()) {
                    return false;
                }
                ContainerGroup.Transition t = current.get().terminated(succeeded, now(), Preconditions.newEtag());
                if (t.group() == current.get()) {
                    return false;
                }
                groups.update(t.group());
                events.publish(t.events());
                return true;
            }));
            if (ended) {
                placement.release(g.groupId());
            }
        }
    }

    /** The view after what the engine says now. */
    static ContainerInstanceView next(ContainerInstanceView v, DockerEngine.Observed o, Instant now) {
        ContainerInstanceView.State state;
        if (o.running()) {
            state = new ContainerInstanceView.State("Running", o.startedAt(), null, null, "");
        } else if (o.restarting()) {
            state = new ContainerInstanceView.State("Waiting", null, null, null, "CrashLoopBackOff");
        } else if ("exited".equals(o.status()) || "dead".equals(o.status())) {
            state = new ContainerInstanceView.State("Terminated", o.startedAt(), o.exitCode(), o.finishedAt(),
                    o.oomKilled() ? "OOMKilled" : o.exitCode() != null && o.exitCode() == 0 ? "Completed" : "Error");
        } else {
            state = new ContainerInstanceView.State("Waiting", null, null, null, o.status());
        }
        ContainerInstanceView next = v;
        if (o.restartCount() > v.restartCount()) {
            // Docker restarted it since the last look: the run that ended is the previous state
            ContainerInstanceView.State ended = "Terminated".equals(v.currentState().state()) ? v.currentState()
                    : new ContainerInstanceView.State("Terminated", v.currentState().startTime(), null, o.startedAt(),
                    "Error");
            next = new ContainerInstanceView(v.containerName(), v.dockerId(), o.restartCount(), state, ended,
                    v.events());
            if (o.running()) {
                next = next.withEvent("Started", "Started container", o.startedAt() == null ? now : o.startedAt());
            }
            return next;
        }
        if (!sameState(v.currentState(), state)) {
            next = v.moved(v.dockerId(), v.restartCount(), state);
        }
        return next;
    }

    private static boolean sameState(ContainerInstanceView.State a, ContainerInstanceView.State b) {
        return a != null && a.state().equals(b.state()) && java.util.Objects.equals(a.exitCode(), b.exitCode())
                && java.util.Objects.equals(a.detailStatus(), b.detailStatus());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
