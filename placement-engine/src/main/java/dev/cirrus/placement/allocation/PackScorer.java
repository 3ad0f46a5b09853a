package dev.cirrus.placement.allocation;

import dev.cirrus.placement.inventory.HostUsage;

/**
 * Best fit: the host that is fullest once the VM is on it scores highest (its utilization after placement, the
 * larger of vCPU and memory). Packs VMs onto few hosts and keeps whole hosts free for large VMs.
 */
final class PackScorer implements HostScorer {

    static final String NAME = "pack";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(PlacementContext context, HostUsage host) {
        VmSize size = context.request().size();
        double vcpu = (double) (host.usedVcpus() + size.vcpus()) / host.vcpus();
        double memory = (double) (host.usedMemoryMib() + size.memoryMib()) / host.memoryMib();
        return Math.max(vcpu, memory);
    }
}
