package dev.cirrus.serverless.functionapp;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.FunctionAppData;
import dev.cirrus.plumbing.arm.ArmException;
import tools.jackson.databind.JsonNode;

/**
 * A function app: {@code Microsoft.Web/sites} of kind {@code functionapp}. On the consumption plan unless
 * {@code serverFarmId} names a dedicated plan (then billing follows the plan, not the executions).
 *
 * <p>An immutable snapshot (the runtime shares it between threads). Each transition checks the current state and
 * returns the next snapshot with the events it causes; saving both in one transaction is the caller's job
 * ({@link FunctionApps}):
 * <pre>
 *   create ─► Running ──stop──► Stopped ──start──► Running      (each causes FunctionAppCreated / Stopped / Started)
 *   update (PUT, PATCH, config/web, config/appsettings)           causes FunctionAppUpdated
 *   restart: same state, a new version (every instance replaced), no event
 *   delete ─► (gone)                                               causes FunctionAppDeleted
 * </pre>
 * Every change the resource shows gets a new {@code etag}; {@code version} also moves with the app's code (its
 * functions, host.json, keys), so warm instances of an older version retire.
 */
public record FunctionApp(String resourceId, String subscriptionId, String resourceGroup, String name, String location,
                          String kind, String state, String serverFarmId, Map<String, String> tags,
                          Map<String, String> appSettings, JsonNode siteConfig, JsonNode hostJson, String masterKey,
                          Map<String, String> hostFunctionKeys, Map<String, String> systemKeys, Instant createdAt,
                          Instant lastModified, String etag, long version) {

    public static final String RUNNING = "Running";
    public static final String STOPPED = "Stopped";

    /** The next snapshot and the events the transition caused (none when nothing changed). */
    public record Transition(FunctionApp app, List<Event> events) {
    }

    /** An event a transition caused: its type (from {@code EventTypes}), subject (the app's id), time and data. */
    public record Event(String type, String subject, Instant time, FunctionAppData data) {
    }

    /** What a PUT or PATCH asks for, validated ({@link FunctionApps}). */
    public record Desired(String kind, String serverFarmId, Map<String, String> tags, Map<String, String> appSettings,
                          JsonNode siteConfig) {
    }

    public FunctionApp {
        Objects.requireNonNull(resourceId);
        Objects.requireNonNull(location);
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        appSettings = Collections.unmodifiableMap(new LinkedHashMap<>(appSettings));
        hostFunctionKeys = Collections.unmodifiableMap(new LinkedHashMap<>(hostFunctionKeys));
        systemKeys = Collections.unmodifiableMap(new LinkedHashMap<>(systemKeys));
    }

    /** A new, running app. Causes FunctionAppCreated. */
    public static Transition create(String sub, String rg, String name, String location, Desired desired,
                                    JsonNode hostJson, String masterKey, String hostKey, Instant now, String etag) {
        Map<String, String> settings = new LinkedHashMap<>(desired.appSettings());
        settings.putIfAbsent("FUNCTIONS_WORKER_RUNTIME", "node");
        settings.putIfAbsent("FUNCTIONS_EXTENSION_VERSION", "~4");
        FunctionApp app = new FunctionApp(FunctionApps.resourceId(sub, rg, name), sub, rg, name, location,
                desired.kind(), RUNNING, desired.serverFarmId(), desired.tags(), settings, desired.siteConfig(),
                hostJson, masterKey, Map.of("default", hostKey), Map.of(), now, now, etag, 1);
        return new Transition(app, List.of(app.event(EventTypes.FUNCTION_APP_CREATED, now)));
    }

    /**
     * A PUT, PATCH or configuration write: kind, plan, tags, settings and site configuration become the desired ones
     * (the location never changes: 409). Causes FunctionAppUpdated.
     */
    public Transition update(String requestedLocation, Desired desired, Instant now, String newEtag) {
        if (requestedLocation != null && !FunctionApps.normalizeLocation(requestedLocation)
                .equals(FunctionApps.normalizeLocation(location))) {
            throw new ArmException(409, "LocationNotAvailableForResourceType", "The location of function app '" + name
                    + "' cannot change from " + location + " to " + requestedLocation + ".", "location");
        }
        FunctionApp next = new FunctionApp(resourceId, subscriptionId, resourceGroup, name, location, desired.kind(),
                state, desired.serverFarmId(), desired.tags(), desired.appSettings(), desired.siteConfig(), hostJson,
                masterKey, hostFunctionKeys, systemKeys, createdAt, now, newEtag, version + 1);
        return new Transition(next, List.of(next.event(EventTypes.FUNCTION_APP_UPDATED, now)));
    }

    /** Stops a running app (its triggers answer 403). Causes FunctionAppStopped; a stopped app stays as it is. */
    public Transition stop(Instant now, String newEtag) {
        if (!running()) {
            return new Transition(this, List.of());
        }
        FunctionApp next = withState(STOPPED, now, newEtag);
        return new Transition(next, List.of(next.event(EventTypes.FUNCTION_APP_STOPPED, now)));
    }

    /** Starts a stopped app. Causes FunctionAppStarted; a running app stays as it is. */
    public Transition start(Instant now, String newEtag) {
        if (running()) {
            return new Transition(this, List.of());
        }
        FunctionApp next = withState(RUNNING, now, newEtag);
        return new Transition(next, List.of(next.event(EventTypes.FUNCTION_APP_STARTED, now)));
    }

    /** Same state, a new version: every instance is replaced. No event (nothing the resource shows changes). */
    public Transition restart() {
        return new Transition(withVersion(version + 1), List.of());
    }

    /** The app is gone, with its functions, keys and executions. Causes FunctionAppDeleted. */
    public List<Event> delete(Instant now) {
        FunctionAppData data = new FunctionAppData(subscriptionId, resourceGroup, name, location, kind, "Deleted",
                serverFarmId, tags, null);
        return List.of(new Event(EventTypes.FUNCTION_APP_DELETED, resourceId, now, data));
    }

    /** New code, host.json or keys: a new version (warm instances retire), the resource itself unchanged. */
    public FunctionApp withCode(JsonNode newHostJson) {
        return new FunctionApp(resourceId, subscriptionId, resourceGroup, name, location, kind, state, serverFarmId,
                tags, appSettings, siteConfig, newHostJson, masterKey, hostFunctionKeys, systemKeys, createdAt,
                lastModified, etag, version + 1);
    }

    /** The host keys replaced (master, function and system keys). */
    public FunctionApp withHostKeys(String newMasterKey, Map<String, String> functionKeys, Map<String, String> system) {
        return new FunctionApp(resourceId, subscriptionId, resourceGroup, name, location, kind, state, serverFarmId,
                tags, appSettings, siteConfig, hostJson, newMasterKey, functionKeys, system, createdAt, lastModified,
                etag, version + 1);
    }

    /**
     * Consumption plan: default 5 minutes, at most 10 (Azure's functionTimeout limits); dedicated: 30, unbounded.
     * Whether the app is on the Consumption plan is {@link HostingPlans#consumption}'s answer.
     */
    public Duration functionTimeout(boolean consumption) {
        Duration fallback = consumption ? Duration.ofMinutes(5) : Duration.ofMinutes(30);
        JsonNode value = hostJson.get("functionTimeout");
        if (value == null || value.isNull()) {
            return fallback;
        }
        return parseTimeout(value.asString(), consumption);
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
        } catch (NumberFormatException | ArithmeticException e) {
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

    /** No plan named: the Consumption plan (one naming a Y1 plan is too: {@link HostingPlans#consumption}). */
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
        return resourceId.toLowerCase(Locale.ROOT);
    }

    /** The host key named {@code default} (a function-level key for every function), or null when deleted. */
    public String hostKey() {
        return hostFunctionKeys.get("default");
    }

    /** Whether {@code key} is one of the host's function keys (not the master key). */
    public boolean isHostFunctionKey(String key) {
        return hostFunctionKeys.values().stream().anyMatch(k -> Keys.same(key, k));
    }

    /** Whether {@code key} is the master key. */
    public boolean isMasterKey(String key) {
        return Keys.same(key, masterKey);
    }

    private FunctionApp withState(String newState, Instant now, String newEtag) {
        return new FunctionApp(resourceId, subscriptionId, resourceGroup, name, location, kind, newState, serverFarmId,
                tags, appSettings, siteConfig, hostJson, masterKey, hostFunctionKeys, systemKeys, createdAt, now,
                newEtag, version + 1);
    }

    private FunctionApp withVersion(long newVersion) {
        return new FunctionApp(resourceId, subscriptionId, resourceGroup, name, location, kind, state, serverFarmId,
                tags, appSettings, siteConfig, hostJson, masterKey, hostFunctionKeys, systemKeys, createdAt,
                lastModified, etag, newVersion);
    }

    private Event event(String type, Instant now) {
        return new Event(type, resourceId, now, new FunctionAppData(subscriptionId, resourceGroup, name, location, kind,
                state, serverFarmId, tags, etag));
    }
}
