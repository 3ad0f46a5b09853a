package dev.cirrus.computevm.scaleset;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import dev.cirrus.computevm.operation.Operation;
import dev.cirrus.computevm.operation.OperationKind;
import dev.cirrus.computevm.operation.OperationRepository;
import dev.cirrus.computevm.vm.PowerAction;
import dev.cirrus.computevm.vm.PowerState;
import dev.cirrus.computevm.vm.ProvisioningState;
import dev.cirrus.computevm.vm.ScaleSetInstances;
import dev.cirrus.computevm.vm.ScaleSetMembership;
import dev.cirrus.computevm.vm.VirtualMachine;
import dev.cirrus.computevm.vm.VmProfile;
import dev.cirrus.computevm.vm.VmRef;
import dev.cirrus.computevm.vm.VmRequest;
import dev.cirrus.computevm.vm.VmRequestParser;
import dev.cirrus.contracts.arm.Preconditions;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * The scale-set use cases: load the set (locked) and its instances (locked) → decide (the {@link ScaleSet}, and
 * {@link ScaleInOrder} for which instances go) → save the set, its operation, the instances' own operations and all
 * events in one transaction. The instances are then carried out by the VM worker; {@link ScaleSetWorker} ends the
 * set's operation once none of them is busy.
 *
 * <p>Scale-out with overprovisioning (Uniform, the default): {@code n} more instances are wanted, so
 * {@code n + ceil(n / 5)} are created; once all are placed (or failed), the surplus is deleted by the scale-in
 * order (failed ones first), so the set keeps {@code n} new instances balanced over its fault domains. Example:
 * capacity 0 → 5 creates instances 0..5; all succeed; instance 5 is deleted; the set has 0..4 (ids keep the gap).
 */
@Service
class ScaleSets {

    private final ScaleSetRepository sets;
    private final ScaleSetInstances instances;
    private final OperationRepository operations;
    private final ScaleSetEvents events;
    private final VmRequestParser vmParser;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ObjectMapper json;
    private RollingUpgrades rollingUpgrades;

    ScaleSets(ScaleSetRepository sets, ScaleSetInstances instances, OperationRepository operations,
              ScaleSetEvents events, dev.cirrus.computevm.size.SizeCatalogue sizes, TransactionTemplate tx,
              Clock clock, ObjectMapper json) {
        this.json = json;
        this.sets = sets;
        this.instances = instances;
        this.operations = operations;
        this.events = events;
        this.vmParser = new VmRequestParser(sizes);
        this.tx = tx;
        this.clock = clock;
    }

    @org.springframework.beans.factory.annotation.Autowired
    void setRollingUpgrades(RollingUpgrades rollingUpgrades) {
        this.rollingUpgrades = rollingUpgrades;
    }

    /** The latest rolling upgrade of a set and the set with its instances (404 for either missing). */
    record LatestRollingUpgrade(ScaleSet set, List<VirtualMachine> instances, RollingUpgrades.Status status) {
    }

    LatestRollingUpgrade latestRollingUpgrade(String subscriptionId, String resourceGroup, String name) {
        Members members = members(subscriptionId, resourceGroup, name);
        RollingUpgrades.Status status = rollingUpgrades.find(members.set().key()).orElseThrow(() ->
                ArmException.notFound("NotFound", "The rolling upgrade of scale set '" + name + "' was not found: no "
                        + "rolling upgrade has run on it."));
        return new LatestRollingUpgrade(members.set(), members.instances(), status);
    }

    /** Cancels the running rolling upgrade: the batch in flight finishes, no further batch starts (409 if none runs). */
    Accepted cancelRollingUpgrade(String subscriptionId, String resourceGroup, String name) {
        return tx.execute(status -> {
            ScaleSet set = sets.findForUpdate(key(subscriptionId, resourceGroup, name))
                    .orElseThrow(() -> notFound(resourceGroup, name));
            if (!set.rolling() || !rollingUpgrades.cancel(set.key(), now())) {
                throw ArmException.conflict("OperationNotAllowed", "There is no ongoing rolling upgrade on scale set '"
                        + name + "' to cancel.");
            }
            return new Accepted(set.operationId(), set.location());
        });
    }

