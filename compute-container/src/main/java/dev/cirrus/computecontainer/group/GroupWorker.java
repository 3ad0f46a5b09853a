package dev.cirrus.computecontainer.group;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.cirrus.computecontainer.operation.Operation;
import dev.cirrus.computecontainer.operation.OperationRepository;
import dev.cirrus.computecontainer.operation.OperationRepository.Claim;
import dev.cirrus.computecontainer.placement.PlaceOutcome;
import dev.cirrus.computecontainer.placement.PlacementClient;
import dev.cirrus.computecontainer.runtime.DockerEngine;
import dev.cirrus.computecontainer.runtime.EngineUnavailableException;
import dev.cirrus.computecontainer.runtime.ImageInaccessibleException;
import dev.cirrus.contracts.arm.Preconditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Carries a group's create, start or restart to its end, in the background: (1) whatever the group still has on the
 * Docker engine is removed (a restart, or an attempt a crash cut short); (2) a group without a host is placed by the
 * placement engine (its vCPU and memory; silence is retried every second until
 * {@code cirrus.container.groups.operation-deadline}, a refusal fails the group with the engine's per-filter
 * diagnosis); (3) its images are made present and its containers run ({@link DockerEngine#deploy}); (4) in ONE
 * transaction the group (re-read, locked) becomes Running, its containers' instance views record Pulling, Pulled and
 * Started, the operation ends and {@code ContainerGroupStarted} goes to the outbox. Any failure ends the group
 * Failed with the reason (no Docker engine: how to give Cirrus one) and releases its host.
 *
 * <p>Work comes from the operations table: {@link OperationRepository#claimDue} leases one due operation at a time;
 * a commit that queues work wakes the worker at once; a poll picks up what a restart left behind. A group deleted
 * while it was being started is found gone at step 4: what was started for it is removed again.
 */
@Component
class GroupWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GroupWorker.class);
    /** How long a claim is held: longer than any pull and start (the pull timeout is the longest step). */
    private static final Duration LEASE = Duration.ofMinutes(10);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final OperationRepository operations;
    private final ContainerGroupRepository groups;
    private final GroupEvents events;
    private final PlacementClient placement;
    private final DockerEngine engine;
    private final WorkSignal signal;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ContainerGroupProperties properties;
    private volatile boolean running;
    private Thread thread;

    GroupWorker(OperationRepository operations, ContainerGroupRepository groups, GroupEvents events,
                PlacementClient placement, DockerEngine engine, WorkSignal signal, TransactionTemplate tx, Clock clock,
                ContainerGroupProperties properties) {
        this.operations = operations;
        this.groups = groups;
        this.events = events;
        this.placement = placement;
        this.engine = engine;
        this.signal = signal;
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
        thread = Thread.ofPlatform().name("container-group-worker").daemon(true).start(this::loop);
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
        while (running) {
            try {
                if (!workOnce()) {
                    signal.await(untilNextDue());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the database is down, most likely: the claimed operation's lease runs out and it is tried again
                log.warn("container group worker: {}", e.toString());
                try {
                    signal.await(properties.workerPollInterval());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private Duration untilNextDue() {
        Duration poll = properties.workerPollInterval();
        return operations.nextDue().map(due -> Duration.between(now(), due))
                .filter(d -> d.compareTo(poll) < 0).map(d -> d.isNegative() ? Duration.ZERO : d).orElse(poll);
    }

    /** Claims and runs one due operation; false when nothing was due. */
    boolean workOnce() {
        Instant now = now();
        Optional<Claim> claim = operations.claimDue(now, now.plus(LEASE));
        if (claim.isEmpty()) {
            return false;
        }
        Claim c = claim.get();
        Optional<ContainerGroup> group = groups.find(c.resourceKey())
                .filter(g -> c.operationId().equals(g.operationId()));
        if (group.isEmpty()) {
            tx.executeWithoutResult(s -> operations.find(c.operationId()).filter(o -> !o.status().terminal())
                    .ifPresent(o -> operations.update(o.cancel("The container group no longer exists or is being "
                            + "changed by another operation.", now()))));
            return true;
        }
        deploy(c, group.get());
        return true;
    }

    private void deploy(Claim claim, ContainerGroup g) {
        ContainerGroup.Placement where = g.placement();
        try {
            if (engine.answers()) {
                engine.removeGroup(g.groupId());
            }
            if (where == null) {
                PlaceOutcome outcome = placement.place(g.groupId(), g.resourceId(), g.location(), g.spec().cpu(),
                        g.spec().memoryInGB());
                switch (outcome) {
                    case PlaceOutcome.Placed p -> where = new ContainerGroup.Placement(p.host(), p.rack(), p.cluster(),
                            p.faultDomain());
                    case PlaceOutcome.Refused r -> {
                        fail(claim, "InsufficientCapacity", "The requested resource is not available in the location '"
                                + g.location() + "' at this moment: " + r.diagnosis(), false);
                        return;
                    }
                    case PlaceOutcome.Unavailable u -> {
                        if (now().isBefore(claim.startTime().plus(properties.operationDeadline()))) {
                            operations.reschedule(claim.operationId(), now().plus(RETRY), u.reason());
                        } else {
                            fail(claim, "PlacementUnavailable", "The placement engine did not answer within "
                                    + properties.operationDeadline().toSeconds() + " s (" + u.reason() + ").", false);
                        }
                        return;
                    }
                }
            }
            engine.requireEngine();
            Map<String, Instant> pulled = new HashMap<>();
            Map<String, Instant> pulling = new HashMap<>();
            for (ContainerGroupSpec.Container c : g.spec().containers()) {
                pulling.put(c.name(), now());
                engine.ensureImage(c.image(), g.spec().imageRegistryCredentials());
                pulled.put(c.name(), now());
            }
            for (ContainerGroupSpec.InitContainer c : g.spec().initContainers()) {
                engine.ensureImage(c.image(), g.spec().imageRegistryCredentials());
            }
            DockerEngine.Deployment deployment = engine.deploy(g.groupId(), g.resourceId(), g.spec());
            ContainerGroup.Placement placed = where;
            boolean kept = Boolean.TRUE.equals(tx.execute(s -> {
                Optional<ContainerGroup> current = groups.findForUpdate(claim.resourceKey())
                        .filter(x -> claim.operationId().equals(x.operationId()));
                Optional<Operation> op = operations.find(claim.operationId()).filter(o -> !o.status().terminal());
                if (current.isEmpty() || op.isEmpty()) {
                    return false;
                }
                Instant now = now();
                ContainerGroup.Transition t = current.get().deployed(placed, deployment.publishedPorts(), now,
                        Preconditions.newEtag());
                groups.update(t.group());
                Map<String, ContainerInstanceView> views = groups.views(g.key());
                for (ContainerGroupSpec.Container c : g.spec().containers()) {
                    ContainerInstanceView v = views.getOrDefault(c.name(), ContainerInstanceView.waiting(c.name()));
                    String image = c.image();
                    v = v.withEvent("Pulling", "pulling image \"" + image + "\"", pulling.get(c.name()))
                            .withEvent("Pulled", "Successfully pulled image \"" + image + "\"", pulled.get(c.name()))
                            .moved(deployment.containerIds().get(c.name()), 0,
                                    new ContainerInstanceView.State("Running", now, null, null, ""))
                            .withEvent("Started", "Started container", now);
                    groups.saveView(g.key(), v);
                }
                events.publish(t.events());
                operations.update(op.get().succeed(now));
                return true;
            }));
            if (!kept) {
                // deleted or changed meanwhile: nothing may keep running for it
                engine.removeGroup(g.groupId());
                if (groups.find(claim.resourceKey()).isEmpty()) {
                    placement.release(g.groupId());
                }
            }
        } catch (EngineUnavailableException e) {
            fail(claim, EngineUnavailableException.CODE, e.getMessage(), true);
        } catch (ImageInaccessibleException e) {
            fail(claim, "InaccessibleImage", "The image '" + e.image() + "' in container group '" + g.name()
                    + "' is not accessible. Please check the image and registry credential. (" + e.getMessage() + ")",
                    true);
        } catch (RuntimeException e) {
            log.warn("container group {}: deployment failed", g.resourceId(), e);
            fail(claim, "ContainerGroupDeploymentFailed", "The containers of container group '" + g.name()
                    + "' could not be started: " + e.getMessage(), true);
        }
    }

    /** Ends the operation and the group Failed; the group's host is released. */
    private void fail(Claim claim, String code, String message, boolean cleanUp) {
        tx.executeWithoutResult(s -> {
            Optional<ContainerGroup> current = groups.findForUpdate(claim.resourceKey())
                    .filter(x -> claim.operationId().equals(x.operationId()));
            Optional<Operation> op = operations.find(claim.operationId()).filter(o -> !o.status().terminal());
            Instant now = now();
            if (current.isPresent()) {
                ContainerGroup.Transition t = current.get().deployFailed(new ContainerGroup.Failure(code, message),
                        now, Preconditions.newEtag());
                groups.update(t.group());
                events.publish(t.events());
                for (ContainerInstanceView v : groups.views(current.get().key()).values()) {
                    groups.saveView(current.get().key(), v.moved(null, v.restartCount(),
                            new ContainerInstanceView.State("Waiting", null, null, null, code)));
                }
            }
            op.ifPresent(o -> operations.update(o.fail(code, message, now)));
        });
        ContainerGroup g = groups.find(claim.resourceKey()).orElse(null);
        if (g != null) {
            if (cleanUp && engine.answers()) {
                try {
                    engine.removeGroup(g.groupId());
                } catch (RuntimeException e) {
                    log.warn("container group {}: cleanup failed: {}", g.resourceId(), e.toString());
                }
            }
            placement.release(g.groupId());
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
