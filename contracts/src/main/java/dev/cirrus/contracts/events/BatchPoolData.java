package dev.cirrus.contracts.events;

/**
 * The data of {@code Microsoft.Batch.Pool*} events.
 *
 * @param subscriptionId          the account's subscription
 * @param resourceGroup           the account's resource group
 * @param accountName             the Batch account
 * @param location                the account's region
 * @param poolId                  the pool's id as the user wrote it
 * @param vmSize                  the nodes' size
 * @param allocationState         steady | resizing | stopping
 * @param currentDedicatedNodes   nodes it has now
 * @param currentLowPriorityNodes low-priority nodes it has now
 * @param targetDedicatedNodes    what it is resizing to
 * @param targetLowPriorityNodes  what it is resizing to
 */
public record BatchPoolData(String subscriptionId, String resourceGroup, String accountName, String location,
                            String poolId, String vmSize, String allocationState, int currentDedicatedNodes,
                            int currentLowPriorityNodes, int targetDedicatedNodes, int targetLowPriorityNodes) {
}
