package dev.cirrus.contracts.events;

/**
 * The data of {@code Microsoft.Web.FunctionExecuted} on {@code cirrus.serverless} (subject: the function app's ARM id,
 * {@code .../providers/Microsoft.Web/sites/{app}}, so all executions of one app share a partition). Billing meters
 * Functions on the Consumption plan per execution and per GB-second (reference §8.1).
 *
 * @param subscriptionId subscription GUID
 * @param resourceGroup  resource group name as the user cased it
 * @param name           the function app's name
 * @param functionName   the function that ran
 * @param location       normalised ARM location
 * @param executionId    the invocation id
 * @param durationMs     how long the execution took, in milliseconds (never negative)
 * @param memoryMb       the observed memory of the execution in MB (billing rounds it up to 128 MB buckets)
 * @param status         "Succeeded" or "Failed" (both are billed)
 */
public record FunctionExecutionData(String subscriptionId, String resourceGroup, String name, String functionName,
                                    String location, String executionId, long durationMs, int memoryMb,
                                    String status) {
}
