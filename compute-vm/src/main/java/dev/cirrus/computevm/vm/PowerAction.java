package dev.cirrus.computevm.vm;

import java.util.Set;

import dev.cirrus.computevm.operation.OperationKind;
import dev.cirrus.contracts.events.EventTypes;

/**
 * The power actions of Azure VMs (compute-vm/README.md), as {@code POST …/virtualMachines/{name}/{action}}: from which power states
 * each may start, the intermediate state it passes through (announced at once) and the operation that finishes it.
 */
public enum PowerAction {
    start(Set.of(PowerState.stopped, PowerState.deallocated), PowerState.starting, EventTypes.VM_STARTING,
            OperationKind.Start),
    powerOff(Set.of(PowerState.running), PowerState.stopping, EventTypes.VM_STOPPING, OperationKind.PowerOff),
    deallocate(Set.of(PowerState.running, PowerState.stopped), PowerState.deallocating, EventTypes.VM_DEALLOCATING,
            OperationKind.Deallocate),
    restart(Set.of(PowerState.running), PowerState.starting, EventTypes.VM_RESTARTING, OperationKind.Restart),
    redeploy(Set.of(PowerState.running, PowerState.stopped), PowerState.stopping, EventTypes.VM_REDEPLOYING,
            OperationKind.Redeploy),
    /** Scale set instances only (a VM's reimage needs an ephemeral OS disk, which Cirrus does not offer). */
    reimage(Set.of(PowerState.running, PowerState.stopped), PowerState.starting, EventTypes.VM_REIMAGING,
            OperationKind.Reimage);

    private final Set<PowerState> from;
    private final PowerState intermediate;
    private final String beginEvent;
    private final OperationKind kind;

    PowerAction(Set<PowerState> from, PowerState intermediate, String beginEvent, OperationKind kind) {
        this.from = from;
        this.intermediate = intermediate;
        this.beginEvent = beginEvent;
        this.kind = kind;
    }

    public boolean allowedFrom(PowerState state) {
        return state != null && from.contains(state);
    }

    public PowerState intermediate() {
        return intermediate;
    }

    public String beginEvent() {
        return beginEvent;
    }

    public OperationKind kind() {
        return kind;
    }

    /** The action named in a URL, matched case-insensitively (ARM paths are), or null. */
    public static PowerAction named(String name) {
        for (PowerAction a : values()) {
            if (a.name().equalsIgnoreCase(name)) {
                return a;
            }
        }
        return null;
    }
}
