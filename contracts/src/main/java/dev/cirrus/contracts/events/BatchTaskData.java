package dev.cirrus.contracts.events;

/**
 * The data of {@code Microsoft.Batch.Task*} events.
 *
 * @param state      running | completed
 * @param nodeId     the node it ran on
 * @param exitCode   the process's exit code once completed (null while running or when it never ran)
 * @param result     success | failure once completed
 * @param retryCount the retries it took
 */
public record BatchTaskData(String subscriptionId, String resourceGroup, String accountName, String location,
                            String jobId, String taskId, String state, String nodeId, Integer exitCode, String result,
                            int retryCount) {
}
