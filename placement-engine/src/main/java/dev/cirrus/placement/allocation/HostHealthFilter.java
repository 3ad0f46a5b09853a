package dev.cirrus.placement.allocation;

import dev.cirrus.placement.inventory.HostState;
import dev.cirrus.placement.inventory.HostUsage;

/**
 * Only healthy hosts take VMs: a failed host or a drained one takes none until an operator recovers it; and a host
 * the request excludes (a redeploy leaving it) takes not this VM.
 */
final class HostHealthFilter implements HostFilter {

    static final String NAME = "host-health";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String reject(PlacementContext context, HostUsage host) {
        if (!context.request().excludedHosts().isEmpty()
                && context.request().excludedHosts().contains(host.name().toLowerCase(java.util.Locale.ROOT))) {
            return "excluded by the request (the host a redeploy leaves)";
        }
        return switch (host.state()) {
            case InService -> null;
            case Failed -> "host failed";
            case Drained -> "host drained";
            // retired hosts are not candidates at all (they are no longer in the inventory): named for completeness
            case Retired -> "host retired";
        };
    }
}
