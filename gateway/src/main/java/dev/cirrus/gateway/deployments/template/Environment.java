package dev.cirrus.gateway.deployments.template;

import java.util.LinkedHashMap;
import java.util.Map;

/** What {@code environment()} answers: the cloud's name and endpoints, as the public cloud's shape has them. */
final class Environment {

    private Environment() {
    }

    static Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", "AzureCloud");
        out.put("gallery", "");
        out.put("graph", "");
        out.put("portal", "/portal");
        out.put("graphAudience", "");
        out.put("activeDirectoryDataLake", "");
        out.put("batch", "");
        out.put("media", "");
        out.put("sqlManagement", "");
        out.put("vmImageAliasDoc", "");
        out.put("resourceManager", "/");
        out.put("authentication", Map.of("loginEndpoint", "/", "audiences", java.util.List.of("/"),
                "tenant", "common", "identityProvider", "AAD"));
        out.put("suffixes", Map.of("acrLoginServer", ".azurecr.io", "keyvaultDns", ".vault.azure.net",
                "storage", "core.windows.net", "sqlServerHostname", ".database.windows.net"));
        return out;
    }
}