    /** A PUT's outcome: the set, and the operation it started (null when nothing has to happen to instances). */
    record Written(ScaleSet set, UUID operationId, boolean created) {
    }

    /** A long-running operation accepted (202): its id and the region its URLs live under. */
    record Accepted(UUID operationId, String location) {
    }

    record Page(List<ScaleSet> sets, String nextAfterKey) {
    }

    Written put(String subscriptionId, String resourceGroup, String name, ScaleSetRequest request,
                Preconditions preconditions) {
        String key = key(subscriptionId, resourceGroup, name);
        try {
            return tx.execute(status -> {
                Optional<ScaleSet> existing = sets.findForUpdate(key);
                preconditions.checkPut(existing.map(ScaleSet::etag).orElse(null));
                if (request.model() != null) {
                    // the model's image must exist now, whether or not an instance is created from it yet
                    instances.resolveImage(request.model().imageReference());
                }
                Instant now = now();
                if (existing.isEmpty()) {
                    UUID op = UUID.randomUUID();
                    ScaleSet set = ScaleSet.create(subscriptionId, resourceGroup, name, request, op, now);
                    int count = scaleOut(set, request.model(), (int) request.capacity(), now);
                    sets.insert(set);
                    operations.insertUnscheduled(Operation.start(op, subscriptionId, set.location(), set.key(),
                            OperationKind.Create, now));
                    events.publish(set.created(now, count));
                    return new Written(set, op, true);
                }
                ScaleSet set = existing.get();
                return update(set, resourceGroup, name, request, now);
            });
        } catch (DuplicateKeyException e) {
            throw ArmException.conflict("AnotherOperationInProgress", "Operation on virtual machine scale set '" + name
                    + "' is not allowed: another operation is in progress. Retry after it completes.");
        }
    }

    /** A PATCH: {@code merge} turns the stored set into the PUT body it amounts to; then the PUT's rules. */
    Written patch(String subscriptionId, String resourceGroup, String name, Function<ScaleSet, ScaleSetRequest> merge,
                  Preconditions preconditions) {
        return tx.execute(status -> {
            ScaleSet set = sets.findForUpdate(key(subscriptionId, resourceGroup, name))
                    .orElseThrow(() -> notFound(resourceGroup, name));
            preconditions.checkPut(set.etag());
            return update(set, resourceGroup, name, merge.apply(set), now());
        });
    }

    private Written update(ScaleSet set, String resourceGroup, String name, ScaleSetRequest request, Instant now) {
        boolean modelChanged = set.update(resourceGroup, name, request, modelChange(set, request));
        List<VirtualMachine> members = instances.lockAll(set.key());
        List<VirtualMachine> live = members.stream()
                .filter(vm -> vm.provisioningState() != ProvisioningState.Deleting).toList();
        if (modelChanged && set.settings().upgradePolicy().mode() == ScaleSetSettings.UpgradeMode.Automatic) {
            // Automatic: every instance takes the new model at once (one that is busy keeps its old one)
            VmProfile.ImageReference image = image(set);
            for (VirtualMachine vm : live) {
                if (vm.operationId() == null && !vm.provisioningState().busy()) {
                    vm.applyModel(set.modelVersion(), image);
                    instances.save(vm);
                }
            }
        }
        UUID op = null;
        int wanted = (int) set.capacity();
        int count = live.size();
        if (wanted != live.size()) {
            op = UUID.randomUUID();
            set.takeOperation(op, wanted);
            if (wanted > live.size()) {
                count += scaleOut(set, model(set), wanted - live.size(), now);
            } else {
                scaleIn(set, live, live.size() - wanted, now);
            }
            operations.insertUnscheduled(Operation.start(op, set.subscriptionId(), set.location(), set.key(),
                    OperationKind.ScaleSetUpdate, now));
        } else if (modelChanged && set.settings().upgradePolicy().mode() == ScaleSetSettings.UpgradeMode.Rolling
                && live.stream().anyMatch(vm -> vm.scaleSet().modelVersion() != set.modelVersion())) {
            // Rolling: the worker upgrades the instances batch by batch, one update domain at a time
            op = UUID.randomUUID();
            set.beginRollingUpgrade(op, now);
            rollingUpgrades.started(set.key(), now);
            operations.insertUnscheduled(Operation.start(op, set.subscriptionId(), set.location(), set.key(),
                    OperationKind.ScaleSetUpdate, now));
        }
        sets.update(set);
        events.publish(set.updated(now, count));
        return new Written(set, op, false);
    }

