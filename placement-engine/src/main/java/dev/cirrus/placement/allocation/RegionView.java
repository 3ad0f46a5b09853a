package dev.cirrus.placement.allocation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.cirrus.placement.inventory.HostState;
import dev.cirrus.placement.inventory.HostUsage;

/**
 * The hosts of one region and their use: part of the engine's in-memory state ({@link EngineState}), changed only
 * under its decision lock. Each placement consumes capacity here before the next one is decided (Nova's claims), so
 * two decisions never see the same free capacity.
 */
final class RegionView {

    private final List<HostUsage> candidates = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> racksPerCluster = new HashMap<>();
    private final Map<String, List<HostUsage>> byCluster = new HashMap<>();
    private final Map<String, Integer> indexInCluster = new HashMap<>();
    /** Each cluster's in-service hosts by fullness: best fit without a scan ({@link HostIndex}). */
    private final Map<String, HostIndex> fullness = new HashMap<>();
    /** The same indexes in a list, for a decision over the whole region. */
    private final List<HostIndex> fullnessOfEveryCluster = new ArrayList<>();
    /** Retired hosts: they take nothing and their state never changes while the engine runs. */
    private final Map<String, HostUsage> retired = new HashMap<>();

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
                fullness(host.cluster()).add(host);
            } else {
                retired.put(host.name(), host);
            }
        }
    }

    private HostIndex fullness(String cluster) {
        return fullness.computeIfAbsent(cluster, c -> {
            HostIndex index = new HostIndex();
            fullnessOfEveryCluster.add(index);
            return index;
        });
    }

    /** The fullness index of a cluster's in-service hosts, or null when the region has no such cluster. */
    HostIndex fullnessIn(String cluster) {
        return fullness.get(cluster);
    }

    /** The fullness index of every cluster of the region. */
    List<HostIndex> fullnessOfEveryCluster() {
        return fullnessOfEveryCluster;
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

    /** Every host of the region, retired ones included (in no particular order). */
    List<HostUsage> all() {
        List<HostUsage> all = new ArrayList<>(candidates);
        all.addAll(retired.values());
        return all;
    }

    /** A host of the region, retired or not, or null. */
    HostUsage host(String name) {
        Integer i = index.get(name);
        return i != null ? candidates.get(i) : retired.get(name);
    }

    Map<String, Integer> racksPerCluster() {
        return racksPerCluster;
    }

    void add(Allocation a) {
        change(a.host(), a.size().vcpus(), a.size().memoryMib(), 1, null);
    }

    void remove(Allocation a) {
        change(a.host(), -a.size().vcpus(), -a.size().memoryMib(), -1, null);
    }

    /** Sets a (non-retired) host's state. */
    void setState(String name, HostState state) {
        change(name, 0, 0, 0, state);
    }

    private void change(String name, long vcpus, long memoryMib, int allocations, HostState state) {
        Integer i = index.get(name);
        if (i == null) {
            return; // a retired host: not a candidate, its use is only shown from the database
        }
        HostUsage h = candidates.get(i);
        HostUsage changed = new HostUsage(h.name(), h.region(), h.cluster(), h.rack(), h.faultDomain(),
                state == null ? h.state() : state, h.vcpus(), h.memoryMib(), h.usedVcpus() + vcpus,
                h.usedMemoryMib() + memoryMib, h.allocations() + allocations);
        candidates.set(i, changed);
        HostIndex index = fullness.get(h.cluster());
        index.remove(h);
        index.add(changed);
        byCluster.get(h.cluster()).set(indexInCluster.get(name), changed);
    }
}
