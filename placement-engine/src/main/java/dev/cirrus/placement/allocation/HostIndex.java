package dev.cirrus.placement.allocation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

import dev.cirrus.placement.inventory.HostState;
import dev.cirrus.placement.inventory.HostUsage;

/**
 * The in-service hosts of one cluster ordered by how full they are, so that a best-fit (pack) decision looks at a
 * handful of hosts instead of all of them. Part of {@link RegionView}, changed under the decision lock.
 *
 * <p>Hosts are grouped by shape (vCPU and memory capacity); each shape keeps two orders: used vCPUs descending and
 * used memory descending (ties by name). Why this is exact for the pack scorer: its score is
 * {@code max((usedVcpus + v) / C, (usedMemory + m) / M)}, so the best score over the hosts that pass the filters is
 * the larger of the best vCPU term and the best memory term, and within one shape the best vCPU term belongs to the
 * fullest-by-vCPU host that passes (the first one found walking the vCPU order from the hosts with room for
 * {@code v}), the first of its level by name; likewise for memory. The winner over every shape and cluster is the
 * candidate with the highest score, ties to the first name: the host the full scan picks ({@code SchedulerTest}
 * checks both agree on random states). A walk skips the hosts some other filter rejects (another rack of a set,
 * an excluded host, too little memory), so it can be long only when most hosts are rejected.
 */
final class HostIndex {

    /** Used vCPUs, most first, then name. */
    private static final Comparator<HostUsage> BY_VCPUS = (a, b) -> {
        int c = Long.compare(b.usedVcpus(), a.usedVcpus());
        return c != 0 ? c : a.name().compareTo(b.name());
    };

    /** Used memory, most first, then name. */
    private static final Comparator<HostUsage> BY_MEMORY = (a, b) -> {
        int c = Long.compare(b.usedMemoryMib(), a.usedMemoryMib());
        return c != 0 ? c : a.name().compareTo(b.name());
    };

    private static final class Shape {
        final int vcpus;
        final long memoryMib;
        final TreeSet<HostUsage> byVcpus = new TreeSet<>(BY_VCPUS);
        final TreeSet<HostUsage> byMemory = new TreeSet<>(BY_MEMORY);

        Shape(int vcpus, long memoryMib) {
            this.vcpus = vcpus;
            this.memoryMib = memoryMib;
        }
    }

    /** A few shapes per cluster at most: a list is faster than a map. */
    private final List<Shape> shapes = new ArrayList<>(2);

    /** Indexes a host if it is in service (the only state the host-health filter lets through). */
    void add(HostUsage host) {
        if (host.state() != HostState.InService) {
            return;
        }
        Shape shape = shape(host, true);
        shape.byVcpus.add(host);
        shape.byMemory.add(host);
    }

    /** Forgets a host as it was indexed ({@code host} is the record {@link #add} got). */
    void remove(HostUsage host) {
        if (host.state() != HostState.InService) {
            return;
        }
        Shape shape = shape(host, false);
        if (shape != null) {
            shape.byVcpus.remove(host);
            shape.byMemory.remove(host);
        }
    }

    /**
     * The host the pack scorer ranks first among the indexed hosts that pass every filter of {@code filters}
     * (ties to the first name), or null when none passes.
     */
    HostUsage bestPack(PlacementContext context, HostFilter[] filters, HostScorer pack, HostUsage best,
                       double[] bestScore) {
        VmSize size = context.request().size();
        for (int s = 0, n = shapes.size(); s < n; s++) {
            Shape shape = shapes.get(s);
            long roomVcpus = shape.vcpus - (long) size.vcpus();
            long roomMemory = shape.memoryMib - (long) size.memoryMib();
            if (roomVcpus < 0 || roomMemory < 0) {
                continue;
            }
            HostUsage byVcpus = firstPassing(shape.byVcpus.tailSet(probe(roomVcpus, 0), true).iterator(),
                    context, filters);
            if (byVcpus == null) {
                continue; // no host of the shape passes: the memory order has none either
            }
            best = better(context, pack, byVcpus, best, bestScore);
            HostUsage byMemory = firstPassing(shape.byMemory.tailSet(probe(0, roomMemory), true).iterator(),
                    context, filters);
            best = better(context, pack, byMemory, best, bestScore);
        }
        return best;
    }

    private static HostUsage better(PlacementContext context, HostScorer pack, HostUsage candidate, HostUsage best,
                                    double[] bestScore) {
        if (candidate == null) {
            return best;
        }
        double score = pack.score(context, candidate);
        if (best == null || score > bestScore[0]
                || (score == bestScore[0] && candidate.name().compareTo(best.name()) < 0)) {
            bestScore[0] = score;
            return candidate;
        }
        return best;
    }

    private static HostUsage firstPassing(Iterator<HostUsage> hosts, PlacementContext context, HostFilter[] filters) {
        while (hosts.hasNext()) {
            HostUsage host = hosts.next();
            if (Scheduler.passes(filters, context, host)) {
                return host;
            }
        }
        return null;
    }

    /** A key that sorts before every host using at most {@code usedVcpus} (or {@code usedMemoryMib}). */
    private static HostUsage probe(long usedVcpus, long usedMemoryMib) {
        return new HostUsage("", "", "", "", 0, HostState.InService, 0, 0, usedVcpus, usedMemoryMib, 0);
    }

    private Shape shape(HostUsage host, boolean create) {
        for (int s = 0, n = shapes.size(); s < n; s++) {
            Shape shape = shapes.get(s);
            if (shape.vcpus == host.vcpus() && shape.memoryMib == host.memoryMib()) {
                return shape;
            }
        }
        if (!create) {
            return null;
        }
        Shape shape = new Shape(host.vcpus(), host.memoryMib());
        shapes.add(shape);
        return shape;
    }
}
