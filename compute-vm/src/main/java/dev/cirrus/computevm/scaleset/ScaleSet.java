package dev.cirrus.computevm.scaleset;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.cirrus.computevm.operation.OperationError;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.ScaleSetData;
import dev.cirrus.plumbing.arm.ArmException;
import tools.jackson.databind.node.ObjectNode;

/**
 * A virtual machine scale set: its model (size, virtualMachineProfile), its capacity and its policies. Its
 * instances are VMs ({@code vm/ScaleSetInstances}); the set decides how many there must be and runs one operation
 * at a time.
 *
 * <pre>
 *   create ─► Creating ─┐                                   (instances placed, surplus removed)
 *   update ─► Updating ─┴─ beginOperation ... operationEnded ─► Succeeded | Failed (AllocationFailed)
 *   model change, Rolling ─► Updating: beginRollingUpgrade, batches (rollingBatchStarted / Ended) ... operationEnded
 *   beginDeletion ─► Deleting ─► deleted (every instance gone)
 * </pre>
 * A write while an operation runs is 409 AnotherOperationInProgress. Transitions return the events they cause.
 */
final class ScaleSet {

    static final String TYPE = "Microsoft.Compute/virtualMachineScaleSets";

    enum State {
        Creating, Updating, Succeeded, Failed, Deleting
    }

    private String subscriptionId;
    private String resourceGroup;
    private String name;
    private final String location;
    private final UUID uniqueId;
    private final OrchestrationMode mode;
    private final String skuName;
    private String skuTier;
    private long capacity;
    private final int faultDomainCount;
    private final List<String> zones;
    private ScaleSetSettings settings;
    private ObjectNode vmProfile;
    private String computerNamePrefix;
    private int modelVersion;
    private long nextInstanceId;
    private Map<String, String> tags;
    private State state;
    private UUID operationId;
    private Integer wantedInstances;
    private boolean rolling;
    private Instant rollingNextAt;
    private OperationError failure;
    private String etag;
    private final Instant timeCreated;

    ScaleSet(String subscriptionId, String resourceGroup, String name, String location, UUID uniqueId,
             OrchestrationMode mode, String skuName, String skuTier, long capacity, int faultDomainCount,
             List<String> zones, ScaleSetSettings settings, ObjectNode vmProfile, String computerNamePrefix,
             int modelVersion, long nextInstanceId, Map<String, String> tags, State state, UUID operationId,
             Integer wantedInstances, boolean rolling, Instant rollingNextAt, OperationError failure, String etag,
             Instant timeCreated) {
        this.subscriptionId = subscriptionId;
        this.resourceGroup = resourceGroup;
        this.name = name;
        this.location = location;
        this.uniqueId = uniqueId;
        this.mode = mode;
        this.skuName = skuName;
        this.skuTier = skuTier;
        this.capacity = capacity;
        this.faultDomainCount = faultDomainCount;
        this.zones = zones == null ? null : List.copyOf(zones);
        this.settings = settings;
        this.vmProfile = vmProfile;
        this.computerNamePrefix = computerNamePrefix;
        this.modelVersion = modelVersion;
        this.nextInstanceId = nextInstanceId;
        this.tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        this.state = state;
        this.operationId = operationId;
        this.wantedInstances = wantedInstances;
        this.rolling = rolling;
        this.rollingNextAt = rollingNextAt;
        this.failure = failure;
        this.etag = etag;
        this.timeCreated = timeCreated;
    }

    /** A new set, Creating under {@code operation}, which ends once {@code capacity} instances are there. */
    static ScaleSet create(String subscriptionId, String resourceGroup, String name, ScaleSetRequest request,
                           UUID operation, Instant now) {
        ScaleSet set = new ScaleSet(subscriptionId, resourceGroup, name, request.location(), UUID.randomUUID(),
                request.mode(), request.size() == null ? null : request.size().name(), request.skuTier(),
                request.capacity(), request.faultDomainCount(), request.zones(), request.settings(),
                request.storedProfile(), request.computerNamePrefix(), 1, 0, request.tags(), State.Creating, operation,
                (int) request.capacity(), false, null, null, null, now);
        return set;
    }

    List<SetEvent> created(Instant now, int instances) {
        return List.of(event(EventTypes.SCALE_SET_CREATED, now, instances));
    }

