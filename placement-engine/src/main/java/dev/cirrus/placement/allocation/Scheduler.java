package dev.cirrus.placement.allocation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cirrus.placement.inventory.HostUsage;

/**
 * Chooses a host for a VM: filters, then weighted scorers (the Kubernetes scheduler framework's Filter and Score,
 * Nova's filters and weighers). A pure function of the decision's context and the hosts' current use; the caller
 * holds the engine's decision lock while it decides and records the choice, so two decisions never see the same free
 * capacity.
 *
 * <p>How it goes: each host runs the filters in their configured order; the first filter that rejects it gives
 * the host's reason and the later ones are not asked. Each scorer then gives every remaining host a raw number,
 * normalized to 0..1 over those hosts (min-max; all equal = all 0) and multiplied by the scorer's weight; the host
 * with the highest sum wins, ties going to the first host by name (plain string order, so zero-padded names sort
 * as numbered). If no host is left, the answer counts the hosts per reason.
 *
 * <p>Worked example, weights pack=1, spread=0, a request for 8 vCPU / 16 GiB and four 64-vCPU / 256-GiB hosts:
 * <pre>
 *   host   used vCPU  used memory  state     verdict
 *   a       60         16 GiB      InService insufficient vCPU
 *   b       32         64 GiB      InService pack = max(40/64, 80/256) = 0.625 -> normalized 1: chosen
 *   c        0          0          InService pack = max(8/64, 16/256)  = 0.125 -> normalized 0
 *   d        0          0          Failed    host failed
 * </pre>
 * With spread=1, pack=0, {@code c} wins. Were {@code b} and {@code c} full: "0/4 hosts in eastus are available:
 * 3 insufficient vCPU, 1 host failed".
 *
 * <p>Cost: with the default weighting (pack alone), a decision over a region does not depend on its number of
 * hosts: per cluster and host shape, two ordered-index lookups and a walk past the hosts the filters reject
 * ({@link HostIndex}); the result is the scan's. Any other weighting scans: one pass over the hosts for the filters
 * and the raw scores, one over the survivors for the sums; no sorting. A refusal runs the filters over every host
 * of the region to count the reasons. Known caveat: the scorers see each host alone (no look-ahead), so a mixed workload can strand capacity
 * (a host with vCPUs left but no memory): the packing report measures how much.
 */
public final class Scheduler {

    private final HostFilter[] filters;
    /** The filters that apply to a standalone VM: the set's rules are no-ops without a set, so they are skipped. */
    private final HostFilter[] standaloneFilters;
    private final List<HostScorer> scorers;
    private final HostScorer[] scorerArray;
    private final double[] weights;
    /**
     * The pack scorer when it is the only scorer and weighs more than 0 (the default): decisions then use the
     * regions' fullness indexes ({@link HostIndex}) instead of scanning every host; null otherwise (every other
     * weighting scans, with the same result).
     */
    private final HostScorer pack;

    /**
     * @param filters in the order they run
     * @param weights each scorer's weight; scorers of weight 0 are not run
     */
    Scheduler(List<HostFilter> filters, Map<HostScorer, Double> weights) {
        if (filters.stream().noneMatch(CapacityFilter.class::isInstance)) {
            throw new IllegalArgumentException("a scheduler needs the capacity filter: it never over-commits");
        }
        this.filters = filters.toArray(HostFilter[]::new);
        this.standaloneFilters = filters.stream()
                .filter(f -> !(f instanceof GroupClusterFilter) && !(f instanceof FaultDomainFilter))
                .toArray(HostFilter[]::new);
        List<HostScorer> used = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        weights.forEach((scorer, weight) -> {
            if (weight != 0) {
                used.add(scorer);
                w.add(weight);
            }
        });
        this.scorers = List.copyOf(used);
        this.scorerArray = used.toArray(HostScorer[]::new);
        this.weights = w.stream().mapToDouble(Double::doubleValue).toArray();
        this.pack = scorerArray.length == 1 && scorerArray[0] instanceof PackScorer && this.weights[0] > 0
                ? scorerArray[0] : null;
    }

    /** The default pipeline: every filter, packing (best fit). */
    public static Scheduler standard() {
        return SchedulerProperties.defaults().scheduler();
    }

