package dev.cirrus.computevm.vm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.cirrus.computevm.operation.OperationError;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.VmLifecycleData;
import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.plumbing.arm.ArmException;
import tools.jackson.databind.JsonNode;

/**
 * A virtual machine and its lifecycle. Each transition checks the current state, changes it, and returns the events
 * it causes (or refuses with an ARM error); storing the VM and its events in one transaction is the caller's job.
 *
 * <pre>
 *   create ─► Creating ──placed──────────► Succeeded / running ──beginDeletion──► Deleting ──deleted──► (gone)
 *                │                                                                   │
 *                └──allocationFailed──► Failed ──beginDeletion──► Deleting ◄─────────┘ deletionFailed ─► Failed
 *
 *   power actions (Updating while they run):
 *     start       stopped | deallocated ─► starting ─► running        (a deallocated VM is placed again)
 *     powerOff    running              ─► stopping ─► stopped         (keeps its host)
 *     deallocate  running | stopped    ─► deallocating ─► deallocated (host released)
 *     restart     running              ─► starting ─► running
 *     redeploy    running | stopped    ─► stopping ─► running         (released and placed again)
 *     reimage     running | stopped    ─► starting ─► running         (scale set instances: a fresh OS disk)
 * </pre>
 * Only one operation runs at a time: a write while one runs is 409 AnotherOperationInProgress (a DELETE while
 * Deleting joins the running deletion instead); a power action from a state it does not start from is 409 Conflict.
 * The platform's own changes (service healing, stranding, maintenance reboots) are applied by the {@code on…}
 * methods; every power-state change causes an event carrying the new power state.
 */
public final class VirtualMachine {

    private VmRef ref;
    private final String location;
    private final UUID vmId;
    private final SizeFacts size;
    private VmProfile profile;
    private Map<String, String> tags;
    private final List<String> zones;
    private ProvisioningState provisioningState;
    private PowerState powerState;
    private Placement placement;
    private OperationError failure;
    private UUID operationId;
    private final AvailabilitySetRef availabilitySet;
    private ScaleSetMembership scaleSet;
    private PlatformStatus platformStatus;
    private String etag;
    private final Instant timeCreated;
    private Instant stateChangedAt;

    /** What the VM's size meant when it was created: what its events report, whatever the catalogue says later. */
    public record SizeFacts(String name, int vcpus, int memoryMib) {
    }

    /** A new VM and the events its creation caused. */
    public record Creation(VirtualMachine vm, List<VmLifecycleEvent> events) {
    }

    VirtualMachine(VmRef ref, String location, UUID vmId, SizeFacts size, VmProfile profile, Map<String, String> tags,
                   List<String> zones, ProvisioningState provisioningState, PowerState powerState, Placement placement,
                   OperationError failure, UUID operationId, AvailabilitySetRef availabilitySet,
                   PlatformStatus platformStatus, String etag, Instant timeCreated, Instant stateChangedAt,
                   ScaleSetMembership scaleSet) {
        this.ref = Objects.requireNonNull(ref);
        this.location = Objects.requireNonNull(location);
        this.vmId = Objects.requireNonNull(vmId);
        this.size = Objects.requireNonNull(size);
        this.profile = Objects.requireNonNull(profile);
        this.tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        this.zones = zones == null ? null : List.copyOf(zones);
        this.provisioningState = Objects.requireNonNull(provisioningState);
        this.powerState = powerState;
        this.placement = placement;
        this.failure = failure;
        this.operationId = operationId;
        this.availabilitySet = availabilitySet;
        this.platformStatus = platformStatus;
        this.etag = etag;
        this.timeCreated = Objects.requireNonNull(timeCreated);
        this.stateChangedAt = Objects.requireNonNull(stateChangedAt);
        this.scaleSet = scaleSet;
    }

    /**
     * Accepts a new VM: Creating, with the OS disk's defaults filled the way Azure fills them (name
     * {@code {vm}_OsDisk_1_{guid}}, FromImage, ReadWrite caching, Premium_LRS, OS type from the image publisher,
     * 30 GB for Linux and 127 GB for Windows images). Causes VM_CREATED.
     *
     * @param diskSuffix      a fresh GUID without dashes, for the names of the implicit disks
     * @param image           the image reference with its version resolved ({@code latest} → the newest version)
     * @param availabilitySet the set the request names (checked by the caller), or null
     */
    public static Creation create(VmRef ref, VmRequest request, VmProfile.ImageReference image,
                                  AvailabilitySetRef availabilitySet, UUID vmId, UUID operationId, String diskSuffix,
                                  Instant now) {
        return create(ref, request, image, availabilitySet, null, vmId, operationId, diskSuffix, now);
    }

