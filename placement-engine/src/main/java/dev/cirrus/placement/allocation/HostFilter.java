package dev.cirrus.placement.allocation;

import dev.cirrus.placement.inventory.HostUsage;

/**
 * One rule a host must pass to take a VM: the filter stage of the scheduler (Kubernetes' Filter plugin, Nova's
 * host filter). Each filter is one small class; which run, and in what order, is configuration
 * ({@code cirrus.placement.scheduler.filters}).
 */
public interface HostFilter {

    /** The name the configuration uses, e.g. {@code capacity}. */
    String name();

    /**
     * Why {@code host} cannot take the VM of {@code context}, or null when it can. A reason is a short phrase
     * ("insufficient memory", "in another fault domain of set 'web'"): the scheduler counts hosts per reason to
     * explain a refusal. Called once per host per decision: keep it allocation-free on the passing path.
     */
    String reject(PlacementContext context, HostUsage host);
}
