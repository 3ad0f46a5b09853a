package dev.cirrus.placement.allocation;

import java.util.Map;

import dev.cirrus.placement.inventory.HostUsage;

/**
 * What the filters and scorers know about one decision: the request, its set (null for a standalone VM), and the
 * shape of the region (racks per cluster).
 *
 * <p>Fault domains of a set map to racks: in a cluster of R racks, the set's fault domain d is the rack with index
 * (d + offset) mod R, where offset = the set's hash mod R. So each of a set's fault domains is a distinct rack of
 * its cluster, and different sets start on different racks instead of all filling rack 0 first. A standalone VM's
 * fault domain is its rack's index.
 */
public final class PlacementContext {

    private final PlacementRequest request;
    private final GroupState group;
    private final Map<String, Integer> racksPerCluster;
    private java.util.Set<Integer> usableFaultDomains;
    private String lastCluster;
    private int lastRacks;

    PlacementContext(PlacementRequest request, GroupState group, Map<String, Integer> racksPerCluster) {
        this.request = request;
        this.group = group;
        this.racksPerCluster = racksPerCluster;
    }

    public PlacementRequest request() {
        return request;
    }

    GroupState group() {
        return group;
    }

    /** How many racks (fault domains) a cluster has. */
    int racksIn(String cluster) {
        // hosts come grouped by cluster: remember the last answer rather than hash a string per host
        if (!cluster.equals(lastCluster)) {
            lastRacks = racksPerCluster.getOrDefault(cluster, 1);
            lastCluster = cluster;
        }
        return lastRacks;
    }

    /** The fault domain a VM of this request gets on {@code host}: see the class comment. */
    int setFaultDomain(HostUsage host) {
        if (group == null) {
            return host.faultDomain();
        }
        int racks = racksIn(host.cluster());
        return Math.floorMod(host.faultDomain() - Math.floorMod(group.hash(), racks), racks);
    }

    /**
     * The set's fault domains that have a host in service in its cluster (FaultDomainFilter balances a scale set
     * over these only); null: not computed, all count.
     */
    java.util.Set<Integer> usableFaultDomains() {
        return usableFaultDomains;
    }

    /** Computes {@link #usableFaultDomains} from the hosts of the set's cluster: for a scale set with members. */
    void balanceOver(java.util.List<HostUsage> clusterHosts) {
        if (group == null || group.cluster() == null
                || group.group().kind() != dev.cirrus.placement.allocation.PlacementGroup.Kind.SCALE_SET) {
            return;
        }
        java.util.Set<Integer> usable = new java.util.HashSet<>();
        for (HostUsage h : clusterHosts) {
            if (h.state() == dev.cirrus.placement.inventory.HostState.InService) {
                usable.add(setFaultDomain(h));
            }
        }
        usableFaultDomains = usable;
    }

    /** The update domain a VM of this request gets: 0 for a standalone VM, as Azure reports. */
    int updateDomain() {
        return group == null ? 0 : group.nextUpdateDomain();
    }
}