    /** A new VM that is an instance of a scale set ({@code scaleSet} non-null), or not; otherwise as above. */
    public static Creation create(VmRef ref, VmRequest request, VmProfile.ImageReference image,
                                  AvailabilitySetRef availabilitySet, ScaleSetMembership scaleSet, UUID vmId,
                                  UUID operationId, String diskSuffix, Instant now) {
        if (image == null) {
            throw ArmJson.missing("storageProfile.imageReference", "properties.storageProfile.imageReference");
        }
        VmProfile.OsDisk given = request.osDisk() == null
                ? new VmProfile.OsDisk(null, null, null, null, null, null) : request.osDisk();
        String osType = given.osType() != null ? given.osType() : osTypeOf(image);
        VmProfile.OsDisk osDisk = new VmProfile.OsDisk(osType,
                given.name() != null ? given.name() : ref.displayName() + "_OsDisk_1_" + diskSuffix,
                "FromImage",
                given.caching() != null ? given.caching() : "ReadWrite",
                given.diskSizeGB() != null ? given.diskSizeGB() : osType.equals("Windows") ? 127 : 30,
                new VmProfile.ManagedDisk(storageType(given.managedDisk())));
        List<VmProfile.DataDisk> dataDisks = new ArrayList<>();
        for (VmProfile.DataDisk d : request.dataDisks()) {
            dataDisks.add(new VmProfile.DataDisk(d.lun(),
                    d.name() != null ? d.name() : ref.displayName() + "_DataDisk_" + d.lun() + "_" + diskSuffix,
                    d.createOption(), d.caching() != null ? d.caching() : "None", d.diskSizeGB(),
                    new VmProfile.ManagedDisk(storageType(d.managedDisk()))));
        }
        VmProfile.OsProfile os = request.osProfile();
        if (os != null && os.computerName() == null) {
            // Azure names the guest after the VM when no computer name is given
            os = new VmProfile.OsProfile(ref.name(), os.adminUsername(), os.linuxConfiguration(),
                    os.windowsConfiguration(), os.secrets(), os.allowExtensionOperations());
        }
        VmProfile profile = new VmProfile(new VmProfile.HardwareProfile(request.size().name()),
                new VmProfile.StorageProfile(image, osDisk, dataDisks), os, request.networkProfile());
        SizeFacts size = new SizeFacts(request.size().name(), request.size().numberOfCores(), request.size().memoryInMB());
        VirtualMachine vm = new VirtualMachine(ref, request.location(), vmId, size, profile, request.tags(),
                request.zones(), ProvisioningState.Creating, null, null, null, operationId, availabilitySet, null, null,
                now, now, scaleSet);
        return new Creation(vm, List.of(vm.event(EventTypes.VM_CREATED, now)));
    }

    /**
     * A PUT on this VM: the casing of its name and group become the ones just supplied, and the tags are replaced.
     * Anything else the request states must equal what is stored ({@link PropertyChanges}).
     *
     * @param currentProperties this VM's {@code properties} as the API returns them
     */
    public void update(VmRef supplied, VmRequest request, JsonNode currentProperties) {
        refuseWhileBusy();
        if (!request.location().equals(location)) {
            throw new ArmException(409, "PropertyChangeNotAllowed", "Changing property 'location' is not allowed.",
                    "location");
        }
        if (request.zones() != null && !request.zones().equals(zones == null ? List.of() : zones)) {
            throw new ArmException(409, "PropertyChangeNotAllowed", "Changing property 'zones' is not allowed.", "zones");
        }
        PropertyChanges.refuseChanges(request.properties(), currentProperties);
        this.ref = supplied;
        this.tags = Collections.unmodifiableMap(new LinkedHashMap<>(request.tags()));
    }

    /** The placement engine gave the VM a host: it runs. Causes VM_STARTED. */
    public List<VmLifecycleEvent> placed(Placement where, Instant now) {
        require(ProvisioningState.Creating, "be placed");
        this.placement = Objects.requireNonNull(where);
        this.powerState = PowerState.running;
        return finish(ProvisioningState.Succeeded, null, now, EventTypes.VM_STARTED);
    }

