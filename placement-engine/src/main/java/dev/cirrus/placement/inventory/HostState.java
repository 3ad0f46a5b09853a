package dev.cirrus.placement.inventory;

/**
 * Whether a host takes new VMs. Failure, drain and maintenance states arrive with the operator APIs.
 */
public enum HostState {
    /** Listed in the inventory file: takes new VMs while it has room. */
    InService,
    /** No longer listed in the inventory file: keeps the VMs it has, takes no new ones. */
    Retired
}