    /**
     * A PUT (or merged PATCH) on this set. Location, orchestration mode, fault-domain count, zones and size never
     * change (409); singlePlacementGroup may go from true to false only; of the model only the image may change (a
     * new model version). Tags, capacity, policies are replaced.
     *
     * @return whether the model changed
     */
    boolean update(String suppliedGroup, String suppliedName, ScaleSetRequest request, ModelChange change) {
        refuseWhileBusy();
        if (!request.location().equals(location)) {
            throw new ArmException(409, "PropertyChangeNotAllowed", "Changing property 'location' is not allowed.",
                    "location");
        }
        if (request.mode() != mode) {
            throw new ArmException(409, "PropertyChangeNotAllowed", "Changing property 'orchestrationMode' is not "
                    + "allowed.", "properties.orchestrationMode");
        }
        if (request.faultDomainCount() != faultDomainCount) {
            throw new ArmException(409, "PropertyChangeNotAllowed", "Changing property 'platformFaultDomainCount' "
                    + "is not allowed.", "properties.platformFaultDomainCount");
        }
        if (request.zones() != null && !request.zones().equals(zones == null ? List.of() : zones)) {
            throw new ArmException(409, "PropertyChangeNotAllowed", "Changing property 'zones' is not allowed.",
                    "zones");
        }
        String newSize = request.size() == null ? null : request.size().name();
        if (!Objects.equals(newSize, skuName)) {
            throw new ArmException(409, "OperationNotAllowed", "Changing the size of a scale set ('" + skuName
                    + "' to '" + newSize + "') is not supported by Cirrus: create a new scale set.", "sku.name");
        }
        if (!settings.singlePlacementGroup() && request.settings().singlePlacementGroup()
                && mode == OrchestrationMode.Uniform) {
            throw new ArmException(409, "OperationNotAllowed", "The singlePlacementGroup property can be changed "
                    + "from true to false only.", "properties.singlePlacementGroup");
        }
        boolean modelChanged = change == ModelChange.IMAGE || vmProfile == null && request.storedProfile() != null;
        if (change == ModelChange.OTHER) {
            throw new ArmException(409, "OperationNotAllowed", "Cirrus changes only the image "
                    + "(storageProfile.imageReference) of a scale set's model; create a new scale set for other "
                    + "changes.", "properties.virtualMachineProfile");
        }
        if (modelChanged) {
            vmProfile = request.storedProfile();
            modelVersion++;
        }
        this.resourceGroup = suppliedGroup;
        this.name = suppliedName;
        this.skuTier = request.skuTier() != null ? request.skuTier() : skuTier;
        this.capacity = request.capacity();
        this.settings = request.settings();
        this.tags = Collections.unmodifiableMap(new LinkedHashMap<>(request.tags()));
        return modelChanged;
    }

    /**
     * How a request's model differs from the set's, as Cirrus models it (the caller compares the two models read by
     * the VM parser, so an echo of the stored model with fields Cirrus does not keep is no change).
     */
    enum ModelChange {
        NONE, IMAGE, OTHER
    }

    /**
     * Starts an operation of the set (a capacity change, a set-wide action); it ends with {@link #operationEnded}
     * once every instance it touched is done.
     *
     * @param wanted how many instances the set must end with, or null when the count does not change
     */
    void beginOperation(UUID operation, Integer wanted, boolean visibleAsUpdating) {
        refuseWhileBusy();
        this.operationId = Objects.requireNonNull(operation);
        this.wantedInstances = wanted;
        if (visibleAsUpdating) {
            this.state = State.Updating;
        }
    }

    /** {@code update} then the operation it needs, for a set already checked not to be busy. */
    void takeOperation(UUID operation, Integer wanted) {
        this.operationId = Objects.requireNonNull(operation);
        this.wantedInstances = wanted;
        this.state = state == State.Creating ? State.Creating : State.Updating;
    }

    /**
     * A rolling upgrade to the current model starts (upgrade policy Rolling): the worker upgrades the instances
     * batch by batch ({@link ScaleSetWorker}), the first batch at once.
     */
    void beginRollingUpgrade(UUID operation, Instant now) {
        takeOperation(operation, null);
        this.rolling = true;
        this.rollingNextAt = now;
    }

    /** A batch of the rolling upgrade started: the next may start once it is over (and the pause has passed). */
    void rollingBatchStarted() {
        this.rollingNextAt = null;
    }

