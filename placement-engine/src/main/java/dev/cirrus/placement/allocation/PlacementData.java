package dev.cirrus.placement.allocation;

/**
 * The {@code data} of the {@code Cirrus.Placement.HostAllocated} and {@code Cirrus.Placement.HostReleased} events
 * on {@code cirrus.placement} (subject: the VM's ARM id). JSON field names are these component names.
 */
public record PlacementData(String vmId, String host, String rack, String cluster, String region, int faultDomain,
                            int updateDomain, int vcpus, int memoryMib) {
}
