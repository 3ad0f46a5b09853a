package dev.cirrus.gateway.deployments.template;

/**
 * Where a deployment runs: its subscription, its resource group ({@code null} at subscription scope), the group's
 * location, the deployment's name and the tenant.
 */
public record DeploymentScope(String subscriptionId, String resourceGroup, String resourceGroupLocation,
                              String deploymentName, String tenantId, String location) {

    public String resourceGroupId() {
        return resourceGroup == null ? null
                : "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup;
    }

    /** The scope's id, under which the template's resources are created. */
    public String scopeId() {
        return resourceGroup == null ? "/subscriptions/" + subscriptionId : resourceGroupId();
    }
}