    /**
     * Creates {@code add} instances (plus the overprovisioning extras of a Uniform set that asks for them), after
     * checking the vCPU quota for the {@code add} (extras do not count, as in Azure). Returns how many were created.
     */
    private int scaleOut(ScaleSet set, VmRequest model, int add, Instant now) {
        if (add <= 0) {
            return 0;
        }
        instances.checkQuota(set.subscriptionId(), set.location(), add * model.size().numberOfCores());
        int extra = set.settings().overprovision() ? (add + 4) / 5 : 0;
        VmProfile.ImageReference image = instances.resolveImage(model.imageReference());
        boolean uniform = set.mode() == OrchestrationMode.Uniform;
        for (int i = 0; i < add + extra; i++) {
            long id = set.takeInstanceId();
            VmRef ref = uniform
                    ? VmRef.instance(set.subscriptionId(), set.resourceGroup(), set.name(), Long.toString(id))
                    : new VmRef(set.subscriptionId(), set.resourceGroup(),
                            set.name() + "_" + UUID.randomUUID().toString().substring(0, 8));
            ScaleSetMembership membership = new ScaleSetMembership(set.id(), set.faultDomainCount(), id,
                    set.modelVersion(), false, false);
            instances.add(ref, model, image, membership, computerName(set.computerNamePrefix(), id), now);
        }
        return add + extra;
    }

    /** Azure's instance computer names: the prefix and the instance id in 6 base-36 digits ({@code web000012}). */
    static String computerName(String prefix, long id) {
        String digits = Long.toString(id, 36);
        return prefix + "0".repeat(Math.max(0, 6 - digits.length())) + digits;
    }

    /** Starts deleting {@code remove} of {@code live} by the set's scale-in policy; 409 when too many are protected. */
    private void scaleIn(ScaleSet set, List<VirtualMachine> live, int remove, Instant now) {
        ScaleSetSettings.ScaleInPolicy policy = set.settings().scaleInPolicy();
        List<String> victims = ScaleInOrder.choose(candidates(live), remove, policy.rule(),
                set.mode() == OrchestrationMode.Uniform).orElseThrow(() -> ArmException.conflict(
                "OperationNotAllowed", "The scale set cannot be scaled in to " + (live.size() - remove)
                        + " instances: only " + live.stream().filter(vm -> !isProtected(vm)).count() + " of its "
                        + live.size() + " instances are not protected from scale-in."));
        for (VirtualMachine vm : live) {
            if (victims.contains(vm.ref().key())) {
                instances.delete(vm, now);
            }
        }
    }

    static List<ScaleInOrder.Candidate> candidates(List<VirtualMachine> vms) {
        return vms.stream().map(vm -> new ScaleInOrder.Candidate(vm.ref().key(), vm.scaleSet().instanceSeq(),
                vm.placement() == null ? null : vm.placement().faultDomain(), isProtected(vm))).toList();
    }

    private static boolean isProtected(VirtualMachine vm) {
        return vm.scaleSet().protectFromScaleIn() || vm.scaleSet().protectFromScaleSetActions();
    }

