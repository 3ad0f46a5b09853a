package dev.cirrus.placement.allocation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.cirrus.placement.inventory.HostState;
import dev.cirrus.placement.inventory.HostUsage;

/**
 * The engine's authoritative view of its regions: every host with its use and state, every allocation, and the
 * members of every set. Loaded from PostgreSQL when the engine starts (and again after a write that failed), then
 * changed only by decisions taken under {@link Placements}' decision lock; the group-commit writer makes each change
 * durable before the caller is answered.
 *
 * <p>It may run ahead of the database by the changes waiting to be committed (never behind it); if a commit fails,
 * the state is thrown away and read again from the database, so it never keeps a change the database does not have.
 * Not thread-safe: the decision lock guards it.
 */
final class EngineState {

    private final Map<String, RegionView> regions = new HashMap<>();
    private final Map<String, Allocation> allocations = new HashMap<>();
    /** The members of each set by its key, by vmId. */
    private final Map<String, TreeMap<String, Allocation>> groups = new HashMap<>();
    /** The VMs on each host, by vmId. */
    private final Map<String, TreeMap<String, Allocation>> byHost = new HashMap<>();

    /**
     * @param hosts       every host with its use, by region and name
     * @param allocations every allocation
     */
    EngineState(List<HostUsage> hosts, List<Allocation> allocations) {
        Map<String, List<HostUsage>> byRegion = new HashMap<>();
        for (HostUsage h : hosts) {
            byRegion.computeIfAbsent(h.region(), r -> new ArrayList<>()).add(h);
        }
        byRegion.forEach((region, list) -> regions.put(region, new RegionView(list)));
        for (Allocation a : allocations) {
            index(a);
        }
    }

    /** The region's hosts, or null when the inventory has no such region. */
    RegionView region(String name) {
        return regions.get(name);
    }

    /** How many VMs are placed. */
    int size() {
        return allocations.size();
    }

    Allocation allocation(String vmId) {
        return allocations.get(vmId);
    }

    /** The set as its next VM sees it. */
    GroupState group(PlacementGroup group) {
        TreeMap<String, Allocation> members = groups.get(group.key());
        if (members == null || members.isEmpty()) {
            return GroupState.empty(group);
        }
        return new GroupState(group, members.firstEntry().getValue().cluster(), members.values().stream()
                .map(m -> new GroupState.Member(m.faultDomain(), m.updateDomain())).toList());
    }

    /** Records a new allocation (or an allocation's new place, after {@link #remove} of the old one). */
    void add(Allocation a) {
        index(a);
        RegionView region = regions.get(a.region());
        if (region != null) {
            region.add(a);
        }
    }

    void remove(Allocation a) {
        allocations.remove(a.vmId());
        TreeMap<String, Allocation> onHost = byHost.get(a.host());
        if (onHost != null) {
            onHost.remove(a.vmId());
            if (onHost.isEmpty()) {
                byHost.remove(a.host());
            }
        }
        if (a.groupId() != null) {
            TreeMap<String, Allocation> members = groups.get(a.groupId());
            if (members != null) {
                members.remove(a.vmId());
                if (members.isEmpty()) {
                    groups.remove(a.groupId());
                }
            }
        }
        RegionView region = regions.get(a.region());
        if (region != null) {
            region.remove(a);
        }
    }

    /** The hosts an operator named (retired ones included), by name; empty when there are none. */
    List<HostUsage> select(HostSelector where) {
        List<HostUsage> found = new ArrayList<>();
        for (RegionView region : regions.values()) {
            if (where.host() != null) {
                HostUsage h = region.host(where.host());
                if (h != null) {
                    found.add(h);
                }
            } else {
                region.all().stream().filter(h -> h.cluster().equals(where.cluster()) && h.rack().equals(where.rack()))
                        .forEach(found::add);
            }
        }
        found.sort(Comparator.comparing(HostUsage::name));
        return found;
    }

    void setState(HostUsage host, HostState state) {
        regions.get(host.region()).setState(host.name(), state);
    }

    /** The VMs on the named hosts, by vmId. */
    List<Allocation> on(Set<String> hosts) {
        List<Allocation> found = new ArrayList<>();
        for (String host : hosts) {
            TreeMap<String, Allocation> onHost = byHost.get(host);
            if (onHost != null) {
                found.addAll(onHost.values());
            }
        }
        found.sort(Comparator.comparing(Allocation::vmId));
        return found;
    }

    /** The members of a set by its key, by vmId. */
    List<Allocation> ofGroup(String groupKey) {
        TreeMap<String, Allocation> members = groups.get(groupKey);
        return members == null ? List.of() : List.copyOf(members.values());
    }

    private void index(Allocation a) {
        allocations.put(a.vmId(), a);
        byHost.computeIfAbsent(a.host(), h -> new TreeMap<>()).put(a.vmId(), a);
        if (a.groupId() != null) {
            groups.computeIfAbsent(a.groupId(), g -> new TreeMap<>()).put(a.vmId(), a);
        }
    }
}
