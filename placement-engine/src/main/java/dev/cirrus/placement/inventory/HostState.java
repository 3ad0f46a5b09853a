package dev.cirrus.placement.inventory;

/**
 * Whether a host takes new VMs. Only {@link #InService} hosts do; the host-health filter names the others in a
 * refusal's diagnosis.
 */
public enum HostState {
    /** Listed in the inventory file and healthy: takes new VMs while it has room. */
    InService,
    /** An operator failed it (host or rack failure): its VMs were moved off where possible, the rest are stranded. */
    Failed,
    /** An operator drained it: takes no new VMs; its VMs were moved off where possible. */
    Drained,
    /** No longer listed in the inventory file: keeps the VMs it has, takes no new ones. */
    Retired
}
