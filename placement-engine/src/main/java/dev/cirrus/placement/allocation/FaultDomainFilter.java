package dev.cirrus.placement.allocation;

import dev.cirrus.placement.inventory.HostUsage;

/**
 * The fault-domain rule of a set: an availability set's next VM goes to exactly one fault domain (the least
 * loaded, see {@link GroupState}); a scale set's next VM goes to any of its least-loaded fault domains, which keeps
 * the set's skew (most loaded minus least loaded) at most 1. A host is in the set's fault domain d when its rack
 * is the rack the set maps d to in the host's cluster ({@link PlacementContext#setFaultDomain}).
 */
final class FaultDomainFilter implements HostFilter {

    static final String NAME = "fault-domain";

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
        int racks = context.racksIn(host.cluster());
        int domain = context.setFaultDomain(host);
        if (domain >= group.faultDomainCount(racks)) {
            return group.outsideDomainsReason();
        }
        return group.allowsFaultDomain(domain, racks, context.usableFaultDomains()) ? null
                : group.otherFaultDomainReason();
    }
}