    /**
     * Decides where the VM of {@code context} goes in {@code region}. A set that already has a cluster only looks
     * at that cluster's hosts (the group-cluster filter would reject every other one); if none fits, the whole
     * region is run again for the diagnosis, which then counts every host.
     */
    Decision schedule(PlacementContext context, RegionView region) {
        GroupState group = context.group();
        if (pack != null) {
            HostFilter[] active = group == null ? standaloneFilters : filters;
            double[] score = new double[1];
            HostIndex cluster = group != null && group.cluster() != null ? region.fullnessIn(group.cluster()) : null;
            if (cluster != null) {
                HostUsage best = cluster.bestPack(context, active, pack, null, score);
                if (best != null) {
                    return new Decision.Fits(best);
                }
            }
            HostUsage best = null;
            List<HostIndex> clusters = region.fullnessOfEveryCluster();
            for (int c = 0, n = clusters.size(); c < n; c++) {
                best = clusters.get(c).bestPack(context, active, pack, best, score);
            }
            // nothing fits: the scan counts every host's reason (failures are rare)
            return best != null ? new Decision.Fits(best) : nothingFits(context, region.candidates(), active);
        }
        if (group != null && group.cluster() != null) {
            Decision inCluster = schedule(context, region.inCluster(group.cluster()));
            if (inCluster instanceof Decision.Fits) {
                return inCluster;
            }
        }
        return schedule(context, region.candidates());
    }

    /** Decides where the VM of {@code context} goes among {@code hosts}, the candidate hosts of its location. */
    Decision schedule(PlacementContext context, List<HostUsage> hosts) {
        HostFilter[] active = context.group() == null ? standaloneFilters : filters;
        if (scorerArray.length <= 1) {
            return scoreOnePass(context, hosts, active);
        }
        int n = hosts.size();
        HostUsage[] passed = new HostUsage[n];
        double[][] raw = new double[scorers.size()][];
        for (int s = 0; s < raw.length; s++) {
            raw[s] = new double[n];
        }
        int count = 0;
        for (HostUsage host : hosts) {
            if (firstRejection(active, context, host) != null) {
                continue;
            }
            for (int s = 0; s < raw.length; s++) {
                raw[s][count] = scorerArray[s].score(context, host);
            }
            passed[count++] = host;
        }
        if (count == 0) {
            return nothingFits(context, hosts, active);
        }
        double[] min = new double[raw.length];
        double[] range = new double[raw.length];
        for (int s = 0; s < raw.length; s++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < count; i++) {
                lo = Math.min(lo, raw[s][i]);
                hi = Math.max(hi, raw[s][i]);
            }
            min[s] = lo;
            range[s] = hi - lo;
        }
        HostUsage best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            double score = 0;
            for (int s = 0; s < raw.length; s++) {
                if (range[s] > 0) {
                    score += weights[s] * (raw[s][i] - min[s]) / range[s];
                }
            }
            HostUsage host = passed[i];
            if (best == null || score > bestScore
                    || (score == bestScore && host.name().compareTo(best.name()) < 0)) {
                best = host;
                bestScore = score;
            }
        }
        return new Decision.Fits(best);
    }

    /**
     * One scorer (or none): normalizing is a monotone map, so the best raw score (times the weight's sign) wins
     * without storing every score; one pass, no allocation.
     */
    private Decision scoreOnePass(PlacementContext context, List<HostUsage> hosts, HostFilter[] active) {
        HostScorer scorer = scorerArray.length == 0 ? null : scorerArray[0];
        double sign = scorer == null ? 0 : Math.signum(weights[0]);
        HostUsage best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0, n = hosts.size(); i < n; i++) {
            HostUsage host = hosts.get(i);
            if (firstRejection(active, context, host) != null) {
                continue;
            }
            double score = scorer == null ? 0 : sign * scorer.score(context, host);
            if (best == null || score > bestScore
                    || (score == bestScore && host.name().compareTo(best.name()) < 0)) {
                best = host;
                bestScore = score;
            }
        }
        return best == null ? nothingFits(context, hosts, active) : new Decision.Fits(best);
    }

    private static Decision nothingFits(PlacementContext context, List<HostUsage> hosts, HostFilter[] active) {
        // the diagnosis is only needed now: counting reasons on every decision would cost a map update per host
        Map<String, Integer> reasons = new LinkedHashMap<>();
        for (HostUsage host : hosts) {
            reasons.merge(firstRejection(active, context, host), 1, Integer::sum);
        }
        return new Decision.NothingFits(context.request().location(), hosts.size(), reasons);
    }

    static boolean passes(HostFilter[] filters, PlacementContext context, HostUsage host) {
        for (HostFilter filter : filters) {
            if (filter.reject(context, host) != null) {
                return false;
            }
        }
        return true;
    }

    private static String firstRejection(HostFilter[] filters, PlacementContext context, HostUsage host) {
        for (HostFilter filter : filters) {
            String reason = filter.reject(context, host);
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }
}
