package dev.cirrus.contracts.events;

/**
 * The data of {@code Microsoft.Logic.WorkflowRunCompleted} on {@code cirrus.serverless} (subject: the workflow's ARM
 * id, {@code .../providers/Microsoft.Logic/workflows/{name}}). Billing meters Logic Apps Consumption per executed
 * trigger and action (billing/README.md), by connector class; triggers are billed at the built-in rate.
 *
 * @param subscriptionId           subscription GUID
 * @param resourceGroup            resource group name as the user cased it
 * @param name                     workflow name
 * @param location                 normalised ARM location
 * @param runId                    the run's name
 * @param status                   "Succeeded", "Failed" or "Cancelled" (executions are billed whatever the outcome)
 * @param triggerExecutions        trigger executions of the run (polls included)
 * @param builtInActions           built-in actions executed
 * @param standardConnectorActions standard connector actions executed
 * @param enterpriseConnectorActions enterprise connector actions executed
 */
public record WorkflowRunData(String subscriptionId, String resourceGroup, String name, String location, String runId,
                              String status, int triggerExecutions, int builtInActions, int standardConnectorActions,
                              int enterpriseConnectorActions) {
}
