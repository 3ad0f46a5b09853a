package dev.cirrus.contracts.events;

/**
 * The data of {@code Microsoft.Web.WebApp*} events on {@code cirrus.appservice} (subject: the site's ARM id,
 * {@code .../providers/Microsoft.Web/sites/{name}}): what the resource index and billing need about a web app without
 * calling back.
 *
 * @param subscriptionId subscription GUID
 * @param resourceGroup  resource group name as the user cased it
 * @param name           the site's name (global: its host is {@code {name}.azurewebsites.…})
 * @param location       normalised ARM location
 * @param kind           the site's kind: {@code app}, {@code api}, {@code mobileapp}, {@code app,linux}, …
 * @param state          Running or Stopped; Deleted once deleted
 * @param serverFarmId   the App Service plan the app runs on
 * @param deploymentId   the deployment of a {@code WebAppDeployed} event (its Kudu id), else null
 * @param deploymentStatus {@code Success} or {@code Failed} on a {@code WebAppDeployed} event, else null
 */
public record WebAppData(String subscriptionId, String resourceGroup, String name, String location, String kind,
                         String state, String serverFarmId, String deploymentId, String deploymentStatus) {
}
