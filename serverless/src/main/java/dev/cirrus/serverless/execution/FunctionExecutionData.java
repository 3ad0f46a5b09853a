package dev.cirrus.serverless.execution;

import java.time.Instant;

/**
 * The data of a {@code Microsoft.Web.FunctionExecuted} event on {@code cirrus.serverless} (subject: the function's
 * resource id). Defined here until the contracts module carries the shared record; field names are the JSON names.
 *
 * @param memoryMb     memory the execution used, in MB (not yet rounded to 128 MB: billing rounds)
 * @param status       Succeeded | Failed | TimedOut | MemoryExceeded
 * @param trigger      http | timer | kafka
 * @param serverFarmId the dedicated plan the app runs on, or null on the consumption plan (billing then meters
 *                     the executions)
 */
public record FunctionExecutionData(String subscriptionId, String resourceGroup, String appName, String functionName,
                                    String invocationId, Instant start, long durationMs, int memoryMb, String status,
                                    String trigger, boolean coldStart, String location, String serverFarmId) {
}
