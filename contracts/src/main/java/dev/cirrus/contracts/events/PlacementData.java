package dev.cirrus.contracts.events;

/**
 * The data of {@code Cirrus.Placement.*} events on {@code cirrus.placement} (subject: the VM's ARM id).
 *
 * @param vmId        the VM's platform GUID
 * @param host        host name, e.g. "kc-c1-r2-h07"
 * @param rack        rack name (one rack is one fault domain of its cluster)
 * @param cluster     cluster name
 * @param region      normalised ARM location
 * @param faultDomain the VM's platform fault domain
 * @param updateDomain the VM's platform update domain
 * @param vcpus       vCPUs reserved on the host
 * @param memoryMib   memory reserved on the host
 */
public record PlacementData(String vmId, String host, String rack, String cluster, String region, int faultDomain,
                            int updateDomain, int vcpus, int memoryMib) {
}
