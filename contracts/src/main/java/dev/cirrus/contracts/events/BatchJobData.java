package dev.cirrus.contracts.events;

/**
 * The data of {@code Microsoft.Batch.Job*} events.
 *
 * @param state           active | completed | deleting
 * @param terminateReason why it completed (AllTasksComplete, UserTerminate, …), or null
 */
public record BatchJobData(String subscriptionId, String resourceGroup, String accountName, String location,
                           String jobId, String poolId, String state, String terminateReason) {
}
