package dev.cirrus.placement.allocation;

import java.util.Optional;

import dev.cirrus.placement.inventory.HostUsage;

/**
 * One rule a host must pass to take a VM: the filter stage of the scheduler (Kubernetes' Filter plugin, Nova's
 * host filter). Domain rules, host health and maintenance arrive as more filters.
 */
public interface HostFilter {

    /**
     * Why {@code host} cannot take the VM of {@code request}, or empty when it can. A reason is a short fixed
     * phrase ("insufficient memory"): the scheduler counts hosts per reason to explain a refusal.
     */
    Optional<String> reject(PlacementRequest request, HostUsage host);
}