    /** No host for the VM (or no answer in time): Failed. Causes VM_ALLOCATION_FAILED. */
    public List<VmLifecycleEvent> allocationFailed(OperationError why, Instant now) {
        require(ProvisioningState.Creating, "fail allocation");
        return finish(ProvisioningState.Failed, Objects.requireNonNull(why), now, EventTypes.VM_ALLOCATION_FAILED);
    }

    /** Starts deleting; refused while a create is still running. No event until the VM is gone. */
    public void beginDeletion(UUID operation, Instant now) {
        refuseWhileBusy();
        this.operationId = Objects.requireNonNull(operation);
        this.provisioningState = ProvisioningState.Deleting;
        this.stateChangedAt = now;
    }

    /** The host is released and the VM is gone. Causes VM_DELETED (no host, no power state). */
    public List<VmLifecycleEvent> deleted(Instant now) {
        require(ProvisioningState.Deleting, "be deleted");
        this.placement = null;
        this.powerState = null;
        this.operationId = null;
        this.stateChangedAt = now;
        return List.of(new VmLifecycleEvent(EventTypes.VM_DELETED, ref.id(), now, data("Deleted")));
    }

    /** The host could not be released in time: the VM stays, Failed, and can be deleted again. No event. */
    public void deletionFailed(OperationError why, Instant now) {
        require(ProvisioningState.Deleting, "fail deletion");
        finish(ProvisioningState.Failed, Objects.requireNonNull(why), now, null);
    }

    // ---- power actions ----

    /**
     * Starts a power action: refused while another operation runs (AnotherOperationInProgress) or from a power state
     * the action does not start from (Conflict). The VM enters the action's intermediate power state (Updating)
     * and announces it.
     */
    public List<VmLifecycleEvent> beginPowerAction(PowerAction action, UUID operation, Instant now) {
        refuseWhileBusy();
        if (!action.allowedFrom(powerState)) {
            throw ArmException.conflict("Conflict", "Operation '" + action.name() + "' is not allowed on VM '"
                    + ref.displayName() + "' since the VM is " + describePowerState() + ". The operation is allowed when the VM is "
                    + allowedStates(action) + ".");
        }
        this.operationId = Objects.requireNonNull(operation);
        this.provisioningState = ProvisioningState.Updating;
        this.failure = null;
        this.powerState = action.intermediate();
        this.stateChangedAt = now;
        if (action == PowerAction.redeploy || action == PowerAction.start && placement == null) {
            // a VM that is (re)placed leaves whatever the platform last did to it on its old host behind
            this.platformStatus = null;
        }
        return List.of(event(action.beginEvent(), now));
    }

    /** The start finished: running, on {@code where} when it had to be placed again. Causes VM_STARTED. */
    public List<VmLifecycleEvent> started(Placement whereOrNull, Instant now) {
        requirePower(PowerState.starting, "finish starting");
        if (whereOrNull != null) {
            this.placement = whereOrNull;
        }
        this.powerState = PowerState.running;
        return finish(ProvisioningState.Succeeded, null, now, EventTypes.VM_STARTED);
    }

    /** The guest shut down; the VM keeps its host. Causes VM_STOPPED. */
    public List<VmLifecycleEvent> stopped(Instant now) {
        requirePower(PowerState.stopping, "finish stopping");
        this.powerState = PowerState.stopped;
        return finish(ProvisioningState.Succeeded, null, now, EventTypes.VM_STOPPED);
    }

    /** The host is released. Causes VM_DEALLOCATED (no host). */
    public List<VmLifecycleEvent> deallocated(Instant now) {
        requirePower(PowerState.deallocating, "finish deallocating");
        this.powerState = PowerState.deallocated;
        this.placement = null;
        // what happened to it on its old host no longer applies
        this.platformStatus = null;
        return finish(ProvisioningState.Succeeded, null, now, EventTypes.VM_DEALLOCATED);
    }

    /** The reboot is over. Causes VM_RESTARTED. */
    public List<VmLifecycleEvent> restarted(Instant now) {
        requirePower(PowerState.starting, "finish restarting");
        this.powerState = PowerState.running;
        return finish(ProvisioningState.Succeeded, null, now, EventTypes.VM_RESTARTED);
    }

