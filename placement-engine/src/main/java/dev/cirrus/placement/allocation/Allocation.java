package dev.cirrus.placement.allocation;

import java.time.Instant;
import java.util.Objects;

import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.placement.inventory.HostUsage;

/**
 * One VM placed on one host. Where it is (region, cluster, rack, fault domain) is copied from the host when it is
 * placed.
 *
 * <p>Update domain: every VM gets update domain 0 for now. Update domains only matter for groups (availability
 * sets and scale sets: the n-th VM of a set gets n mod its update-domain count), and those rules arrive with the
 * full allocator; a standalone VM in Azure also reports platformUpdateDomain 0.
 *
 * @param vmId        lower case
 * @param faultDomain the index (from 0) of the host's rack within its cluster
 * @param groupId     the lower-cased id of the VM's availability set or scale set, or null
 */
public record Allocation(String vmId, String resourceId, String region, String cluster, String rack, String host,
                         int faultDomain, int updateDomain, VmSize size, String groupId, Instant allocatedAt) {

    /** See the class comment: until the domain rules arrive. */
    static final int UPDATE_DOMAIN = 0;

    /** Places the VM of {@code request} on {@code host}. */
    static Allocation on(HostUsage host, PlacementRequest request, Instant at) {
        return new Allocation(request.vmId(), request.resourceId(), host.region(), host.cluster(), host.rack(),
                host.name(), host.faultDomain(), UPDATE_DOMAIN, request.size(), request.groupKey(), at);
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
        return new PlacementEvent(EventTypes.HOST_ALLOCATED, resourceId, allocatedAt, data());
    }

    PlacementEvent released(Instant at) {
        return new PlacementEvent(EventTypes.HOST_RELEASED, resourceId, at, data());
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
