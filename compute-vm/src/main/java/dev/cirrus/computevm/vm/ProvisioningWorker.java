package dev.cirrus.computevm.vm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.cirrus.computevm.network.NicAttachments;
import dev.cirrus.computevm.operation.Operation;
import dev.cirrus.computevm.operation.OperationError;
import dev.cirrus.computevm.operation.OperationRepository;
import dev.cirrus.computevm.operation.OperationRepository.Claim;
import dev.cirrus.computevm.placement.PlaceOutcome;
import dev.cirrus.computevm.placement.PlacementClient;
import dev.cirrus.computevm.placement.PlacementProperties;
import dev.cirrus.computevm.placement.ReleaseOutcome;
import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.contracts.placement.v1.AvailabilitySetGroup;
import dev.cirrus.contracts.placement.v1.PlaceRequest;
import dev.cirrus.contracts.placement.v1.PlacementGroup;
import dev.cirrus.contracts.placement.v1.ScaleSetGroup;
import dev.cirrus.contracts.placement.v1.VmSize;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Carries VM operations to their end, in the background: a create asks the placement engine for a host, a delete
 * releases it. Each step is load → call the engine (outside any transaction) → in ONE transaction re-read the VM
 * (locked), apply the transition, end the operation and write the events.
 *
 * <p>Work comes from the operations table ({@link OperationRepository#claimDue}): an InProgress operation is due at
 * its {@code next_attempt_at} (creation time + the configured provisioning delay, say). Committed writes wake the
 * worker at once; a periodic poll picks up what a restart left behind, and a claim is a lease, so work a crashed
 * instance held is taken over once its lease ends.
 *
 * <p>When the engine does not answer (down, deadline exceeded, breaker open) the operation is rescheduled after
 * {@code cirrus.vm.worker.retry-interval}, until {@code cirrus.vm.timings.placement-deadline} after the operation
 * started; then it fails with {@code InternalOperationError}, so a VM never stays Creating or Deleting forever.
 * Example, defaults: PUT at 10:00:00 → due 10:00:02 → engine down → retried every second (each attempt itself
 * retried 3 times with backoff, or refused at once while the breaker is open) → at 10:02:00 the VM is Failed, the
 * operation Failed, VM_ALLOCATION_FAILED is published. Had the engine come back at 10:00:30, the next attempt would
 * have placed the VM.
 */
@Component
class ProvisioningWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProvisioningWorker.class);

    private final OperationRepository operations;
    private final VirtualMachineRepository vms;
    private final VmEvents events;
    private final PlacementClient placement;
    private final WorkSignal signal;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final VmProperties.Timings timings;
    private final VmProperties.Worker settings;
    private final NicAttachments nics;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    ProvisioningWorker(OperationRepository operations, VirtualMachineRepository vms, VmEvents events,
                       PlacementClient placement, WorkSignal signal, TransactionTemplate tx, Clock clock,
                       VmProperties properties, PlacementProperties placementProperties, NicAttachments nics) {
        this.nics = nics;
        this.operations = operations;
        this.vms = vms;
        this.events = events;
        this.placement = placement;
        this.signal = signal;
        this.tx = tx;
        this.clock = clock;
        this.timings = properties.timings();
        this.settings = properties.worker();
        Duration worstCall = worstCaseCall(placementProperties);
        if (settings.lease().compareTo(worstCall) <= 0) {
            throw new IllegalArgumentException("cirrus.vm.worker.lease (" + settings.lease() + ") must outlast one "
                    + "placement call with its retries (" + worstCall + "), or two workers could run one operation");
        }
    }

    /** Deadline × attempts plus every backoff: the longest one engine call can hold a claimed operation. */
    static Duration worstCaseCall(PlacementProperties p) {
        int attempts = p.retry().maxAttempts();
        return p.callDeadline().multipliedBy(attempts).plus(p.retry().maxBackoff().multipliedBy(attempts - 1L));
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        for (int i = 0; i < settings.threads(); i++) {
            threads.add(Thread.ofPlatform().name("vm-provisioning-" + i).daemon(true).start(this::loop));
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
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
                log.warn("provisioning worker: {}", e.toString());
                try {
                    signal.await(settings.pollInterval());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private Duration untilNextDue() {
        Instant now = now();
        Duration poll = settings.pollInterval();
        return operations.nextDue().map(due -> Duration.between(now, due))
                .filter(d -> d.compareTo(poll) < 0).map(d -> d.isNegative() ? Duration.ZERO : d).orElse(poll);
    }

    /** Claims and runs one due operation; false when nothing was due. */
    boolean workOnce() {
        Instant now = now();
        Optional<Claim> claim = operations.claimDue(now, now.plus(settings.lease()));
        if (claim.isEmpty()) {
            return false;
        }
        Claim c = claim.get();
        Optional<VirtualMachine> vm = vms.find(c.resourceKey()).filter(v -> c.operationId().equals(v.operationId()));
        if (vm.isEmpty()) {
            abandon(c);
            return true;
        }
        switch (c.kind()) {
            case Create -> create(c, vm.get());
            case Delete -> delete(c, vm.get());
            case Start -> start(c, vm.get());
            case PowerOff -> inTransaction(c, (current, op) -> finish(current, op, current.stopped(now())));
            case Deallocate -> deallocate(c, vm.get());
            case Restart -> inTransaction(c, (current, op) -> finish(current, op, current.restarted(now())));
            case Redeploy -> redeploy(c, vm.get());
            case ServiceHealReboot ->
                    inTransaction(c, (current, op) -> finish(current, op, current.serviceHealingRebooted(now())));
            // a scale set's operation is never queued (scaleset/ScaleSetWorker ends it); nothing to do here
            case ScaleSetUpdate -> abandon(c);
            case Reimage -> inTransaction(c, (current, op) -> finish(current, op, current.reimaged(now())));
        }
        return true;
    }

    private void finish(VirtualMachine vm, Operation op, List<VmLifecycleEvent> caused) {
        events.publish(caused);
        vms.update(vm);
        operations.update(op.succeed(now()));
    }

    private void failed(VirtualMachine vm, Operation op, OperationError error, List<VmLifecycleEvent> caused) {
        events.publish(caused);
        vms.update(vm);
        operations.update(op.fail(error, now()));
    }

    /** A stopped VM still has its host; a deallocated one is placed again, as at creation. */
    private void start(Claim claim, VirtualMachine vm) {
        if (vm.placement() != null) {
            inTransaction(claim, (current, op) -> finish(current, op, current.started(null, now())));
            return;
        }
        place(claim, vm, "started", (current, op, p) -> finish(current, op, current.started(p, now())));
    }

    private void deallocate(Claim claim, VirtualMachine vm) {
        ReleaseOutcome outcome = placement.release(vm.vmId().toString());
        Instant now = now();
        if (outcome instanceof ReleaseOutcome.Unavailable u && !pastDeadline(claim, now)) {
            operations.reschedule(claim.operationId(), now.plus(settings.retryInterval()), u.reason());
            return;
        }
        inTransaction(claim, (current, op) -> {
            switch (outcome) {
                case ReleaseOutcome.Released r -> finish(current, op, current.deallocated(now));
                case ReleaseOutcome.Unavailable u -> {
                    OperationError error = deadlineError("deallocated", u.reason());
                    failed(current, op, error, current.deallocationFailed(error, now));
                }
            }
        });
    }

    /**
     * Released, then placed again like a new VM of its set on another host than the one it leaves (the engine is told
     * to exclude it): the engine picks the host anew.
     */
    private void redeploy(Claim claim, VirtualMachine vm) {
        ReleaseOutcome released = placement.release(vm.vmId().toString());
        Instant now = now();
        if (released instanceof ReleaseOutcome.Unavailable u) {
            if (!pastDeadline(claim, now)) {
                operations.reschedule(claim.operationId(), now.plus(settings.retryInterval()), u.reason());
                return;
            }
            // the host was never released: the VM goes on running where it was, and the redeploy failed
            inTransaction(claim, (current, op) -> {
                OperationError error = deadlineError("redeployed", u.reason());
                failed(current, op, error, current.restartedAfterFailedRedeploy(error, now));
            });
            return;
        }
        String leaving = vm.placement() == null ? null : vm.placement().host();
        place(claim, vm, "redeployed", leaving, (current, op, p) -> finish(current, op, current.redeployed(p, now())),
                VirtualMachine::placementFailed);
    }

    private interface PlacedStep {
        void apply(VirtualMachine current, Operation op, Placement placement);
    }

    /** The VM's transition when no host was found (refused, or no answer by the deadline). */
    private interface NotPlacedStep {
        List<VmLifecycleEvent> apply(VirtualMachine current, OperationError error, Instant now);
    }

    /**
     * Asks for a host for a start or a redeploy; silence is retried until the deadline; a refusal (or the deadline)
     * leaves the VM Failed and deallocated.
     */
    private void place(Claim claim, VirtualMachine vm, String what, PlacedStep onPlaced) {
        place(claim, vm, what, null, onPlaced, VirtualMachine::placementFailed);
    }

    /**
     * Asks for a host: silence is retried until the deadline; a refusal (or the deadline) ends the operation Failed
     * with {@code notPlaced}'s transition.
     *
     * @param excludedHost a host the VM must not land on (the one a redeploy leaves), or null
     */
    private void place(Claim claim, VirtualMachine vm, String what, String excludedHost, PlacedStep onPlaced,
                       NotPlacedStep notPlaced) {
        PlaceRequest request = placeRequest(vm);
        if (excludedHost != null) {
            request = request.toBuilder().addExcludeHosts(excludedHost).build();
        }
        PlaceOutcome outcome = placement.place(request);
        Instant now = now();
        if (outcome instanceof PlaceOutcome.Unavailable u && !pastDeadline(claim, now)) {
            operations.reschedule(claim.operationId(), now.plus(settings.retryInterval()), u.reason());
            return;
        }
        inTransaction(claim, (current, op) -> {
            switch (outcome) {
                case PlaceOutcome.Placed p -> onPlaced.apply(current, op,
                        new Placement(p.host(), p.cluster(), p.rack(), p.faultDomain(), p.updateDomain()));
                case PlaceOutcome.Refused r -> {
                    OperationError error = new OperationError(OperationError.ALLOCATION_FAILED, r.diagnosis());
                    failed(current, op, error, notPlaced.apply(current, error, now));
                }
                case PlaceOutcome.Unavailable u -> {
                    OperationError error = deadlineError(what, u.reason());
                    failed(current, op, error, notPlaced.apply(current, error, now));
                }
            }
        });
    }

    /**
     * The Place request of a VM: its size, and its availability set's or scale set's group when it has one (the
     * engine keeps a scale set's instances balanced over its fault domains).
     */
    static PlaceRequest placeRequest(VirtualMachine vm) {
        PlaceRequest.Builder request = PlaceRequest.newBuilder()
                .setVmId(vm.vmId().toString())
                .setResourceId(vm.ref().id())
                .setLocation(vm.location())
                .setSize(VmSize.newBuilder().setName(vm.size().name()).setVcpus(vm.size().vcpus())
                        .setMemoryMib(vm.size().memoryMib()));
        AvailabilitySetRef set = vm.availabilitySet();
        if (set != null) {
            request.setGroup(PlacementGroup.newBuilder().setAvailabilitySet(AvailabilitySetGroup.newBuilder()
                    .setId(set.key()).setFaultDomainCount(set.faultDomainCount())
                    .setUpdateDomainCount(set.updateDomainCount())));
        }
        ScaleSetMembership scaleSet = vm.scaleSet();
        if (scaleSet != null) {
            request.setGroup(PlacementGroup.newBuilder().setScaleSet(ScaleSetGroup.newBuilder()
                    .setId(scaleSet.key()).setFaultDomainCount(scaleSet.faultDomainCount())));
        }
        return request.build();
    }

    private void create(Claim claim, VirtualMachine vm) {
        place(claim, vm, "allocated", null, (current, op, p) -> finish(current, op, current.placed(p, now())),
                VirtualMachine::allocationFailed);
    }

    private void delete(Claim claim, VirtualMachine vm) {
        ReleaseOutcome outcome = placement.release(vm.vmId().toString());
        Instant now = now();
        if (outcome instanceof ReleaseOutcome.Unavailable u && !pastDeadline(claim, now)) {
            operations.reschedule(claim.operationId(), now.plus(settings.retryInterval()), u.reason());
            return;
        }
        inTransaction(claim, (current, op) -> {
            switch (outcome) {
                case ReleaseOutcome.Released r -> {
                    events.publish(current.deleted(now));
                    if (!current.ref().uniformInstance()) {
                        // a Uniform instance's NICs are not Microsoft.Network resources: nothing to release
                        nics.release(ResourceId.of(current.ref().subscriptionId(), current.ref().resourceGroup(),
                                "Microsoft.Compute", "virtualMachines", current.ref().name()));
                    }
                    vms.delete(current);
                    operations.update(op.succeed(now));
                }
                case ReleaseOutcome.Unavailable u -> {
                    OperationError error = deadlineError("released", u.reason());
                    current.deletionFailed(error, now);
                    vms.update(current);
                    operations.update(op.fail(error, now));
                }
            }
        });
    }

    private boolean pastDeadline(Claim claim, Instant now) {
        return !now.isBefore(claim.startTime().plus(timings.placementDeadline()));
    }

    private OperationError deadlineError(String what, String reason) {
        return new OperationError(OperationError.INTERNAL_OPERATION_ERROR, "The virtual machine could not be " + what
                + ": the placement engine did not answer within " + timings.placementDeadline().toSeconds()
                + " seconds (last error: " + reason + "). Retry the operation later.");
    }

    private interface Step {
        void apply(VirtualMachine current, Operation op);
    }

    /** Re-reads VM and operation under lock; applies the step only if the claim is still theirs. */
    private void inTransaction(Claim claim, Step step) {
        tx.executeWithoutResult(status -> {
            Optional<VirtualMachine> current = vms.findForUpdate(claim.resourceKey())
                    .filter(v -> claim.operationId().equals(v.operationId()));
            Optional<Operation> op = operations.find(claim.operationId())
                    .filter(o -> !o.status().terminal());
            if (current.isEmpty() || op.isEmpty()) {
                log.info("operation {} was finished elsewhere; dropping this attempt", claim.operationId());
                return;
            }
            step.apply(current.get(), op.get());
        });
    }

    /** The VM no longer carries this operation (it cannot happen through the API): end it instead of retrying. */
    private void abandon(Claim claim) {
        tx.executeWithoutResult(status -> operations.find(claim.operationId())
                .filter(o -> !o.status().terminal())
                .ifPresent(o -> operations.update(o.cancel(new OperationError("OperationCanceled",
                        "The virtual machine no longer exists or is being changed by another operation."),
                        now()))));
    }

    /** PostgreSQL keeps microseconds: times are cut to them, so what is answered now equals what is read later. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