    /** The OS disk is restored from the image and the guest booted: running on the same host. Causes VM_REIMAGED. */
    public List<VmLifecycleEvent> reimaged(Instant now) {
        requirePower(PowerState.starting, "finish reimaging");
        this.powerState = PowerState.running;
        return finish(ProvisioningState.Succeeded, null, now, EventTypes.VM_REIMAGED);
    }

    /** Released and placed anew: runs on {@code where}. Causes VM_REDEPLOYED. */
    public List<VmLifecycleEvent> redeployed(Placement where, Instant now) {
        requirePower(PowerState.stopping, "finish redeploying");
        this.placement = Objects.requireNonNull(where);
        this.powerState = PowerState.running;
        return finish(ProvisioningState.Succeeded, null, now, EventTypes.VM_REDEPLOYED);
    }

    /**
     * A start or redeploy found no host (or no answer in time): the VM is Failed and deallocated, holding nothing.
     * Causes VM_DEALLOCATED (its power state is deallocated again).
     */
    public List<VmLifecycleEvent> placementFailed(OperationError why, Instant now) {
        if (powerState != PowerState.starting && powerState != PowerState.stopping) {
            throw new IllegalStateException("VM " + ref.id() + " cannot fail placement while " + powerState);
        }
        this.powerState = PowerState.deallocated;
        this.placement = null;
        return finish(ProvisioningState.Failed, Objects.requireNonNull(why), now, EventTypes.VM_DEALLOCATED);
    }

    /**
     * A deallocation could not release the host in time: the VM is Failed and stopped, still holding (and billed
     * for) its host; deallocating again retries. Causes VM_STOPPED.
     */
    public List<VmLifecycleEvent> deallocationFailed(OperationError why, Instant now) {
        requirePower(PowerState.deallocating, "fail deallocating");
        this.powerState = PowerState.stopped;
        return finish(ProvisioningState.Failed, Objects.requireNonNull(why), now, EventTypes.VM_STOPPED);
    }

    /**
     * A redeploy could not release the host in time: the VM runs on where it was, Failed with the reason. Causes
     * VM_STARTED (its power state is running again).
     */
    public List<VmLifecycleEvent> restartedAfterFailedRedeploy(OperationError why, Instant now) {
        requirePower(PowerState.stopping, "fail redeploying");
        this.powerState = PowerState.running;
        return finish(ProvisioningState.Failed, Objects.requireNonNull(why), now, EventTypes.VM_STARTED);
    }

    /** A drained host's VM was live-migrated: same power state, new host. No event (nothing billed changes). */
    public void onMigrated(Placement where, Instant when) {
        this.placement = Objects.requireNonNull(where);
        this.stateChangedAt = when;
    }

    // ---- what the platform does on its own (events of the placement engine) ----

    /**
     * Its host failed and the placement engine moved it to {@code where} (same fault domain). A running VM that is
     * not in the middle of an operation goes through an unplanned reboot there: starting, under the platform
     * operation {@code rebootOperation}, until {@link #serviceHealingRebooted}; any other VM just records its new
     * host. Causes VM_SERVICE_HEALING_STARTED, or VM_SERVICE_HEALING_COMPLETED when there is no reboot.
     *
     * @return the events, and whether the reboot operation must be scheduled
     */
    public ServiceHealing onServiceHealed(Placement where, UUID rebootOperation, Instant when) {
        // the same host again: the VM was stranded on a failed host, which has recovered
        boolean sameHost = placement != null && Objects.equals(placement.host(), where.host());
        this.placement = Objects.requireNonNull(where);
        this.stateChangedAt = when;
        boolean reboot = powerState == PowerState.running && operationId == null
                && provisioningState == ProvisioningState.Succeeded;
        String message = sameHost
                ? "The host this virtual machine runs on failed and has recovered" + (reboot
                        ? "; the platform is rebooting the virtual machine there." : ".")
                : "The host this virtual machine ran on failed. The platform moved it to a healthy host in the same "
                        + "fault domain (" + where.faultDomain() + ")" + (reboot ? " and is rebooting it there." : ".");
        if (reboot) {
            this.operationId = Objects.requireNonNull(rebootOperation);
            this.powerState = PowerState.starting;
            this.platformStatus = new PlatformStatus(PlatformStatus.State.ServiceHealing, message, when);
            return new ServiceHealing(List.of(event(EventTypes.VM_SERVICE_HEALING_STARTED, when)), true);
        }
        this.platformStatus = new PlatformStatus(PlatformStatus.State.ServiceHealed, message, when);
        return new ServiceHealing(List.of(event(EventTypes.VM_SERVICE_HEALING_COMPLETED, when)), false);
    }