    Optional<ScaleSet> get(String subscriptionId, String resourceGroup, String name) {
        return sets.find(key(subscriptionId, resourceGroup, name));
    }

    ScaleSet require(String subscriptionId, String resourceGroup, String name) {
        return get(subscriptionId, resourceGroup, name).orElseThrow(() -> notFound(resourceGroup, name));
    }

    Page list(String subscriptionId, String resourceGroupOrNull, String afterKey, int pageSize) {
        List<ScaleSet> rows = sets.list(subscriptionId, resourceGroupOrNull, afterKey, pageSize + 1);
        if (rows.size() <= pageSize) {
            return new Page(rows, null);
        }
        List<ScaleSet> page = rows.subList(0, pageSize);
        return new Page(page, page.get(pageSize - 1).key());
    }

    /** DELETE: every instance is deleted, then the set (ScaleSetWorker); null when there is no such set (204). */
    Accepted delete(String subscriptionId, String resourceGroup, String name, Preconditions preconditions) {
        return tx.execute(status -> {
            Optional<ScaleSet> existing = sets.findForUpdate(key(subscriptionId, resourceGroup, name));
            if (existing.isEmpty()) {
                return null;
            }
            ScaleSet set = existing.get();
            preconditions.checkDelete(set.etag());
            if (set.state() == ScaleSet.State.Deleting) {
                return new Accepted(set.operationId(), set.location());
            }
            Instant now = now();
            UUID op = UUID.randomUUID();
            set.beginDeletion(op);
            for (VirtualMachine vm : instances.lockAll(set.key())) {
                instances.delete(vm, now);
            }
            sets.update(set);
            operations.insertUnscheduled(Operation.start(op, subscriptionId, set.location(), set.key(),
                    OperationKind.Delete, now));
            return new Accepted(op, set.location());
        });
    }

    /** The set and its instances, in instance order. */
    record Members(ScaleSet set, List<VirtualMachine> instances) {
    }

    Members members(String subscriptionId, String resourceGroup, String name) {
        ScaleSet set = require(subscriptionId, resourceGroup, name);
        return new Members(set, instances.of(set.key()));
    }

    /** One instance (by instance id; a Flexible set's by VM name); 404 when the set or the instance is unknown. */
    Members instance(String subscriptionId, String resourceGroup, String name, String instanceId) {
        Members all = members(subscriptionId, resourceGroup, name);
        VirtualMachine vm = all.instances().stream().filter(v -> v.ref().name().equalsIgnoreCase(instanceId))
                .findFirst().orElseThrow(() -> instanceNotFound(name, instanceId));
        return new Members(all.set(), List.of(vm));
    }

    /** A power action on one instance: its own operation, as on a VM. */
    Accepted instanceAction(String subscriptionId, String resourceGroup, String name, String instanceId,
                            PowerAction action) {
        return tx.execute(status -> {
            ScaleSet set = lockedSet(subscriptionId, resourceGroup, name);
            VirtualMachine vm = lockedInstance(set, instanceId);
            UUID op = instances.powerAction(vm, action, now());
            return new Accepted(op, set.location());
        });
    }

    /** DELETE of one instance: the set's capacity goes down by one, as in Azure. Null when there is none (204). */
    Accepted deleteInstance(String subscriptionId, String resourceGroup, String name, String instanceId) {
        return tx.execute(status -> {
            ScaleSet set = lockedSet(subscriptionId, resourceGroup, name);
            Optional<VirtualMachine> found = instances.lockAll(set.key()).stream()
                    .filter(v -> v.ref().name().equalsIgnoreCase(instanceId)).findFirst();
            if (found.isEmpty()) {
                return null;
            }
            VirtualMachine vm = found.get();
            if (vm.provisioningState() == ProvisioningState.Deleting) {
                return new Accepted(vm.operationId(), set.location());
            }
            set.instanceDeleted();
            instances.delete(vm, now());
            sets.update(set);
            events.publish(set.updated(now(), instances.of(set.key()).size()));
            return new Accepted(vm.operationId(), set.location());
        });
    }

