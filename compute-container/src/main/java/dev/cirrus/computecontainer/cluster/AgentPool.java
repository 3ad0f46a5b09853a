package dev.cirrus.computecontainer.cluster;

import java.util.List;
import java.util.Map;

/**
 * One agent pool of a managed cluster as its user wants it: {@code count} nodes of {@code vmSize} running
 * {@code orchestratorVersion}, one Uniform scale set of compute-vm in the cluster's node resource group.
 *
 * @param mode              System (hosts the system pods; a cluster keeps at least one) or User
 * @param maxSurge          {@code upgradeSettings.maxSurge} as given: a node count ("3") or a percentage ("33%")
 * @param provisioningState the pool's: Creating, Scaling, Upgrading, Updating, Deleting, Succeeded, Failed
 */
public record AgentPool(String name, int count, String vmSize, String mode, String osType, String orchestratorVersion,
                        int maxPods, Map<String, String> nodeLabels, List<String> nodeTaints,
                        boolean enableAutoScaling, Integer minCount, Integer maxCount, String maxSurge,
                        String provisioningState) {

    public AgentPool {
        nodeLabels = nodeLabels == null ? Map.of() : Map.copyOf(nodeLabels);
        nodeTaints = nodeTaints == null ? List.of() : List.copyOf(nodeTaints);
    }

    public boolean system() {
        return "System".equals(mode);
    }

    /** The same definition in another provisioning state. */
    AgentPool in(String state) {
        return new AgentPool(name, count, vmSize, mode, osType, orchestratorVersion, maxPods, nodeLabels, nodeTaints,
                enableAutoScaling, minCount, maxCount, maxSurge, state);
    }

    /** The definition without its state: what a PUT compares. */
    AgentPool definition() {
        return in(null);
    }

    /**
     * How many extra nodes an upgrade adds at once: {@code maxSurge} of the pool's count (a percentage rounded up),
     * at least one. Azure's default is one node.
     */
    int surge() {
        if (maxSurge == null || maxSurge.isBlank()) {
            return 1;
        }
        if (maxSurge.endsWith("%")) {
            int percent = Integer.parseInt(maxSurge.substring(0, maxSurge.length() - 1));
            return Math.max(1, (int) Math.ceil(count * percent / 100.0));
        }
        return Math.max(1, Integer.parseInt(maxSurge));
    }

    /**
     * The pool's scale set in the node resource group: {@code aks-{pool}-{8 digits}-vmss}, as AKS names it (the
     * digits from the cluster's id); its instances are named {@code aks-{pool}-{digits}-vmss} and 6 base-36 digits.
     */
    static String scaleSetName(String clusterKey, String pool) {
        long digits = Math.floorMod((long) clusterKey.hashCode(), 100_000_000L);
        return "aks-" + pool + "-" + String.format("%08d", digits) + "-vmss";
    }
}