    /** The events of a service healing, and whether an unplanned reboot was started. */
    public record ServiceHealing(List<VmLifecycleEvent> events, boolean rebooting) {
    }

    /** The unplanned reboot on the new host is over. Causes VM_SERVICE_HEALING_COMPLETED. */
    public List<VmLifecycleEvent> serviceHealingRebooted(Instant now) {
        requirePower(PowerState.starting, "finish its unplanned reboot");
        this.powerState = PowerState.running;
        this.operationId = null;
        this.stateChangedAt = now;
        this.platformStatus = new PlatformStatus(PlatformStatus.State.ServiceHealed, "The host this virtual machine "
                + "ran on failed. The platform rebooted it on a healthy host in the same fault domain ("
                + placement.faultDomain() + ") (service healing).", now);
        return List.of(event(EventTypes.VM_SERVICE_HEALING_COMPLETED, now));
    }

    /** Its host failed or was drained and nothing could take it: it is unavailable. Causes VM_UNAVAILABLE. */
    public List<VmLifecycleEvent> onStranded(String diagnosis, Instant when) {
        this.platformStatus = new PlatformStatus(PlatformStatus.State.Stranded, "The host this virtual machine runs on "
                + "failed and no healthy host could take it: " + diagnosis + " Redeploy the virtual machine once "
                + "capacity is available.", when);
        this.stateChangedAt = when;
        return List.of(event(EventTypes.VM_UNAVAILABLE, when));
    }

    /**
     * Planned maintenance reboots its host (wave of update domain {@code updateDomain}). A running VM outside any
     * operation reboots: starting until {@link #onMaintenanceRebootCompleted}; any other VM is not running, so the
     * reboot changes nothing for it. Causes VM_MAINTENANCE_REBOOT_STARTED.
     */
    public List<VmLifecycleEvent> onMaintenanceRebootStarted(Instant when) {
        if (powerState != PowerState.running || operationId != null) {
            return List.of();
        }
        this.powerState = PowerState.starting;
        this.stateChangedAt = when;
        this.platformStatus = new PlatformStatus(PlatformStatus.State.MaintenanceRebooting, "Planned maintenance is "
                + "rebooting this virtual machine with update domain " + updateDomainText() + ".", when);
        return List.of(event(EventTypes.VM_MAINTENANCE_REBOOT_STARTED, when));
    }

    /** The maintenance reboot is over. Causes VM_MAINTENANCE_REBOOT_COMPLETED. */
    public List<VmLifecycleEvent> onMaintenanceRebootCompleted(Instant when) {
        if (platformStatus == null || platformStatus.state() != PlatformStatus.State.MaintenanceRebooting
                || powerState != PowerState.starting || operationId != null) {
            return List.of();
        }
        this.powerState = PowerState.running;
        this.stateChangedAt = when;
        this.platformStatus = new PlatformStatus(PlatformStatus.State.MaintenanceCompleted, "Planned maintenance "
                + "rebooted this virtual machine with update domain " + updateDomainText() + ".", when);
        return List.of(event(EventTypes.VM_MAINTENANCE_REBOOT_COMPLETED, when));
    }

    private String updateDomainText() {
        return placement == null ? "?" : String.valueOf(placement.updateDomain());
    }

    private String describePowerState() {
        return powerState == null ? "not allocated (provisioning state " + provisioningState + ")" : powerState.name();
    }

    private static String allowedStates(PowerAction action) {
        return Arrays.stream(PowerState.values()).filter(action::allowedFrom).map(Enum::name)
                .collect(Collectors.joining(" or "));
    }

    private void requirePower(PowerState expected, String what) {
        if (powerState != expected || operationId == null) {
            throw new IllegalStateException("VM " + ref.id() + " cannot " + what + " while " + powerState);
        }
    }

    private List<VmLifecycleEvent> finish(ProvisioningState to, OperationError why, Instant now, String eventType) {
        this.provisioningState = to;
        this.failure = why;
        this.operationId = null;
        this.stateChangedAt = now;
        return eventType == null ? List.of() : List.of(event(eventType, now));
    }

