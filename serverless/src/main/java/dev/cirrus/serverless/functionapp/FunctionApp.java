package dev.cirrus.serverless.functionapp;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.cirrus.plumbing.arm.ArmException;
import tools.jackson.databind.JsonNode;

/**
 * A function app: {@code Microsoft.Web/sites} of kind {@code functionapp}. On the consumption plan unless
 * {@code serverFarmId} names a dedicated plan (then billing follows the plan, not the executions).
 */
public record FunctionApp(String resourceId, String subscriptionId, String resourceGroup, String name, String location,
                          String kind, String state, String serverFarmId, JsonNode tags, Map<String, String> appSettings,
                          JsonNode hostJson, String masterKey, String hostKey, Instant createdAt, long version) {

    public static final String RUNNING = "Running";
    public static final String STOPPED = "Stopped";

    /** Consumption plan: default 5 minutes, at most 10 (Azure's functionTimeout limits); dedicated: 30, unbounded. */
    public Duration functionTimeout() {
        Duration fallback = onConsumptionPlan() ? Duration.ofMinutes(5) : Duration.ofMinutes(30);
        JsonNode value = hostJson.get("functionTimeout");
        if (value == null || value.isNull()) {
            return fallback;
        }
        return parseTimeout(value.asString(), onConsumptionPlan());
    }

    /** Parses host.json's {@code functionTimeout} ({@code hh:mm:ss}) and checks the plan's maximum. */
    public static Duration parseTimeout(String text, boolean consumption) {
        String[] parts = text.split(":");
        Duration timeout;
        try {
            if (parts.length != 3) {
                throw new NumberFormatException();
            }
            timeout = Duration.ofHours(Long.parseLong(parts[0])).plusMinutes(Long.parseLong(parts[1]))
                    .plusMillis(Math.round(Double.parseDouble(parts[2]) * 1000));
        } catch (NumberFormatException e) {
            throw ArmException.badRequest("InvalidHostJson", "host.json functionTimeout '" + text
                    + "' is not a time span like 00:05:00", "host.json.functionTimeout");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw ArmException.badRequest("InvalidHostJson", "host.json functionTimeout must be positive", "host.json.functionTimeout");
        }
        if (consumption && timeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw ArmException.badRequest("InvalidHostJson", "host.json functionTimeout " + text
                    + " exceeds the consumption plan's maximum of 00:10:00", "host.json.functionTimeout");
        }
        return timeout;
    }

    public String routePrefix() {
        JsonNode prefix = hostJson.path("extensions").path("http").get("routePrefix");
        return prefix == null || prefix.isNull() ? "api" : prefix.asString().replaceAll("^/+|/+$", "");
    }

    public boolean onConsumptionPlan() {
        return serverFarmId == null;
    }

    public boolean running() {
        return RUNNING.equals(state);
    }

    public String workerRuntime() {
        return appSettings.getOrDefault("FUNCTIONS_WORKER_RUNTIME", "node");
    }

    public String key() {
        return resourceId.toLowerCase(java.util.Locale.ROOT);
    }

    public FunctionApp withState(String newState) {
        return new FunctionApp(resourceId, subscriptionId, resourceGroup, name, location, kind, newState, serverFarmId,
                tags, appSettings, hostJson, masterKey, hostKey, createdAt, version);
    }
}
