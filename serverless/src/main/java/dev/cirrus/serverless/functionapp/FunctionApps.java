package dev.cirrus.serverless.functionapp;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.serverless.runtime.AppDirectory;
import dev.cirrus.serverless.runtime.InstancePool;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/** The use cases of function apps: validate, load, change, save; and retire the instances of an old version. */
@Service
public class FunctionApps {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,58}[A-Za-z0-9]|[A-Za-z0-9]");
    private static final SecureRandom RANDOM = new SecureRandom();

    public record Saved(FunctionApp app, boolean created) {
    }

    private final FunctionAppRepository repository;
    private final AppDirectory directory;
    private final InstancePool pool;
    private final ObjectMapper json;
    private final Clock clock;

    FunctionApps(FunctionAppRepository repository, AppDirectory directory, InstancePool pool, ObjectMapper json, Clock clock) {
        this.repository = repository;
        this.directory = directory;
        this.pool = pool;
        this.json = json;
        this.clock = clock;
    }

    public static String resourceId(String sub, String rg, String app) {
        return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.Web/sites/" + app;
    }

    @Transactional
    public Saved createOrUpdate(String sub, String rg, String name, JsonNode body) {
        if (!NAME.matcher(name).matches()) {
            throw ArmException.badRequest("InvalidResourceName", "The function app name '" + name
                    + "' must be 1-60 letters, digits or hyphens, not starting or ending with a hyphen", "name");
        }
        if (body == null || !body.isObject()) {
            throw ArmException.badRequest("InvalidRequestContent", "The request body must be a JSON object", null);
        }
        String kind = body.path("kind").isString() ? body.get("kind").asString() : null;
        if (kind == null || !kind.toLowerCase(Locale.ROOT).contains("functionapp")) {
            throw ArmException.badRequest("InvalidKind", "This service hosts sites of kind 'functionapp' (e.g. "
                    + "'functionapp' or 'functionapp,linux'); got " + (kind == null ? "none" : "'" + kind + "'"), "kind");
        }
        String location = body.path("location").isString() ? body.get("location").asString() : null;
        if (location == null || location.isBlank()) {
            throw ArmException.badRequest("LocationRequired", "The location property is required for this definition.", "location");
        }
        JsonNode properties = body.path("properties");
        String serverFarmId = properties.path("serverFarmId").isString() ? properties.get("serverFarmId").asString() : null;
        if (serverFarmId != null && !serverFarmId.toLowerCase(Locale.ROOT).contains("/providers/microsoft.web/serverfarms/")) {
            throw ArmException.invalidParameter("serverFarmId must be the resource id of a Microsoft.Web/serverfarms plan",
                    "properties.serverFarmId");
        }
        Map<String, String> settings = settingsFrom(properties.path("siteConfig").get("appSettings"));
        checkSettings(settings, "properties.siteConfig.appSettings");
        String scaleLimit = scaleLimit(properties);
        JsonNode tags = body.path("tags").isObject() ? body.get("tags") : json.createObjectNode();
        var existing = repository.find(resourceId(sub, rg, name));
        if (existing.isPresent()) {
            FunctionApp old = existing.get();
            if (!old.location().equalsIgnoreCase(location)) {
                throw ArmException.conflict("LocationNotAvailableForResourceType",
                        "The location of function app '" + name + "' cannot change from " + old.location());
            }
            Map<String, String> newSettings = new LinkedHashMap<>(settings.isEmpty() ? old.appSettings() : settings);
            if (scaleLimit != null) {
                newSettings.put(InstancePool.SCALE_LIMIT_SETTING, scaleLimit);
            }
            FunctionApp updated = new FunctionApp(old.resourceId(), old.subscriptionId(), old.resourceGroup(), old.name(),
                    old.location(), kind, old.state(), serverFarmId, tags, newSettings, old.hostJson(), old.masterKey(),
                    old.hostKey(), old.createdAt(), old.version());
            repository.update(updated);
            changed(old.name());
            return new Saved(repository.find(old.resourceId()).orElseThrow(), false);
        }
        if (!settings.containsKey("FUNCTIONS_WORKER_RUNTIME")) {
            settings.put("FUNCTIONS_WORKER_RUNTIME", "node");
        }
        settings.putIfAbsent("FUNCTIONS_EXTENSION_VERSION", "~4");
        if (scaleLimit != null) {
            settings.put(InstancePool.SCALE_LIMIT_SETTING, scaleLimit);
        }
        FunctionApp app = new FunctionApp(resourceId(sub, rg, name), sub, rg, name, location, kind, FunctionApp.RUNNING,
                serverFarmId, tags, settings, json.createObjectNode().put("version", "2.0"), newKey(), newKey(),
                clock.instant(), 1);
        try {
            repository.insert(app);
        } catch (DuplicateKeyException e) {
            throw ArmException.conflict("Conflict", "Website with given name " + name + " already exists.");
        }
        directory.evict(name);
        return new Saved(app, true);
    }

    @Transactional
    public FunctionApp patch(String sub, String rg, String name, JsonNode body) {
        FunctionApp old = get(sub, rg, name);
        if (body == null || !body.isObject()) {
            throw ArmException.badRequest("InvalidRequestContent", "The request body must be a JSON object", null);
        }
        JsonNode tags = body.path("tags").isObject() ? body.get("tags") : old.tags();
        JsonNode properties = body.path("properties");
        String serverFarmId = properties.has("serverFarmId") ? (properties.get("serverFarmId").isNull() ? null
                : properties.get("serverFarmId").asString()) : old.serverFarmId();
        Map<String, String> settings = new LinkedHashMap<>(properties.path("siteConfig").has("appSettings")
                ? settingsFrom(properties.path("siteConfig").get("appSettings")) : old.appSettings());
        checkSettings(settings, "properties.siteConfig.appSettings");
        String scaleLimit = scaleLimit(properties);
        if (scaleLimit != null) {
            settings.put(InstancePool.SCALE_LIMIT_SETTING, scaleLimit);
        }
        repository.update(new FunctionApp(old.resourceId(), old.subscriptionId(), old.resourceGroup(), old.name(),
                old.location(), old.kind(), old.state(), serverFarmId, tags, settings, old.hostJson(), old.masterKey(),
                old.hostKey(), old.createdAt(), old.version()));
        changed(name);
        return get(sub, rg, name);
    }

    public FunctionApp get(String sub, String rg, String name) {
        return repository.find(resourceId(sub, rg, name)).orElseThrow(() -> ArmException.notFound("ResourceNotFound",
                "The Resource 'Microsoft.Web/sites/" + name + "' under resource group '" + rg + "' was not found."));
    }

    public List<FunctionApp> list(String sub, String rg) {
        return repository.list(sub, rg);
    }

    @Transactional
    public boolean delete(String sub, String rg, String name) {
        var app = repository.find(resourceId(sub, rg, name));
        if (app.isEmpty()) {
            return false;
        }
        repository.delete(app.get().key());
        changed(name);
        pool.drain(app.get().key());
        return true;
    }

    @Transactional
    public void powerAction(String sub, String rg, String name, String action) {
        FunctionApp app = get(sub, rg, name);
        FunctionApp next = switch (action.toLowerCase(Locale.ROOT)) {
            case "stop" -> app.withState(FunctionApp.STOPPED);
            case "start" -> app.withState(FunctionApp.RUNNING);
            default -> app; // restart: same state, a new version, so every instance is replaced
        };
        repository.update(next);
        changed(name);
        pool.drain(app.key());
    }

    @Transactional
    public FunctionApp replaceSettings(String sub, String rg, String name, JsonNode body) {
        FunctionApp old = get(sub, rg, name);
        JsonNode properties = body == null ? null : body.get("properties");
        if (properties == null || !properties.isObject()) {
            throw ArmException.badRequest("InvalidRequestContent", "The body must be {\"properties\": {\"NAME\": \"value\"}}", "properties");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : properties.properties()) {
            if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                throw ArmException.invalidParameter("The app setting '" + entry.getKey() + "' must be a string", "properties." + entry.getKey());
            }
            settings.put(entry.getKey(), entry.getValue().asString());
        }
        checkSettings(settings, "properties");
        repository.update(new FunctionApp(old.resourceId(), old.subscriptionId(), old.resourceGroup(), old.name(),
                old.location(), old.kind(), old.state(), old.serverFarmId(), old.tags(), settings, old.hostJson(),
                old.masterKey(), old.hostKey(), old.createdAt(), old.version()));
        changed(name);
        return get(sub, rg, name);
    }

    /** Replaces host.json (zip deploy). */
    public void replaceHostJson(FunctionApp app, JsonNode hostJson) {
        if (!hostJson.isObject()) {
            throw ArmException.badRequest("InvalidHostJson", "host.json must be a JSON object", "host.json");
        }
        if (hostJson.has("functionTimeout")) {
            FunctionApp.parseTimeout(hostJson.get("functionTimeout").asString(), app.onConsumptionPlan());
        }
        repository.update(new FunctionApp(app.resourceId(), app.subscriptionId(), app.resourceGroup(), app.name(),
                app.location(), app.kind(), app.state(), app.serverFarmId(), app.tags(), app.appSettings(), hostJson,
                app.masterKey(), app.hostKey(), app.createdAt(), app.version()));
    }

    /** A change to the app's functions: a new version, so warm instances of the old code retire. */
    public void changed(String name) {
        repository.findByName(name).ifPresent(app -> repository.touch(app.key()));
        directory.evict(name);
    }

    public static String newKey() {
        byte[] bytes = new byte[30];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** {@code properties.siteConfig.functionAppScaleLimit}, Azure's way to set the app setting, or null when absent. */
    private static String scaleLimit(JsonNode properties) {
        JsonNode limit = properties.path("siteConfig").get("functionAppScaleLimit");
        if (limit == null || limit.isNull()) {
            return null;
        }
        if (!limit.isIntegralNumber() || limit.asInt() < 1) {
            throw ArmException.invalidParameter("siteConfig.functionAppScaleLimit must be a whole number of instances, at least 1",
                    "properties.siteConfig.functionAppScaleLimit");
        }
        return Integer.toString(limit.asInt());
    }

    /** Settings the host reads are checked when written, so a bad value is a 400 now rather than a surprise later. */
    private void checkSettings(Map<String, String> settings, String target) {
        String limit = settings.get(InstancePool.SCALE_LIMIT_SETTING);
        if (limit == null) {
            return;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            parsed = 0;
        }
        if (parsed < 1) {
            throw ArmException.invalidParameter("The app setting " + InstancePool.SCALE_LIMIT_SETTING
                    + " must be a whole number of instances, at least 1; got '" + limit + "'", target);
        }
    }

    private static Map<String, String> settingsFrom(JsonNode list) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (list == null || list.isNull() || list.isMissingNode()) {
            return settings;
        }
        if (!list.isArray()) {
            throw ArmException.invalidParameter("siteConfig.appSettings must be an array of {name, value}", "properties.siteConfig.appSettings");
        }
        for (JsonNode item : list) {
            if (!item.path("name").isString()) {
                throw ArmException.invalidParameter("every app setting needs a name", "properties.siteConfig.appSettings");
            }
            settings.put(item.get("name").asString(), item.path("value").asString(""));
        }
        return settings;
    }

    /**
     * The site envelope. Beside Azure's properties it shows the app's scale: {@code siteConfig.functionAppScaleLimit}
     * (its maximum instance count) and {@code instanceCount} (instances this service runs for it now; 0 = scaled to
     * zero); {@code GET .../instances} lists them.
     */
    public Map<String, Object> view(FunctionApp app) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("state", app.state());
        properties.put("provisioningState", "Succeeded");
        properties.put("defaultHostName", app.name().toLowerCase(Locale.ROOT) + ".azurewebsites.net");
        properties.put("serverFarmId", app.serverFarmId());
        properties.put("sku", app.onConsumptionPlan() ? "Dynamic" : "Dedicated");
        properties.put("kind", app.kind());
        properties.put("siteConfig", Map.of("functionAppScaleLimit", pool.maxInstances(app)));
        properties.put("instanceCount", pool.instanceCount(app.key()));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", app.resourceId());
        view.put("name", app.name());
        view.put("type", "Microsoft.Web/sites");
        view.put("kind", app.kind());
        view.put("location", app.location());
        view.put("tags", app.tags());
        view.put("properties", properties);
        return view;
    }

    /** The app's instances ({@code Microsoft.Web/sites/instances}), oldest first. */
    public Map<String, Object> instancesView(FunctionApp app) {
        List<Map<String, Object>> value = new java.util.ArrayList<>();
        for (InstancePool.InstanceView instance : pool.instances(app.key())) {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("state", instance.state());
            properties.put("startTime", instance.startedAt().toString());
            properties.put("lastInvocationTime", instance.lastUsed().toString());
            properties.put("invocations", instance.invocations());
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", app.resourceId() + "/instances/" + instance.id());
            view.put("name", instance.id());
            view.put("type", "Microsoft.Web/sites/instances");
            view.put("properties", properties);
            value.add(view);
        }
        return Map.of("value", value);
    }

    public static Map<String, Object> settingsView(FunctionApp app) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", app.resourceId() + "/config/appsettings");
        view.put("name", "appsettings");
        view.put("type", "Microsoft.Web/sites/config");
        view.put("location", app.location());
        view.put("properties", app.appSettings());
        return view;
    }

    ObjectNode empty() {
        return json.createObjectNode();
    }
}