    /**
     * A set-wide power action, or {@code delete} (deleteInstances, which lowers the capacity), on the instances
     * named (all when {@code instanceIds} is null; instances protected from scale-set actions are then left alone).
     * One set operation, ended by the worker when the instances' own operations are. Instances already where the
     * action leads are skipped; any other refusal refuses the whole request.
     */
    Accepted setAction(String subscriptionId, String resourceGroup, String name, SetAction action,
                       List<String> instanceIds) {
        return tx.execute(status -> {
            ScaleSet set = lockedSet(subscriptionId, resourceGroup, name);
            List<VirtualMachine> live = instances.lockAll(set.key()).stream()
                    .filter(vm -> vm.provisioningState() != ProvisioningState.Deleting).toList();
            List<VirtualMachine> targets = targets(set, live, instanceIds);
            Instant now = now();
            UUID op = UUID.randomUUID();
            Integer wanted = null;
            if (action == SetAction.delete) {
                wanted = live.size() - targets.size();
                for (int i = 0; i < targets.size(); i++) {
                    set.instanceDeleted();
                }
            }
            set.beginOperation(op, wanted, action == SetAction.delete || action == SetAction.manualUpgrade);
            VmProfile.ImageReference image = action == SetAction.manualUpgrade ? image(set) : null;
            for (VirtualMachine vm : targets) {
                switch (action) {
                    case delete -> instances.delete(vm, now);
                    case manualUpgrade -> {
                        vm.applyModel(set.modelVersion(), image);
                        instances.save(vm);
                    }
                    default -> {
                        PowerAction power = action.power();
                        if (!power.allowedFrom(vm.powerState()) && alreadyThere(power, vm)) {
                            continue;
                        }
                        instances.powerAction(vm, power, now);
                    }
                }
            }
            sets.update(set);
            operations.insertUnscheduled(Operation.start(op, subscriptionId, set.location(), set.key(),
                    action == SetAction.delete ? OperationKind.Delete : OperationKind.ScaleSetUpdate, now));
            if (action == SetAction.delete) {
                events.publish(set.updated(now, live.size()));
            }
            return new Accepted(op, set.location());
        });
    }

    /** The set-wide actions. */
    enum SetAction {
        start, powerOff, deallocate, restart, redeploy, reimage, delete, manualUpgrade;

        PowerAction power() {
            return PowerAction.named(name());
        }

        static SetAction named(String name) {
            for (SetAction a : values()) {
                if (a.name().equalsIgnoreCase(name)) {
                    return a;
                }
            }
            throw new IllegalArgumentException(name);
        }
    }

    /** The instance's protectionPolicy (PUT of a Uniform instance). */
    VirtualMachine protect(String subscriptionId, String resourceGroup, String name, String instanceId,
                           boolean fromScaleIn, boolean fromScaleSetActions) {
        return tx.execute(status -> {
            ScaleSet set = lockedSet(subscriptionId, resourceGroup, name);
            if (set.mode() == OrchestrationMode.Flexible) {
                throw ArmException.badRequest("OperationNotAllowed", "Instance protection is not supported for "
                        + "scale sets in Flexible orchestration mode.", "properties.protectionPolicy");
            }
            VirtualMachine vm = lockedInstance(set, instanceId);
            vm.protect(fromScaleIn, fromScaleSetActions);
            instances.save(vm);
            return vm;
        });
    }

    /** The instance is already where the action leads (a set-wide action skips it). */
    private static boolean alreadyThere(PowerAction action, VirtualMachine vm) {
        PowerState now = vm.powerState();
        return switch (action) {
            case start -> now == PowerState.running;
            case powerOff -> now == PowerState.stopped || now == PowerState.deallocated;
            case deallocate -> now == PowerState.deallocated;
            case restart, redeploy, reimage -> false;
        };
    }

