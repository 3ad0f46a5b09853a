package dev.cirrus.contracts.events;

/**
 * The catalogue of event types (CloudEvents {@code type}). Documented with one JSON example each in
 * {@code docs/events/asyncapi.yaml}; a test checks that every constant here has an example there.
 *
 * <p>To add an event type: add a constant here, a payload record in this package if the data is new, an example
 * in the AsyncAPI document, and publish it through the outbox of the owning service.
 */
public final class EventTypes {

    // cirrus.resources (gateway); data: ResourceGroupData
    public static final String RESOURCE_GROUP_WRITTEN = "Microsoft.Resources.ResourceGroupWritten";
    public static final String RESOURCE_GROUP_DELETED = "Microsoft.Resources.ResourceGroupDeleted";

    // cirrus.compute.vm (compute-vm); data: VmLifecycleData
    public static final String VM_CREATED = "Microsoft.Compute.VirtualMachineCreated";
    public static final String VM_ALLOCATED = "Microsoft.Compute.VirtualMachineAllocated";
    public static final String VM_STARTED = "Microsoft.Compute.VirtualMachineStarted";
    public static final String VM_ALLOCATION_FAILED = "Microsoft.Compute.VirtualMachineAllocationFailed";
    public static final String VM_DELETED = "Microsoft.Compute.VirtualMachineDeleted";

    // cirrus.placement (placement-engine); data: PlacementData
    public static final String HOST_ALLOCATED = "Cirrus.Placement.HostAllocated";
    public static final String HOST_RELEASED = "Cirrus.Placement.HostReleased";

    private EventTypes() {
    }
}
