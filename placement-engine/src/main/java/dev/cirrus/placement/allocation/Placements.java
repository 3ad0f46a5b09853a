package dev.cirrus.placement.allocation;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

import dev.cirrus.placement.inventory.InventoryRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Places, releases and looks up allocations.
 *
 * <p>How a placement goes: under the engine's decision lock, the scheduler decides on the in-memory state
 * ({@link EngineState}: every host's use and state, every allocation, every set's members), the state takes the
 * allocation at once (so the next decision sees it: never over-commit, never break a set's rules), and the
 * decision is queued, in decision order, for the group-commit writer ({@link GroupCommit}), which writes the
 * allocations and their events of every waiting call in one transaction. The caller is answered only after that
 * commit: an acknowledged placement is durable, and a restarted engine sees exactly what was acknowledged. A
 * decision takes microseconds; the lock is never held across a database round trip, except to read the state again
 * after a failed commit.
 *
 * <p>Several VMs in one call (PlaceMany) are decided one after another, each consuming the capacity and the set
 * domain the previous ones took; if one does not fit, the ones before it are taken back out of the state and none
 * is placed. An answer from the state alone (a retry of a placed VM) still waits for the commit of everything
 * decided before it, so it never confirms an allocation that is not durable yet.
 *
 * <p>One engine per database: the state in memory is authoritative, so two engines writing the same database
 * would each decide without seeing the other's allocations; {@link DatabaseOwnership} makes a second one refuse.
 *
 * <p>Failures of the database are not caught here: they leave as Spring's data-access exceptions, and the API
 * answers them as retryable. Every call is safe to retry: placing is idempotent per vmId, releasing answers
 * released=false the second time.
 */
@Service
public class Placements implements SmartLifecycle {

    static final String SERVICE = "placement-engine";

    /** A PlaceMany larger than this is refused: one decision under the lock should stay short. */
    static final int MAX_VMS_PER_CALL = 1000;

    private static final Logger log = LoggerFactory.getLogger(Placements.class);

    private final InventoryRepository inventory;
    private final AllocationRepository allocations;
    private final Scheduler scheduler;
    private final GroupCommit commits;
    private final DatabaseOwnership ownership;
    private final TransactionTemplate tx;
    private final Clock clock;
    /** Guards {@link #state}: every decision, and throwing the state away after a failed commit. */
    private final ReentrantLock decisions = new ReentrantLock();
    /** Null until loaded, and after a failed commit until loaded again. */
    private EngineState state;
    private volatile boolean loaded;
    private volatile boolean running;
    /** Set once stopped (under the lock): no state is loaded again, and the database lock stays released. */
    private boolean stopped;

    Placements(InventoryRepository inventory, AllocationRepository allocations, Scheduler scheduler,
               GroupCommit commits, DatabaseOwnership ownership, TransactionTemplate tx, Clock clock) {
        this.ownership = ownership;
        this.inventory = inventory;
        this.allocations = allocations;
        this.scheduler = scheduler;
        this.commits = commits;
        this.tx = tx;
        this.clock = clock;
        commits.onFailure((cause, failQueued) -> {
            decisions.lock();
            try {
                failQueued.run();
                state = null;
                loaded = false;
            } finally {
                decisions.unlock();
            }
        });
    }

    /**
     * Loads the state (after the inventory sync, which runs before any lifecycle starts) and starts the writer,
     * before the gRPC server opens (a later phase).
     */
    @Override
    public void start() {
        decisions.lock();
        try {
            log.info("placement state loaded: {} allocations", state().size());
        } finally {
            decisions.unlock();
        }
        commits.start();
        running = true;
    }

    /** After the gRPC server stopped (it stops first): commits what is queued, then stops the writer. */
    @Override
    public void stop() {
        commits.stop();
        decisions.lock();
        try {
            stopped = true;
            ownership.release();
        } finally {
            decisions.unlock();
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 100;
    }

    /**
     * Places a VM, or answers its allocation when it is already placed as asked.
     *
     * @throws PlacementRefusal UNKNOWN_LOCATION, NOTHING_FITS (with the per-filter diagnosis) or PLACED_DIFFERENTLY
     */
    public Allocation place(PlacementRequest request) {
        return placeAll(List.of(request)).getFirst();
    }

    /**
     * Places every VM or none: the VMs of one set (or standalone VMs) in one location.
     *
     * @throws PlacementRefusal INVALID_REQUEST (mixed locations or groups, repeated vmIds, none or too many), or
     *                          what {@link #place} throws for the first VM that cannot be placed
     */
    public List<Allocation> placeAll(List<PlacementRequest> requests) {
        return GroupCommit.await(placeAllLater(requests));
    }

    /**
     * {@link #placeAll} without waiting: decides at once (a refusal is thrown here) and returns the answer that
     * completes once the placement is committed, or fails with what made the commit fail.
     */
    public CompletableFuture<List<Allocation>> placeAllLater(List<PlacementRequest> requests) {
        try {
            checkTogether(requests);
        } catch (PlacementRefusal refusal) {
            refused(refusal);
            throw refusal;
        }
        decisions.lock();
        try {
            CompletableFuture<List<Allocation>> done = commits.submit(decide(state(), requests)).done;
            PLACED.increment(requests.size());
            return done;
        } catch (PlacementRefusal refusal) {
            refused(refusal);
            throw refusal;
        } catch (RuntimeException e) {
            forgetIfUnexpected(e);
            throw e;
        } finally {
            decisions.unlock();
        }
    }

    /**
     * The meters {@code cirrus.placements.decided} (VMs given a host, counted when decided; a failed commit still
     * fails the call) and {@code cirrus.placements.refused{reason}} (calls refused), in Micrometer's global registry:
     * Prometheus's {@code cirrus_placements_decided_total} and {@code cirrus_placements_refused_total}.
     */
    private static final io.micrometer.core.instrument.Counter PLACED = io.micrometer.core.instrument.Counter
            .builder("cirrus.placements.decided").description("VMs given a host")
            .register(io.micrometer.core.instrument.Metrics.globalRegistry);

    private static void refused(PlacementRefusal refusal) {
        io.micrometer.core.instrument.Counter.builder("cirrus.placements.refused").description("Place calls refused")
                .tag("reason", refusal.reason().name()).register(io.micrometer.core.instrument.Metrics.globalRegistry)
                .increment();
    }

    /**
     * Whether decisions can be taken without reading the database first: false after a failed commit until the
     * state is read again (callers that must not block, such as the gRPC transport's threads, then hand the call to
     * a thread that may).
     */
    public boolean ready() {
        return loaded;
    }

    private static void checkTogether(List<PlacementRequest> requests) {
        List<String> problems = new ArrayList<>();
        if (requests.isEmpty() || requests.size() > MAX_VMS_PER_CALL) {
            problems.add("vms must hold 1 to " + MAX_VMS_PER_CALL + " VMs, got " + requests.size());
        } else {
            PlacementRequest first = requests.getFirst();
            Set<String> ids = new HashSet<>();
            for (PlacementRequest r : requests) {
                if (!r.location().equals(first.location())) {
                    problems.add("every VM must have the same location: '" + r.location() + "' is not '"
                            + first.location() + "'");
                }
                if (!java.util.Objects.equals(r.group(), first.group())) {
                    problems.add("every VM must be in the same group: VM '" + r.vmId() + "' is not");
                }
                if (!ids.add(r.vmId())) {
                    problems.add("vm_id '" + r.vmId() + "' is listed twice");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw PlacementRefusal.invalidRequest(problems.stream().distinct().toList());
        }
    }

    /** Decides where the VMs go and puts them into the state; the caller holds the lock. */
    private GroupCommit.Pending<List<Allocation>> decide(EngineState state, List<PlacementRequest> requests) {
        PlacementRequest first = requests.getFirst();
        List<Allocation> placed = new ArrayList<>();
        boolean allPlaced = true;
        for (PlacementRequest request : requests) {
            Allocation existing = state.allocation(request.vmId());
            allPlaced &= existing != null;
            if (existing != null) {
                placed.add(existing.placedAgainBy(request));
            }
        }
        if (allPlaced) {
            return new GroupCommit.Pending<>(List.of(), List.of(), List.of(), placed);
        }
        RegionView region = state.region(first.location());
        if (region == null || region.isEmpty()) {
            throw PlacementRefusal.unknownLocation(first.location());
        }
        GroupState group = first.group() == null ? null : state.group(first.group());
        placed.clear();
        List<Allocation> fresh = new ArrayList<>();
        for (PlacementRequest request : requests) {
            Allocation existing = state.allocation(request.vmId());
            if (existing != null) {
                placed.add(existing.placedAgainBy(request));
                continue;
            }
            PlacementContext context = new PlacementContext(request, group, region.racksPerCluster());
            if (group != null && group.cluster() != null) {
                context.balanceOver(region.inCluster(group.cluster()));
            }
            Decision decision = scheduler.schedule(context, region);
            if (decision instanceof Decision.NothingFits nothing) {
                fresh.reversed().forEach(state::remove); // none of the call's VMs is placed
                throw new PlacementRefusal(PlacementRefusal.Reason.NOTHING_FITS,
                        (requests.size() > 1 ? "VM " + (placed.size() + 1) + " of " + requests.size() + ": " : "")
                                + nothing.message());
            }
            Allocation allocation = Allocation.on(((Decision.Fits) decision).host(), context, clock.instant());
            state.add(allocation);
            if (group != null) {
                group = group.with(allocation.cluster(), allocation.faultDomain(), allocation.updateDomain());
            }
            log.debug("placed VM {} ({}) on host {}", allocation.vmId(), allocation.resourceId(), allocation.host());
            fresh.add(allocation);
            placed.add(allocation);
        }
        return new GroupCommit.Pending<>(
                fresh.stream().map(a -> new GroupCommit.RowChange(a.vmId(), a, true)).toList(), List.of(),
                fresh.stream().map(Allocation::allocated).toList(), placed);
    }

    /**
     * Releases a VM's host capacity.
     *
     * @return false when the VM had no allocation (already released, or never placed)
     */
    public boolean release(String vmId) {
        return GroupCommit.await(releaseLater(vmId));
    }

    /** {@link #release} without waiting: the answer completes once the release is committed. */
    public CompletableFuture<Boolean> releaseLater(String vmId) {
        String id = VmIds.require(vmId);
        decisions.lock();
        try {
            EngineState state = state();
            Allocation released = state.allocation(id);
            if (released == null) {
                // nothing queued holds it either (the state runs ahead of the database, never behind)
                return CompletableFuture.completedFuture(false);
            }
            state.remove(released);
            return commits.submit(new GroupCommit.Pending<>(
                    List.of(new GroupCommit.RowChange(id, null, false)), List.of(),
                    List.of(released.released(clock.instant())), true)).done;
        } catch (RuntimeException e) {
            forgetIfUnexpected(e);
            throw e;
        } finally {
            decisions.unlock();
        }
    }

    /**
     * Runs {@code change} on the state under the decision lock, queues what it returns, and waits for its commit:
     * for the host operations, which decide with the same pipeline.
     */
    <T> T change(java.util.function.Function<EngineState, GroupCommit.Pending<T>> change) {
        GroupCommit.Pending<T> pending;
        decisions.lock();
        try {
            pending = commits.submit(change.apply(state()));
        } catch (RuntimeException e) {
            forgetIfUnexpected(e);
            throw e;
        } finally {
            decisions.unlock();
        }
        return pending.await();
    }

    /**
     * A refusal leaves the state as it was (decisions refuse before they change it, or take their changes back);
     * anything else may have left it half-changed, or queued nothing for what it changed: read it again. The caller
     * holds the lock.
     */
    private void forgetIfUnexpected(RuntimeException e) {
        if (!(e instanceof PlacementRefusal)) {
            state = null;
            loaded = false;
        }
    }

    /** The state, read from the database if it is not loaded; the caller holds the lock. */
    private EngineState state() {
        if (stopped) {
            throw new TransientDataAccessResourceException("the placement engine is stopping");
        }
        if (state == null) {
            ownership.ensure();
            state = tx.execute(s -> new EngineState(inventory.hosts(), allocations.all()));
            loaded = true;
        }
        return state;
    }

    /**
     * A VM's allocation from the in-memory state, answered once what it shows is committed: at once when no
     * change is waiting for the group commit, else after the commit of every change decided before the read. So the
     * answer is always committed state (a VM whose Place is not yet acknowledged is not shown as placed before its
     * commit), and a read never touches the database unless the state must be loaded first. Fails with
     * PlacementRefusal NOT_PLACED when the VM has no allocation.
     */
    public CompletableFuture<Allocation> allocationLater(String vmId) {
        String id = VmIds.require(vmId);
        return read(state -> state.allocation(id)).thenApply(a -> {
            if (a == null) {
                throw PlacementRefusal.notPlaced(id);
            }
            return a;
        });
    }

    /** The members of a set (its id is case-insensitive), by vmId: committed state, as {@link #allocationLater}. */
    public CompletableFuture<List<Allocation>> ofGroupLater(String groupId) {
        String key = groupId.strip().toLowerCase(java.util.Locale.ROOT);
        return read(state -> state.ofGroup(key));
    }

    /**
     * The VMs on a host (committed state, from memory, as {@link #allocationLater}), or on every host of a rack (read
     * from the database: the allocations keep the cluster and rack their host had when they were placed), by vmId.
     */
    public CompletableFuture<List<Allocation>> onLater(HostSelector where) {
        if (where.host() != null) {
            return read(state -> state.on(Set.of(where.host())));
        }
        return CompletableFuture.completedFuture(tx.execute(s -> allocations.onRack(where.cluster(), where.rack())));
    }

    private <T> CompletableFuture<T> read(java.util.function.Function<EngineState, T> query) {
        decisions.lock();
        try {
            return commits.whenCommitted(query.apply(state()));
        } catch (RuntimeException e) {
            forgetIfUnexpected(e);
            throw e;
        } finally {
            decisions.unlock();
        }
    }

    /** For the host operations, which share the pipeline. */
    Scheduler scheduler() {
        return scheduler;
    }

}
