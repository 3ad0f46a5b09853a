package dev.cirrus.computevm.vm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.cirrus.computevm.operation.OperationError;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.VmLifecycleData;
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
 * </pre>
 * Only one operation runs at a time: a PUT or DELETE while Creating or Deleting is 409 AnotherOperationInProgress
 * (a DELETE while Deleting joins the running deletion instead).
 */
public final class VirtualMachine {

    private VmRef ref;
    private final String location;
    private final UUID vmId;
    private final SizeFacts size;
    private final VmProfile profile;
    private Map<String, String> tags;
    private final List<String> zones;
    private ProvisioningState provisioningState;
    private PowerState powerState;
    private Placement placement;
    private OperationError failure;
    private UUID operationId;
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
                   OperationError failure, UUID operationId, String etag, Instant timeCreated, Instant stateChangedAt) {
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
        this.etag = etag;
        this.timeCreated = Objects.requireNonNull(timeCreated);
        this.stateChangedAt = Objects.requireNonNull(stateChangedAt);
    }

    /**
     * Accepts a new VM: Creating, with the OS disk's defaults filled the way Azure fills them (name
     * {@code {vm}_OsDisk_1_{guid}}, FromImage, ReadWrite caching, Premium_LRS, OS type from the image publisher,
     * 30 GB for Linux and 127 GB for Windows images). Causes VM_CREATED.
     *
     * @param diskSuffix a fresh GUID without dashes, for the names of the implicit disks
     */
    public static Creation create(VmRef ref, VmRequest request, UUID vmId, UUID operationId, String diskSuffix,
                                  Instant now) {
        if (request.imageReference() == null) {
            throw VmRequestParser.missing("storageProfile.imageReference", "properties.storageProfile.imageReference");
        }
        if (request.availabilitySetId() != null) {
            throw ArmException.invalidParameter("Availability sets are not available in Cirrus yet; create the virtual "
                    + "machine without 'properties.availabilitySet'.", "properties.availabilitySet");
        }
        VmProfile.ImageReference image = request.imageReference();
        VmProfile.OsDisk given = request.osDisk() == null
                ? new VmProfile.OsDisk(null, null, null, null, null, null) : request.osDisk();
        String osType = given.osType() != null ? given.osType() : osTypeOf(image);
        VmProfile.OsDisk osDisk = new VmProfile.OsDisk(osType,
                given.name() != null ? given.name() : ref.name() + "_OsDisk_1_" + diskSuffix,
                "FromImage",
                given.caching() != null ? given.caching() : "ReadWrite",
                given.diskSizeGB() != null ? given.diskSizeGB() : osType.equals("Windows") ? 127 : 30,
                new VmProfile.ManagedDisk(storageType(given.managedDisk())));
        List<VmProfile.DataDisk> dataDisks = new ArrayList<>();
        for (VmProfile.DataDisk d : request.dataDisks()) {
            dataDisks.add(new VmProfile.DataDisk(d.lun(),
                    d.name() != null ? d.name() : ref.name() + "_DataDisk_" + d.lun() + "_" + diskSuffix,
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
                request.zones(), ProvisioningState.Creating, null, null, null, operationId, null, now, now);
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

    private List<VmLifecycleEvent> finish(ProvisioningState to, OperationError why, Instant now, String eventType) {
        this.provisioningState = to;
        this.failure = why;
        this.operationId = null;
        this.stateChangedAt = now;
        return eventType == null ? List.of() : List.of(event(eventType, now));
    }

    private void refuseWhileBusy() {
        if (provisioningState.busy()) {
            throw ArmException.conflict("AnotherOperationInProgress", "Operation on virtual machine '" + ref.name()
                    + "' is not allowed: another operation is in progress (provisioning state "
                    + provisioningState + "). Retry after it completes.");
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