    /** The running batch is over: the next may start after the policy's pause. */
    void rollingBatchEnded(Instant nextAt) {
        this.rollingNextAt = nextAt;
    }

    /** The operation is over: Succeeded, or Failed with {@code why}. Causes SCALE_SET_SCALED. */
    List<SetEvent> operationEnded(OperationError whyOrNull, int instances, Instant now) {
        if (operationId == null) {
            throw new IllegalStateException("scale set " + id() + " has no operation to end");
        }
        this.operationId = null;
        this.wantedInstances = null;
        this.rolling = false;
        this.rollingNextAt = null;
        this.failure = whyOrNull;
        this.state = whyOrNull == null ? State.Succeeded : State.Failed;
        return List.of(event(EventTypes.SCALE_SET_SCALED, now, instances));
    }

    /** A user deleted one instance: the capacity follows, as in Azure. */
    void instanceDeleted() {
        refuseWhileBusy();
        if (capacity > 0) {
            capacity--;
        }
    }

    /** Starts deleting the set and all its instances. */
    void beginDeletion(UUID operation) {
        refuseWhileBusy();
        this.operationId = Objects.requireNonNull(operation);
        this.wantedInstances = 0;
        this.state = State.Deleting;
    }

    /** Every instance is gone. Causes SCALE_SET_DELETED. */
    List<SetEvent> deleted(Instant now) {
        if (state != State.Deleting) {
            throw new IllegalStateException("scale set " + id() + " is not being deleted");
        }
        this.state = State.Deleting;
        return List.of(new SetEvent(EventTypes.SCALE_SET_DELETED, id(), now, data("Deleted", 0)));
    }

    /** Takes the next instance id: ids only grow, so a removed instance's id is never given again. */
    long takeInstanceId() {
        return nextInstanceId++;
    }

    List<SetEvent> updated(Instant now, int instances) {
        return List.of(event(EventTypes.SCALE_SET_UPDATED, now, instances));
    }

    private void refuseWhileBusy() {
        if (operationId != null) {
            throw ArmException.conflict("AnotherOperationInProgress", "Operation on virtual machine scale set '"
                    + name + "' is not allowed: another operation is in progress (provisioning state " + state
                    + "). Retry after it completes.");
        }
    }

    /** An event of the set, with its subject (the set's id). */
    record SetEvent(String type, String subject, Instant time, ScaleSetData data) {
    }

    private SetEvent event(String type, Instant now, int instances) {
        return new SetEvent(type, id(), now, data(state.name(), instances));
    }

    private ScaleSetData data(String provisioningState, int instances) {
        return new ScaleSetData(subscriptionId, resourceGroup, name, location, uniqueId.toString(), mode.name(),
                skuName, capacity, instances, provisioningState);
    }

    String id() {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup + "/providers/" + TYPE + "/"
                + name;
    }

    String key() {
        return id().toLowerCase(Locale.ROOT);
    }

    String subscriptionId() {
        return subscriptionId;
    }

    String resourceGroup() {
        return resourceGroup;
    }

    String name() {
        return name;
    }

    String location() {
        return location;
    }

    UUID uniqueId() {
        return uniqueId;
    }

    OrchestrationMode mode() {
        return mode;
    }

    String skuName() {
        return skuName;
    }

    String skuTier() {
        return skuTier;
    }

    long capacity() {
        return capacity;
    }

    int faultDomainCount() {
        return faultDomainCount;
    }

    List<String> zones() {
        return zones;
    }

    ScaleSetSettings settings() {
        return settings;
    }

    ObjectNode vmProfile() {
        return vmProfile;
    }

    String computerNamePrefix() {
        return computerNamePrefix;
    }

    int modelVersion() {
        return modelVersion;
    }

    long nextInstanceId() {
        return nextInstanceId;
    }

    Map<String, String> tags() {
        return new LinkedHashMap<>(tags);
    }

    State state() {
        return state;
    }

    UUID operationId() {
        return operationId;
    }

    Integer wantedInstances() {
        return wantedInstances;
    }

    boolean rolling() {
        return rolling;
    }

    Instant rollingNextAt() {
        return rollingNextAt;
    }

    OperationError failure() {
        return failure;
    }

    String etag() {
        return etag;
    }

    void etag(String etag) {
        this.etag = etag;
    }

    Instant timeCreated() {
        return timeCreated;
    }
}