    private void refuseWhileBusy() {
        if (provisioningState.busy() || operationId != null) {
            throw ArmException.conflict("AnotherOperationInProgress", "Operation on virtual machine '" + ref.displayName()
                    + "' is not allowed: another operation is in progress (provisioning state "
                    + provisioningState + (powerState == null ? "" : ", power state " + powerState)
                    + "). Retry after it completes.");
        }
    }

    private void require(ProvisioningState expected, String what) {
        if (provisioningState != expected) {
            throw new IllegalStateException("VM " + ref.id() + " cannot " + what + " while " + provisioningState);
        }
    }

    private VmLifecycleEvent event(String type, Instant now) {
        return new VmLifecycleEvent(type, ref.id(), now, data(provisioningState.name()));
    }

    private VmLifecycleData data(String state) {
        return new VmLifecycleData(ref.subscriptionId(), ref.resourceGroup(), ref.name(), location, vmId.toString(),
                size.name(), size.vcpus(), size.memoryMib(), state, powerState == null ? null : powerState.name(),
                placement == null ? null : placement.host(),
                placement == null ? null : placement.faultDomain(),
                placement == null ? null : placement.updateDomain());
    }

    /** Azure derives the OS type from the image; Microsoft's Windows publishers are the Windows images. */
    static String osTypeOf(VmProfile.ImageReference image) {
        String publisher = image.publisher().toLowerCase(Locale.ROOT);
        return publisher.contains("windows") || publisher.equals("microsoftsqlserver") ? "Windows" : "Linux";
    }

    private static String storageType(VmProfile.ManagedDisk given) {
        // Azure's default for the sizes in the catalogue, all of which support premium storage
        return given != null && given.storageAccountType() != null ? given.storageAccountType() : "Premium_LRS";
    }

    // ---- read access ----

    public VmRef ref() {
        return ref;
    }

    public String location() {
        return location;
    }

    public UUID vmId() {
        return vmId;
    }

    public SizeFacts size() {
        return size;
    }

    public VmProfile profile() {
        return profile;
    }

    public Map<String, String> tags() {
        return new LinkedHashMap<>(tags);
    }

    public List<String> zones() {
        return zones;
    }

    public ProvisioningState provisioningState() {
        return provisioningState;
    }

    public PowerState powerState() {
        return powerState;
    }

    public Placement placement() {
        return placement;
    }

    public OperationError failure() {
        return failure;
    }

    public UUID operationId() {
        return operationId;
    }

    public AvailabilitySetRef availabilitySet() {
        return availabilitySet;
    }

    /** The scale set this VM is an instance of, or null. */
    public ScaleSetMembership scaleSet() {
        return scaleSet;
    }

    /**
     * Takes on the set's model {@code version}, whose image is {@code image} (manualUpgrade / updateInstances, or
     * an Automatic upgrade policy): refused while an operation runs. No event: nothing billed changes.
     */
    public void applyModel(int version, VmProfile.ImageReference image) {
        requireInstance();
        refuseWhileBusy();
        VmProfile.StorageProfile storage = profile.storageProfile();
        this.profile = new VmProfile(profile.hardwareProfile(), new VmProfile.StorageProfile(image, storage.osDisk(),
                storage.dataDisks()), profile.osProfile(), profile.networkProfile());
        this.scaleSet = scaleSet.withModel(version);
    }

    /** The instance's protectionPolicy (a PUT of the instance). Refused while an operation runs. No event. */
    public void protect(boolean fromScaleIn, boolean fromScaleSetActions) {
        requireInstance();
        refuseWhileBusy();
        this.scaleSet = scaleSet.withProtection(fromScaleIn, fromScaleSetActions);
    }

    private void requireInstance() {
        if (scaleSet == null) {
            throw new IllegalStateException("VM " + ref.id() + " is not in a scale set");
        }
    }

    public PlatformStatus platformStatus() {
        return platformStatus;
    }

    public String etag() {
        return etag;
    }

    /** Set by the repository on every write. */
    void etag(String etag) {
        this.etag = etag;
    }

    public Instant timeCreated() {
        return timeCreated;
    }

    public Instant stateChangedAt() {
        return stateChangedAt;
    }
}
