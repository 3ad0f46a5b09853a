package dev.cirrus.placement.allocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.cirrus.contracts.arm.ArmLocations;


/**
 * A request to place one VM, checked and normalized: build it with {@link #of}.
 *
 * @param vmId       the VM's vmId in lower case: the allocation's key
 * @param resourceId the VM's ARM id, as the caller cased it: the subject of the events
 * @param location   the ARM location name (lower case, no spaces)
 * @param group      the VM's availability set or scale set, or null for a standalone VM
 * @param excludedHosts hosts (lower case) the VM must not land on: a redeploy excludes the host it leaves
 */
public record PlacementRequest(String vmId, String resourceId, String location, VmSize size, PlacementGroup group,
                               Set<String> excludedHosts) {

    public PlacementRequest {
        excludedHosts = excludedHosts == null ? Set.of() : Set.copyOf(excludedHosts);
    }

    /** A request without excluded hosts. */
    public static PlacementRequest of(String vmId, String resourceId, String location, VmSize size,
                                      PlacementGroup group) {
        return of(vmId, resourceId, location, size, group, List.of());
    }

    /**
     * Checks a request as the caller sent it and normalizes it.
     *
     * @throws PlacementRefusal (INVALID_REQUEST) naming every problem, in the proto's field names
     */
    public static PlacementRequest of(String vmId, String resourceId, String location, VmSize size,
                                      PlacementGroup group, List<String> excludeHosts) {
        List<String> problems = new ArrayList<>();
        String id = VmIds.check(vmId, problems);
        if (resourceId == null || resourceId.isBlank()) {
            problems.add("resource_id is required (the VM's ARM resource id)");
        }
        if (location == null || location.isBlank()) {
            problems.add("location is required");
        }
        if (size == null) {
            problems.add("size is required");
        } else {
            if (size.vcpus() <= 0) {
                problems.add("size.vcpus must be positive, got " + size.vcpus());
            }
            if (size.memoryMib() <= 0) {
                problems.add("size.memory_mib must be positive, got " + size.memoryMib());
            }
        }
        if (group != null) {
            group.check(problems);
        }
        if (!problems.isEmpty()) {
            throw PlacementRefusal.invalidRequest(problems);
        }
        Set<String> excluded = excludeHosts == null ? Set.of() : excludeHosts.stream().filter(h -> h != null && !h.isBlank())
                .map(h -> h.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        return new PlacementRequest(id, resourceId.strip(), ArmLocations.normalise(location), size, group, excluded);
    }

    /** The group's key, or null for a standalone VM. */
    String groupKey() {
        return group == null ? null : group.key();
    }
}
