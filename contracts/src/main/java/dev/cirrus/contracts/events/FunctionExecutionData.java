package dev.cirrus.contracts.events;

import java.time.Instant;

/**
 * The data of {@code Microsoft.Web.FunctionExecuted} on {@code cirrus.serverless} (subject: the function app's ARM id,
 * {@code .../providers/Microsoft.Web/sites/{app}}, so all executions of one app share a partition and keep their
 * order). Billing meters Functions on the Consumption plan per execution and per GB-second (billing/README.md); an app
 * on a dedicated plan ({@code serverFarmId} set) is billed through its plan, so its executions are not metered.
 *
 * @param subscriptionId subscription GUID
 * @param resourceGroup  resource group name as the user cased it
 * @param name           the function app's name
 * @param functionName   the function that ran
 * @param location       normalised ARM location
 * @param executionId    the invocation id (unique per execution; billing deduplicates on the event id)
 * @param start          when the execution started
 * @param durationMs     how long the execution took, in milliseconds (never negative)
 * @param memoryMb       the observed memory of the execution in MB (billing rounds it up to 128 MB buckets)
 * @param status         Succeeded, Failed, TimedOut or MemoryExceeded (all are billed)
 * @param trigger        http, timer or kafka
 * @param coldStart      whether this execution started a new instance
 * @param serverFarmId   the dedicated App Service plan the app runs on, or null on the Consumption plan
 */
public record FunctionExecutionData(String subscriptionId, String resourceGroup, String name, String functionName,
                                    String location, String executionId, Instant start, long durationMs, int memoryMb,
                                    String status, String trigger, boolean coldStart, String serverFarmId) {
}
