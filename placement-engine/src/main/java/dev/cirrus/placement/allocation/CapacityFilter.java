package dev.cirrus.placement.allocation;

import java.util.Optional;

import dev.cirrus.placement.inventory.HostUsage;

/** A host takes a VM only if its free vCPUs and free memory both cover the VM's size: never over-commit. */
final class CapacityFilter implements HostFilter {

    static final String INSUFFICIENT_VCPU = "insufficient vCPU";
    static final String INSUFFICIENT_MEMORY = "insufficient memory";

    @Override
    public Optional<String> reject(PlacementRequest request, HostUsage host) {
        if (host.freeVcpus() < request.size().vcpus()) {
            return Optional.of(INSUFFICIENT_VCPU);
        }
        if (host.freeMemoryMib() < request.size().memoryMib()) {
            return Optional.of(INSUFFICIENT_MEMORY);
        }
        return Optional.empty();
    }
}
