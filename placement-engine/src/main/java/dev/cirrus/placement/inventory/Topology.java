package dev.cirrus.placement.inventory;

import java.util.List;

/**
 * The datacenter as the inventory file describes it, already validated (see {@link TopologyFile}): the names of
 * its regions and every host with where it stands.
 *
 * @param regions the region names, in file order
 * @param hosts   every host, in file order
 */
public record Topology(List<String> regions, List<Host> hosts) {

    public Topology {
        regions = List.copyOf(regions);
        hosts = List.copyOf(hosts);
    }

    /**
     * One host of the inventory.
     *
     * @param faultDomain the index (from 0) of the host's rack within its cluster: one rack is one fault domain
     */
    public record Host(String name, String region, String cluster, String rack, int faultDomain, int vcpus,
                       long memoryMib) {
    }
}
