package dev.cirrus.placement.allocation;

import java.time.Instant;
import java.util.Objects;

import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.PlacementData;
import dev.cirrus.placement.inventory.HostUsage;

/**
 * One VM placed on one host. Where it is (region, cluster, rack) is copied from the host when it is placed.
 *
 * @param vmId         lower case
 * @param faultDomain  a standalone VM: the index (from 0) of its host's rack in its cluster; a VM of a set: the
 *                     set's fault domain (0..FD-1), which is one rack of the set's cluster ({@link PlacementContext})
 * @param updateDomain 0 for a standalone VM (Azure reports 0 too); a VM of a set: see {@link GroupState}
 * @param groupId      the lower-cased id of the VM's availability set or scale set, or null
 * @param group        the set as the placing request described it (id = groupId), or null (standalone, or placed
 *                     before groups were recorded)
 */
public record Allocation(String vmId, String resourceId, String region, String cluster, String rack, String host,
                         int faultDomain, int updateDomain, VmSize size, String groupId, PlacementGroup group,
                         Instant allocatedAt) {

    /** Places the VM of {@code context} on {@code host}. */
    static Allocation on(HostUsage host, PlacementContext context, Instant at) {
        PlacementRequest request = context.request();
        PlacementGroup group = request.group() == null ? null
                : new PlacementGroup(request.group().kind(), request.groupKey(), request.group().faultDomainCount(),
                        request.group().updateDomainCount());
        return new Allocation(request.vmId(), request.resourceId(), host.region(), host.cluster(), host.rack(),
                host.name(), context.setFaultDomain(host), context.updateDomain(), request.size(),
                request.groupKey(), group, at);
    }

    /**
     * The same VM on another host. A VM of a set moves within its rack, so its fault and update domains stay; a
     * standalone VM takes the fault domain of its new rack.
     */
    Allocation movedTo(HostUsage to) {
        int domain = group == null ? to.faultDomain() : faultDomain;
        return new Allocation(vmId, resourceId, to.region(), to.cluster(), to.rack(), to.name(), domain, updateDomain,
                size, groupId, group, allocatedAt);
    }

    /** The request that would place this VM again as it is (for moving it). */
    PlacementRequest asRequest() {
        return new PlacementRequest(vmId, resourceId, region, size, group, java.util.Set.of());
    }

    /**
     * The answer to the same VM asked to be placed again: this allocation when the request is a retry (same
     * location, size and group), else a refusal, because answering a different request with this allocation
     * would hide that the VM does not have what it asked for.
     */
    Allocation placedAgainBy(PlacementRequest request) {
        if (region.equals(request.location()) && size.equals(request.size())
                && Objects.equals(groupId, request.groupKey())) {
            return this;
        }
        throw new PlacementRefusal(PlacementRefusal.Reason.PLACED_DIFFERENTLY,
                "VM '" + vmId + "' is already placed in '" + region + "' on host '" + host + "' with "
                        + describe(size) + "; release it before placing it "
                        + (region.equals(request.location()) ? "" : "in '" + request.location() + "' ")
                        + "with " + describe(request.size())
                        + (Objects.equals(groupId, request.groupKey()) ? "" : " in group " + request.groupKey()));
    }

    PlacementEvent allocated() {
        return event(EventTypes.HOST_ALLOCATED, allocatedAt);
    }

    PlacementEvent released(Instant at) {
        return event(EventTypes.HOST_RELEASED, at);
    }

    PlacementEvent event(String type, Instant at) {
        return new PlacementEvent(type, resourceId, at, data());
    }

    private PlacementData data() {
        return new PlacementData(vmId, host, rack, cluster, region, faultDomain, updateDomain, size.vcpus(),
                size.memoryMib());
    }

    private static String describe(VmSize size) {
        return (size.name().isEmpty() ? "" : size.name() + " ") + "(" + size.vcpus() + " vCPU, " + size.memoryMib()
                + " MiB)";
    }
}
