package dev.cirrus.contracts.events;

/**
 * The data of {@code Microsoft.ContainerService.ManagedCluster*} events on {@code cirrus.compute.container}
 * (subject: the cluster's ARM id, {@code .../providers/Microsoft.ContainerService/managedClusters/{name}}). Billing
 * meters the cluster-management tier per cluster-hour while the cluster exists and runs (Free costs nothing); the
 * nodes are the instances of their pools' scale sets in the node resource group, metered from compute-vm's events as VMs.
 *
 * @param subscriptionId    subscription GUID
 * @param resourceGroup     resource group name as the user cased it
 * @param name              cluster name
 * @param location          normalised ARM location
 * @param tier              {@code sku.tier}: Free, Standard or Premium
 * @param provisioningState ARM provisioning state after the change
 * @param powerState        Running or Stopped ({@code properties.powerState.code})
 * @param nodeResourceGroup the group of the cluster's node scale sets ({@code MC_{rg}_{cluster}_{location}}): the
 *                          gateway creates it with the cluster and deletes it with the cluster
 */
public record ManagedClusterData(String subscriptionId, String resourceGroup, String name, String location,
                                 String tier, String provisioningState, String powerState, String nodeResourceGroup) {
}
