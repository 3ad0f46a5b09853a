package dev.cirrus.placement.allocation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.cirrus.placement.inventory.HostState;
import dev.cirrus.placement.inventory.HostUsage;

/**
 * The hosts of one region and their use, read under the region's lock and kept up to date as one transaction
 * places or moves several VMs (Nova's claims: each placement consumes capacity before the next is decided).
 */
final class RegionView {

    private final List<HostUsage> candidates = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> racksPerCluster = new HashMap<>();
    private final Map<String, List<HostUsage>> byCluster = new HashMap<>();
    private final Map<String, Integer> indexInCluster = new HashMap<>();

    /** @param hosts every host of the region, retired ones included (they still count as racks), by name */
    RegionView(List<HostUsage> hosts) {
        for (HostUsage host : hosts) {
            racksPerCluster.merge(host.cluster(), host.faultDomain() + 1, Math::max);
            if (host.state() != HostState.Retired) {
                index.put(host.name(), candidates.size());
                candidates.add(host);
                List<HostUsage> cluster = byCluster.computeIfAbsent(host.cluster(), c -> new ArrayList<>());
                indexInCluster.put(host.name(), cluster.size());
                cluster.add(host);
            }
        }
    }

    boolean isEmpty() {
        return candidates.isEmpty();
    }

    /** The hosts that may take VMs (every state but Retired: the health filter names failed and drained ones). */
    List<HostUsage> candidates() {
        return candidates;
    }

    /** The candidates of one cluster (a set's, once it has members: no need to look at the other clusters). */
    List<HostUsage> inCluster(String cluster) {
        return byCluster.getOrDefault(cluster, List.of());
    }

    List<HostUsage> onRack(String cluster, String rack) {
        return candidates.stream().filter(h -> h.cluster().equals(cluster) && h.rack().equals(rack)).toList();
    }

    Map<String, Integer> racksPerCluster() {
        return racksPerCluster;
    }

    void add(Allocation a) {
        change(a.host(), a.size().vcpus(), a.size().memoryMib(), 1);
    }

    void remove(Allocation a) {
        change(a.host(), -a.size().vcpus(), -a.size().memoryMib(), -1);
    }

    private void change(String name, long vcpus, long memoryMib, int allocations) {
        Integer i = index.get(name);
        if (i == null) {
            return;
        }
        HostUsage h = candidates.get(i);
        HostUsage changed = new HostUsage(h.name(), h.region(), h.cluster(), h.rack(), h.faultDomain(), h.state(),
                h.vcpus(), h.memoryMib(), h.usedVcpus() + vcpus, h.usedMemoryMib() + memoryMib,
                h.allocations() + allocations);
        candidates.set(i, changed);
        byCluster.get(h.cluster()).set(indexInCluster.get(name), changed);
    }
}
