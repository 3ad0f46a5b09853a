package dev.cirrus.placement.allocation;

import dev.cirrus.placement.inventory.HostUsage;

/**
 * Least loaded: the emptiest host scores highest (one minus its utilization, the larger of vCPU and memory).
 * Spreads VMs so that one host failure touches few of them.
 */
final class SpreadScorer implements HostScorer {

    static final String NAME = "spread";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(PlacementContext context, HostUsage host) {
        double vcpu = (double) host.usedVcpus() / host.vcpus();
        double memory = (double) host.usedMemoryMib() / host.memoryMib();
        return 1 - Math.max(vcpu, memory);
    }
}
