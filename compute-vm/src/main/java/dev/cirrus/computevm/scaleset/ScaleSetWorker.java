package dev.cirrus.computevm.scaleset;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import dev.cirrus.computevm.operation.Operation;
import dev.cirrus.computevm.operation.OperationError;
import dev.cirrus.computevm.operation.OperationRepository;
import dev.cirrus.computevm.vm.PowerAction;
import dev.cirrus.computevm.vm.PowerState;
import dev.cirrus.computevm.vm.ProvisioningState;
import dev.cirrus.computevm.vm.ScaleSetInstances;
import dev.cirrus.computevm.vm.VirtualMachine;
import dev.cirrus.computevm.vm.VmProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Ends a scale set's operation once its instances have finished theirs. Every {@code cirrus.vmss.poll-interval} it
 * looks at the sets with a running operation; for each, in one transaction (set and instances locked):
 * <ol>
 *   <li>an instance still busy (Creating, Updating, Deleting) → not yet;</li>
 *   <li>a rolling upgrade takes its next step ({@link #rollOn});</li>
 *   <li>a set being deleted with no instance left → the set row goes, the operation Succeeded, SCALE_SET_DELETED;
 *       an instance whose deletion failed → the operation Failed;</li>
 *   <li>more instances than wanted (overprovisioning) → the surplus, by the scale-in order (failed ones first), is
 *       deleted → next round;</li>
 *   <li>otherwise the operation ends: Failed ({@code AllocationFailed}, the first instance's diagnosis) when fewer
 *       instances succeeded than wanted — the failed instances stay, Failed, counted in the capacity, as in Azure —
 *       else Succeeded; SCALE_SET_SCALED.</li>
 * </ol>
 * Everything it needs is in the database, so a restart in the middle of a scale-out simply carries on: the VM
 * worker resumes the instances' operations and this worker ends the set's.
 */
@Component
class ScaleSetWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ScaleSetWorker.class);

    private final ScaleSetRepository sets;
    private final ScaleSetInstances instances;
    private final OperationRepository operations;
    private final ScaleSetEvents events;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ScaleSetProperties properties;
    private final ScaleSets scaleSets;
    private final RollingUpgrades rollingUpgrades;
    private volatile Thread thread;
    private volatile boolean running;

    ScaleSetWorker(ScaleSetRepository sets, ScaleSetInstances instances, OperationRepository operations,
                   ScaleSetEvents events, TransactionTemplate tx, Clock clock, ScaleSetProperties properties,
                   ScaleSets scaleSets, RollingUpgrades rollingUpgrades) {
        this.scaleSets = scaleSets;
        this.rollingUpgrades = rollingUpgrades;
        this.sets = sets;
        this.instances = instances;
        this.operations = operations;
        this.events = events;
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
        thread = Thread.ofPlatform().name("vmss-worker").daemon(true).start(this::loop);
    }

    @Override
    public synchronized void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
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
                settleAll();
                Thread.sleep(properties.pollInterval());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the database is down, most likely: the next round tries again
                log.warn("scale set worker: {}", e.toString());
                try {
                    Thread.sleep(properties.pollInterval());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    void settleAll() {
        for (String key : sets.busyKeys()) {
            tx.executeWithoutResult(status -> settle(key));
        }
    }

    private void settle(String key) {
        Optional<ScaleSet> found = sets.findForUpdate(key);
        if (found.isEmpty() || found.get().operationId() == null) {
            return;
        }
        ScaleSet set = found.get();
        List<VirtualMachine> all = instances.lockAll(key);
        if (all.stream().anyMatch(vm -> vm.operationId() != null || vm.provisioningState().busy())) {
            return;
        }
        Optional<Operation> op = operations.find(set.operationId()).filter(o -> !o.status().terminal());
        Instant now = now();
        if (set.state() == ScaleSet.State.Deleting) {
            if (all.isEmpty()) {
                events.publish(set.deleted(now));
                sets.delete(set);
                rollingUpgrades.delete(set.key());
                op.ifPresent(o -> operations.update(o.succeed(now)));
                return;
            }
            OperationError error = new OperationError(OperationError.INTERNAL_OPERATION_ERROR, all.size()
                    + " instances of scale set '" + set.name() + "' could not be deleted: "
                    + firstFailure(all) + " Delete the scale set again.");
            end(set, op, error, all.size(), now);
            return;
        }
        if (set.rolling()) {
            rollOn(set, all, op, now);
            return;
        }
        Integer wanted = set.wantedInstances();
        if (wanted != null && all.size() > wanted) {
            Optional<List<String>> surplus = ScaleInOrder.choose(ScaleSets.candidates(all), all.size() - wanted,
                    ScaleInOrder.Rule.Default, set.mode() == OrchestrationMode.Uniform);
            if (surplus.isPresent()) {
                for (VirtualMachine vm : all) {
                    if (surplus.get().contains(vm.ref().key())) {
                        instances.delete(vm, now);
                    }
                }
                return;
            }
        }
        OperationError error = null;
        long succeeded = all.stream().filter(vm -> vm.provisioningState() == ProvisioningState.Succeeded).count();
        List<VirtualMachine> failedNow = op.map(o -> all.stream()
                .filter(vm -> vm.provisioningState() == ProvisioningState.Failed)
                .filter(vm -> !vm.stateChangedAt().isBefore(o.startTime())).toList()).orElse(List.of());
        if (wanted != null && succeeded < wanted) {
            error = new OperationError(OperationError.ALLOCATION_FAILED, "Allocation failed for " + (wanted - succeeded)
                    + " of the " + wanted + " instances of scale set '" + set.name() + "': " + firstFailure(all));
        } else if (!failedNow.isEmpty()) {
            error = failedNow.getFirst().failure() == null ? null : failedNow.getFirst().failure();
        }
        end(set, op, error, all.size(), now);
    }

    /**
     * One step of a rolling upgrade (nothing busy): a batch just ended → the pause starts; the pause is over → the
     * next batch: the outdated instances of the lowest update domain that has any, at most
     * {@code maxBatchInstancePercent} of the set (at least one), each taking the model and reimaging (a stopped or
     * deallocated one just takes the model). A batch never spans two update domains, so at most one update domain
     * is being upgraded at a time. More failed instances than {@code maxUnhealthyInstancePercent} stops the upgrade
     * (Failed); no outdated instance left ends it (Succeeded).
     *
     * <p>Example: 6 instances in update domains 0,1,2,3,4,0, 34 %: batches of 2 → {0, 5} (UD 0), then {1}, {2},
     * {3}, {4}: five batches, each after the one before has finished and the pause has passed.
     */
    private void rollOn(ScaleSet set, List<VirtualMachine> all, Optional<Operation> op, Instant now) {
        ScaleSetSettings.RollingUpgradePolicy policy = set.settings().upgradePolicy().rollingUpgradePolicy();
        if (policy == null) {
            // the policy was changed away from Rolling meanwhile: Azure's defaults finish the upgrade
            policy = new ScaleSetSettings.RollingUpgradePolicy(20, 20, 20, "PT0S");
        }
        if (rollingUpgrades.cancelled(set.key())) {
            // cancelled by the user: the batch in flight has finished, no further batch starts
            end(set, op, null, all.size(), now);
            return;
        }
        if (set.rollingNextAt() == null) {
            set.rollingBatchEnded(now.plus(Duration.parse(policy.pauseTimeBetweenBatches())));
            sets.update(set);
            return;
        }
        long unhealthy = all.stream().filter(vm -> vm.provisioningState() == ProvisioningState.Failed).count();
        if (unhealthy * 100 > (long) policy.maxUnhealthyInstancePercent() * all.size()) {
            end(set, op, new OperationError("MaxUnhealthyInstancePercentExceededInRollingUpgrade", "The rolling "
                    + "upgrade of scale set '" + set.name() + "' stopped: " + unhealthy + " of its " + all.size()
                    + " instances are unhealthy, more than maxUnhealthyInstancePercent ("
                    + policy.maxUnhealthyInstancePercent() + " %)."), all.size(), now);
            return;
        }
        if (now.isBefore(set.rollingNextAt())) {
            return;
        }
        List<VirtualMachine> outdated = all.stream()
                .filter(vm -> vm.scaleSet().modelVersion() != set.modelVersion()).toList();
        if (outdated.isEmpty()) {
            end(set, op, null, all.size(), now);
            return;
        }
        int batchSize = Math.max(1, policy.maxBatchInstancePercent() * all.size() / 100);
        int domain = outdated.stream().mapToInt(ScaleSetWorker::updateDomain).min().orElseThrow();
        VmProfile.ImageReference image = scaleSets.image(set);
        outdated.stream().filter(vm -> updateDomain(vm) == domain).limit(batchSize).forEach(vm -> {
            vm.applyModel(set.modelVersion(), image);
            if (vm.powerState() == PowerState.running || vm.powerState() == PowerState.stopped) {
                instances.powerAction(vm, PowerAction.reimage, now);
            } else {
                instances.save(vm);
            }
        });
        set.rollingBatchStarted();
        sets.update(set);
    }

    /** An instance's update domain; one without a host goes first (-1). */
    private static int updateDomain(VirtualMachine vm) {
        return vm.placement() == null ? -1 : vm.placement().updateDomain();
    }

    private void end(ScaleSet set, Optional<Operation> op, OperationError error, int count, Instant now) {
        if (set.rolling()) {
            rollingUpgrades.ended(set.key(), error == null ? null : error.code(), error == null ? null : error.message());
        }
        events.publish(set.operationEnded(error, count, now));
        sets.update(set);
        op.ifPresent(o -> operations.update(error == null ? o.succeed(now) : o.fail(error, now)));
    }

    private static String firstFailure(List<VirtualMachine> all) {
        return all.stream().filter(vm -> vm.failure() != null).map(vm -> vm.failure().message()).findFirst()
                .orElse("no diagnosis.");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
