package dev.cirrus.contracts.events;

/**
 * The data of {@code Microsoft.ContainerService.Node*} events on {@code cirrus.compute.container} (subject:
 * {@code .../managedClusters/{cluster}/agentPools/{pool}/nodes/{node}}): a node of an AKS agent pool added, cordoned,
 * drained, removed or repaired. Not metered: the node is an instance of the pool's scale set in the node resource
 * group, metered by compute-vm's events like any VM.
 *
 * @param subscriptionId      subscription GUID
 * @param resourceGroup       the cluster's resource group
 * @param cluster             the cluster's name
 * @param pool                the agent pool
 * @param name                the node's name (its VM's computer name)
 * @param instanceId          its instance id in the pool's scale set
 * @param vmId                its VM's platform GUID
 * @param orchestratorVersion the Kubernetes version it runs
 * @param host                the host it runs on, when known
 * @param rack                that host's rack, when known
 * @param faultDomain         its fault domain, when known
 * @param reason              why: Scale, Upgrade, Create, Delete, HostFailed, HostDrained
 */
public record ClusterNodeData(String subscriptionId, String resourceGroup, String cluster, String pool, String name,
                              String instanceId, String vmId, String orchestratorVersion, String host, String rack,
                              Integer faultDomain, String reason) {
}
