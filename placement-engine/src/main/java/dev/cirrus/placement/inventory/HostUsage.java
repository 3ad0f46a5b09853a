package dev.cirrus.placement.inventory;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A host with its capacity and what its allocations use of it: what the scheduler decides on and what the
 * operator listing shows.
 *
 * @param faultDomain   the index (from 0) of the host's rack within its cluster
 * @param usedVcpus     the sum of the vCPUs of the VMs allocated to the host
 * @param usedMemoryMib the sum of their memory
 * @param allocations   how many VMs are allocated to the host
 */
public record HostUsage(String name, String region, String cluster, String rack, int faultDomain, HostState state,
                        int vcpus, long memoryMib, long usedVcpus, long usedMemoryMib, int allocations) {

    /** Negative when the inventory shrank the host below what its VMs already use. */
    @JsonProperty("freeVcpus")
    public long freeVcpus() {
        return vcpus - usedVcpus;
    }

    /** Negative when the inventory shrank the host below what its VMs already use. */
    @JsonProperty("freeMemoryMib")
    public long freeMemoryMib() {
        return memoryMib - usedMemoryMib;
    }
}
