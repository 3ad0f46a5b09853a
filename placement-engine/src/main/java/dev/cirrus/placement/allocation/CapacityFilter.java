package dev.cirrus.placement.allocation;

import dev.cirrus.placement.inventory.HostUsage;

/** A host takes a VM only if its free vCPUs and free memory both cover the VM's size: never over-commit. */
final class CapacityFilter implements HostFilter {

    static final String NAME = "capacity";
    static final String INSUFFICIENT_VCPU = "insufficient vCPU";
    static final String INSUFFICIENT_MEMORY = "insufficient memory";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String reject(PlacementContext context, HostUsage host) {
        if (host.freeVcpus() < context.request().size().vcpus()) {
            return INSUFFICIENT_VCPU;
        }
        if (host.freeMemoryMib() < context.request().size().memoryMib()) {
            return INSUFFICIENT_MEMORY;
        }
        return null;
    }
}
