package dev.cirrus.placement.allocation;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.cirrus.placement.inventory.HostUsage;

/**
 * Chooses a host for a VM: first fit, in host-name order, among the hosts that pass every filter. A pure function
 * of the request and the hosts' current use; the caller holds the region's lock while it decides and records the
 * choice, so two decisions never see the same free capacity.
 *
 * <p>How it goes: the hosts are sorted by name (plain string order, so zero-padded names such as
 * {@code eus-c1-r1-h02} sort as numbered). Each host runs the filters in their configured order; the first filter
 * that rejects it gives the host's reason and the later ones are not asked. The first host that no filter rejects
 * is the answer. If none is left, the answer counts the hosts per reason.
 *
 * <p>Worked example, with the capacity filter alone, a request for 8 vCPU / 16 GiB and three hosts in eastus:
 * <pre>
 *   host   free vCPU  free memory   verdict
 *   a       4          64 GiB       insufficient vCPU     (vCPU is checked first)
 *   b      16           8 GiB       insufficient memory
 *   c       2           4 GiB       insufficient vCPU     (counted once, by its first failing check)
 * </pre>
 * Nothing fits: "0/3 hosts in eastus are available: 2 insufficient vCPU, 1 insufficient memory". A request for
 * 2 vCPU / 4 GiB lands on {@code a}, although {@code c} would be the tighter fit.
 *
 * <p>Known caveats, left to the full allocator: first fit packs the first hosts of a region and leaves the rest
 * idle, and it ignores fault and update domains (scorers for spreading or packing, and the domain rules of
 * availability sets and scale sets, come as more filters and a scoring stage after the filters).
 */
public final class Scheduler {

    private final List<HostFilter> filters;

    public Scheduler(List<HostFilter> filters) {
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("a scheduler needs at least one filter: capacity");
        }
        this.filters = List.copyOf(filters);
    }

    /** Today's pipeline: capacity alone. */
    public static Scheduler firstFit() {
        return new Scheduler(List.of(new CapacityFilter()));
    }

    /** Decides where the VM of {@code request} goes among {@code hosts}, the in-service hosts of its location. */
    Decision schedule(PlacementRequest request, List<HostUsage> hosts) {
        Map<String, Integer> reasons = new LinkedHashMap<>();
        for (HostUsage host : hosts.stream().sorted(Comparator.comparing(HostUsage::name)).toList()) {
            Optional<String> rejected = firstRejection(request, host);
            if (rejected.isEmpty()) {
                return new Decision.Fits(host);
            }
            reasons.merge(rejected.get(), 1, Integer::sum);
        }
        return new Decision.NothingFits(request.location(), hosts.size(), reasons);
    }

    private Optional<String> firstRejection(PlacementRequest request, HostUsage host) {
        for (HostFilter filter : filters) {
            Optional<String> reason = filter.reject(request, host);
            if (reason.isPresent()) {
                return reason;
            }
        }
        return Optional.empty();
    }
}
