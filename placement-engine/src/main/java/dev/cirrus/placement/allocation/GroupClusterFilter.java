package dev.cirrus.placement.allocation;

import dev.cirrus.placement.inventory.HostUsage;

/**
 * All VMs of a set live in one cluster, and that cluster has a rack for each of the set's fault domains. The first
 * VM of a set may go to any cluster with enough racks; the others follow it.
 */
final class GroupClusterFilter implements HostFilter {

    static final String NAME = "group-cluster";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String reject(PlacementContext context, HostUsage host) {
        GroupState group = context.group();
        if (group == null) {
            return null;
        }
        if (group.cluster() != null) {
            return group.cluster().equals(host.cluster()) ? null : group.otherClusterReason();
        }
        return context.racksIn(host.cluster()) >= group.minimumRacks() ? null : group.tooFewRacksReason();
    }
}