    private static List<VirtualMachine> targets(ScaleSet set, List<VirtualMachine> live, List<String> instanceIds) {
        if (instanceIds == null) {
            return live.stream().filter(vm -> !vm.scaleSet().protectFromScaleSetActions()).toList();
        }
        List<VirtualMachine> targets = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String id : instanceIds) {
            if (!seen.add(id.toLowerCase(Locale.ROOT))) {
                continue;
            }
            VirtualMachine vm = live.stream().filter(v -> v.ref().name().equalsIgnoreCase(id)).findFirst()
                    .orElseThrow(() -> ArmException.invalidParameter("The instance id '" + id + "' is not an "
                            + "instance of scale set '" + set.name() + "'.", "instanceIds"));
            targets.add(vm);
        }
        return targets;
    }

    private ScaleSet lockedSet(String subscriptionId, String resourceGroup, String name) {
        return sets.findForUpdate(key(subscriptionId, resourceGroup, name))
                .orElseThrow(() -> notFound(resourceGroup, name));
    }

    private VirtualMachine lockedInstance(ScaleSet set, String instanceId) {
        return instances.lockAll(set.key()).stream().filter(v -> v.ref().name().equalsIgnoreCase(instanceId))
                .findFirst().orElseThrow(() -> instanceNotFound(set.name(), instanceId));
    }

    /**
     * How the request's model differs from the set's: both read by the VM parser and compared as Cirrus keeps them
     * (OS profile, disks, NIC configurations, computer name prefix), the image apart.
     */
    private ScaleSet.ModelChange modelChange(ScaleSet set, ScaleSetRequest request) {
        if (set.vmProfile() == null || request.model() == null) {
            return ScaleSet.ModelChange.NONE;
        }
        VmRequest before = model(set);
        VmRequest after = request.model();
        if (!json.valueToTree(kept(before)).equals(json.valueToTree(kept(after)))
                || !java.util.Objects.equals(set.computerNamePrefix(), request.computerNamePrefix())) {
            return ScaleSet.ModelChange.OTHER;
        }
        return before.imageReference().equals(after.imageReference())
                ? ScaleSet.ModelChange.NONE : ScaleSet.ModelChange.IMAGE;
    }

    private static List<Object> kept(VmRequest model) {
        return java.util.Arrays.asList(model.osProfile(), model.osDisk(), model.dataDisks(), model.nicConfigurations(),
                model.networkProfile() == null ? null : model.networkProfile().networkApiVersion());
    }

    /** The set's model read as a VM request (it was valid when stored; the catalogue may have moved on). */
    VmRequest model(ScaleSet set) {
        if (set.vmProfile() == null) {
            throw ArmException.invalidParameter("Required parameter 'virtualMachineProfile' is missing (null).",
                    "properties.virtualMachineProfile");
        }
        return vmParser.parseScaleSetProfile(set.location(), set.tags(), vmParser.size(set.skuName(), "sku.name"),
                set.vmProfile(), set.mode() == OrchestrationMode.Flexible);
    }

    VmProfile.ImageReference image(ScaleSet set) {
        return instances.resolveImage(model(set).imageReference());
    }

    static String key(String subscriptionId, String resourceGroup, String name) {
        return ("/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup + "/providers/"
                + ScaleSet.TYPE + "/" + name).toLowerCase(Locale.ROOT);
    }

    static ArmException notFound(String resourceGroup, String name) {
        return ArmException.notFound("ResourceNotFound", "The Resource '" + ScaleSet.TYPE + "/" + name
                + "' under resource group '" + resourceGroup + "' was not found.");
    }

    static ArmException instanceNotFound(String set, String instanceId) {
        return ArmException.notFound("NotFound", "The entity was not found in this Azure location: instance '"
                + instanceId + "' of virtual machine scale set '" + set + "'.");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
