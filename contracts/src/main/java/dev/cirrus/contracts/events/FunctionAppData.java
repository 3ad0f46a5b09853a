package dev.cirrus.contracts.events;

import java.util.Map;

/**
 * The data of {@code Microsoft.Web.FunctionApp*} events on {@code cirrus.serverless} (subject: the app's ARM id,
 * {@code .../providers/Microsoft.Web/sites/{app}}): what the resource index and billing need about the app
 * without calling back.
 *
 * @param subscriptionId subscription GUID
 * @param resourceGroup  resource group name as the user cased it
 * @param name           the function app's name
 * @param location       normalised ARM location
 * @param kind           the site's kind, e.g. {@code functionapp} or {@code functionapp,linux}
 * @param state          Running or Stopped; Deleted once deleted
 * @param serverFarmId   the dedicated App Service plan the app runs on, or null on the Consumption plan
 * @param tags           the app's tags
 * @param etag           the app's ETag after the change (null once deleted)
 */
public record FunctionAppData(String subscriptionId, String resourceGroup, String name, String location, String kind,
                              String state, String serverFarmId, Map<String, String> tags, String etag) {
}
