package dev.cirrus.placement.allocation;

import dev.cirrus.placement.inventory.HostUsage;

/**
 * Ranks the hosts that passed every filter: the score stage (Kubernetes' Score plugin, Nova's weigher). A scorer
 * returns a raw number, higher = better; the scheduler normalizes each scorer's numbers to 0..1 over the
 * candidate hosts of one decision and multiplies them by the scorer's configured weight
 * ({@code cirrus.placement.scheduler.weights}); a negative weight turns a scorer around.
 */
public interface HostScorer {

    /** The name the configuration uses, e.g. {@code pack}. */
    String name();

    double score(PlacementContext context, HostUsage host);
}
