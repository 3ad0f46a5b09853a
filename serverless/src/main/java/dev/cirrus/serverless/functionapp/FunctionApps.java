package dev.cirrus.serverless.functionapp;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.ArmLocations;
import dev.cirrus.contracts.arm.ArmTags;
import dev.cirrus.contracts.arm.Preconditions;
import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.plumbing.events.Outbox;
import dev.cirrus.serverless.runtime.AppDirectory;
import dev.cirrus.plumbing.arm.Regions;
import dev.cirrus.serverless.runtime.InstancePool;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The use cases of function apps: validate, load, apply a {@link FunctionApp} transition, save the app and its
 * events (through the outbox) in one transaction; and retire the instances of an old version.
 */
@Service
public class FunctionApps {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,58}[A-Za-z0-9]|[A-Za-z0-9]");

    public record Saved(FunctionApp app, boolean created) {
    }

    /** One page of a list: the apps and the key the next page starts after (null on the last page). */
    public record Page(List<FunctionApp> apps, String lastKey) {
    }

    private final FunctionAppRepository repository;
    private final AppDirectory directory;
    private final InstancePool pool;
    private final Outbox outbox;
    private final Regions regions;
    private final ObjectMapper json;
    private final Clock clock;

    private final HostingPlans plans;

    FunctionApps(FunctionAppRepository repository, AppDirectory directory, InstancePool pool, Outbox outbox,
                 Regions regions, ObjectMapper json, Clock clock, HostingPlans plans) {
        this.plans = plans;
        this.repository = repository;
        this.directory = directory;
        this.pool = pool;
        this.outbox = outbox;
        this.regions = regions;
        this.json = json;
        this.clock = clock;
    }

    public static String resourceId(String sub, String rg, String app) {
        return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.Web/sites/" + app;
    }

    @Transactional
    public Saved createOrUpdate(String sub, String rg, String name, JsonNode body, Preconditions preconditions) {
        if (!NAME.matcher(name).matches()) {
            throw ArmException.badRequest("InvalidResourceName", "The function app name '" + name
                    + "' must be 1-60 letters, digits or hyphens, not starting or ending with a hyphen", "name");
        }
        requireObject(body);
        String kind = body.path("kind").isString() ? body.get("kind").asString() : null;
        if (kind == null || !kind.toLowerCase(Locale.ROOT).contains("functionapp")) {
            throw ArmException.badRequest("InvalidKind", "This service hosts sites of kind 'functionapp' (e.g. "
                    + "'functionapp' or 'functionapp,linux'); got " + (kind == null ? "none" : "'" + kind + "'"), "kind");
        }
        String locationText = ArmJson.string(body, "location", "location");
        if (locationText == null || locationText.isBlank()) {
            throw ArmException.badRequest("LocationRequired", "The location property is required for this definition.", "location");
        }
        String location = location(locationText);
        JsonNode properties = body.path("properties");
        if (!properties.isMissingNode() && !properties.isNull() && !properties.isObject()) {
            throw ArmException.invalidParameter("properties must be an object", "properties");
        }
        String serverFarmId = serverFarmId(properties, null);
        JsonNode siteConfigNode = properties.get("siteConfig");
        Map<String, String> settings = settingsFrom(siteConfigNode == null ? null : siteConfigNode.get("appSettings"));
        String scaleLimit = scaleLimit(siteConfigNode, "properties.siteConfig.functionAppScaleLimit");
        if (scaleLimit != null) {
            settings.put(InstancePool.SCALE_LIMIT_SETTING, scaleLimit);
        }
        checkSettings(settings, "properties.siteConfig.appSettings");
        Map<String, String> tags = ArmTags.read(body);
        Instant now = clock.instant();
        var existing = repository.findForUpdate(resourceId(sub, rg, name));
        preconditions.checkPut(existing.map(FunctionApp::etag).orElse(null));
        if (existing.isPresent()) {
            FunctionApp old = existing.get();
            Map<String, String> newSettings = new LinkedHashMap<>(settings.isEmpty() || onlyScaleLimit(settings)
                    ? old.appSettings() : settings);
            if (scaleLimit != null) {
                newSettings.put(InstancePool.SCALE_LIMIT_SETTING, scaleLimit);
            }
            ObjectNode siteConfig = SiteConfig.merge(SiteConfig.defaults(kind), siteConfigNode,
                    "properties.siteConfig", kind);
            FunctionApp.Transition t = old.update(location,
                    new FunctionApp.Desired(kind, serverFarmId, tags, newSettings, siteConfig), now, newEtag());
            save(t);
            return new Saved(t.app(), false);
        }
        ObjectNode siteConfig = SiteConfig.merge(SiteConfig.defaults(kind), siteConfigNode, "properties.siteConfig", kind);
        FunctionApp.Transition t = FunctionApp.create(sub, rg, name, location,
                new FunctionApp.Desired(kind, serverFarmId, tags, settings, siteConfig),
                json.createObjectNode().put("version", "2.0"), Keys.newKey(), Keys.newKey(), now, newEtag());
        try {
            repository.insert(t.app());
        } catch (DuplicateKeyException e) {
            throw ArmException.conflict("Conflict", "Website with given name " + name + " already exists.");
        }
        publish(t.events());
        directory.evict(name);
        return new Saved(t.app(), true);
    }

    @Transactional
    public FunctionApp patch(String sub, String rg, String name, JsonNode body, Preconditions preconditions) {
        requireObject(body);
        return change(sub, rg, name, preconditions, old -> {
            Map<String, String> tags = body.has("tags") && !body.get("tags").isNull() ? ArmTags.read(body) : old.tags();
            JsonNode properties = body.path("properties");
            if (!properties.isMissingNode() && !properties.isNull() && !properties.isObject()) {
                throw ArmException.invalidParameter("properties must be an object", "properties");
            }
            String serverFarmId = properties.has("serverFarmId") ? serverFarmId(properties, null) : old.serverFarmId();
            JsonNode siteConfigNode = properties.get("siteConfig");
            Map<String, String> settings = new LinkedHashMap<>(siteConfigNode != null && siteConfigNode.has("appSettings")
                    && !siteConfigNode.get("appSettings").isNull()
                    ? settingsFrom(siteConfigNode.get("appSettings")) : old.appSettings());
            String scaleLimit = scaleLimit(siteConfigNode, "properties.siteConfig.functionAppScaleLimit");
            if (scaleLimit != null) {
                settings.put(InstancePool.SCALE_LIMIT_SETTING, scaleLimit);
            }
            checkSettings(settings, "properties.siteConfig.appSettings");
            String kind = body.path("kind").isString() && body.get("kind").asString().toLowerCase(Locale.ROOT).contains("functionapp")
                    ? body.get("kind").asString() : old.kind();
            ObjectNode siteConfig = SiteConfig.merge(config(old), siteConfigNode, "properties.siteConfig", kind);
            return old.update(null, new FunctionApp.Desired(kind, serverFarmId, tags, settings, siteConfig),
                    clock.instant(), newEtag());
        });
    }

    /** {@code PUT …/config/web} (replace: what is not given returns to its default) or PATCH (merge). */
    @Transactional
    public FunctionApp writeSiteConfig(String sub, String rg, String name, JsonNode body, boolean replace) {
        requireObject(body);
        JsonNode given = body.has("properties") ? body.get("properties") : null;
        if (given != null && !given.isNull() && !given.isObject()) {
            throw ArmException.invalidParameter("properties must be an object", "properties");
        }
        return change(sub, rg, name, Preconditions.NONE, old -> {
            Map<String, String> settings = new LinkedHashMap<>(old.appSettings());
            String scaleLimit = scaleLimit(given, "properties.functionAppScaleLimit");
            if (scaleLimit != null) {
                settings.put(InstancePool.SCALE_LIMIT_SETTING, scaleLimit);
            }
            ObjectNode base = replace ? SiteConfig.defaults(old.kind()) : config(old);
            ObjectNode siteConfig = SiteConfig.merge(base, given, "properties", old.kind());
            return old.update(null, new FunctionApp.Desired(old.kind(), old.serverFarmId(), old.tags(), settings,
                    siteConfig), clock.instant(), newEtag());
        });
    }

    public FunctionApp get(String sub, String rg, String name) {
        return repository.find(resourceId(sub, rg, name)).orElseThrow(() -> notFound(rg, name));
    }

    public java.util.Optional<FunctionApp> findByName(String name) {
        return repository.findByName(name);
    }

    /** A page of at most {@code top} apps after {@code afterKey}. */
    public Page list(String sub, String rg, String afterKey, int top) {
        List<FunctionApp> apps = new ArrayList<>(repository.list(sub, rg, afterKey, top + 1));
        String last = null;
        if (apps.size() > top) {
            apps.remove(apps.size() - 1);
            last = apps.get(apps.size() - 1).key();
        }
        return new Page(apps, last);
    }

    @Transactional
    public boolean delete(String sub, String rg, String name, Preconditions preconditions) {
        var app = repository.findForUpdate(resourceId(sub, rg, name));
        if (app.isEmpty()) {
            return false;
        }
        preconditions.checkDelete(app.get().etag());
        repository.delete(app.get().key());
        publish(app.get().delete(clock.instant()));
        directory.evict(name);
        pool.drain(app.get().key());
        return true;
    }

    @Transactional
    public FunctionApp powerAction(String sub, String rg, String name, String action) {
        FunctionApp app = change(sub, rg, name, Preconditions.NONE, old -> switch (action.toLowerCase(Locale.ROOT)) {
            case "stop" -> old.stop(clock.instant(), newEtag());
            case "start" -> old.start(clock.instant(), newEtag());
            default -> old.restart();
        });
        pool.drain(app.key());
        return app;
    }

    @Transactional
    public FunctionApp replaceSettings(String sub, String rg, String name, JsonNode body) {
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
        return change(sub, rg, name, Preconditions.NONE, old -> old.update(null, new FunctionApp.Desired(old.kind(),
                old.serverFarmId(), old.tags(), settings, old.siteConfig()), clock.instant(), newEtag()));
    }

    /** Replaces host.json (zip deploy): new code, no event. */
    public void replaceHostJson(FunctionApp app, JsonNode hostJson) {
        if (!hostJson.isObject()) {
            throw ArmException.badRequest("InvalidHostJson", "host.json must be a JSON object", "host.json");
        }
        if (hostJson.has("functionTimeout")) {
            FunctionApp.parseTimeout(hostJson.get("functionTimeout").asString(), plans.consumption(app));
        }
        repository.update(app.withCode(hostJson));
    }

    /** Creates or replaces a host key: {@code keyType} functionKeys, systemKeys, or masterKey (name {@code _master}). */
    @Transactional
    public HostKeyWrite putHostKey(String sub, String rg, String name, String keyType, String keyName, JsonNode body) {
        FunctionApp old = repository.findForUpdate(resourceId(sub, rg, name)).orElseThrow(() -> notFound(rg, name));
        Keys.checkName(keyName);
        String value = Keys.valueOf(body, keyName);
        Map<String, String> functionKeys = new LinkedHashMap<>(old.hostFunctionKeys());
        Map<String, String> systemKeys = new LinkedHashMap<>(old.systemKeys());
        String master = old.masterKey();
        boolean created;
        switch (hostKeyType(keyType)) {
            case "functionKeys" -> created = functionKeys.put(keyName, value) == null;
            case "systemKeys" -> created = systemKeys.put(keyName, value) == null;
            default -> {
                if (!keyName.equals("_master")) {
                    throw ArmException.badRequest("InvalidKeyName", "The master key's name is '_master'", "name");
                }
                master = value;
                created = false;
            }
        }
        repository.update(old.withHostKeys(master, functionKeys, systemKeys));
        directory.evict(name);
        return new HostKeyWrite(keyName, value, created);
    }

    /** Deletes a host key; false when there was none. The master key cannot be deleted (400). */
    @Transactional
    public boolean deleteHostKey(String sub, String rg, String name, String keyType, String keyName) {
        FunctionApp old = repository.findForUpdate(resourceId(sub, rg, name)).orElseThrow(() -> notFound(rg, name));
        Map<String, String> functionKeys = new LinkedHashMap<>(old.hostFunctionKeys());
        Map<String, String> systemKeys = new LinkedHashMap<>(old.systemKeys());
        boolean removed = switch (hostKeyType(keyType)) {
            case "functionKeys" -> functionKeys.remove(keyName) != null;
            case "systemKeys" -> systemKeys.remove(keyName) != null;
            default -> throw ArmException.badRequest("BadRequest", "The master key cannot be deleted; PUT a new value to "
                    + "replace it", "name");
        };
        if (removed) {
            repository.update(old.withHostKeys(old.masterKey(), functionKeys, systemKeys));
            directory.evict(name);
        }
        return removed;
    }

    public record HostKeyWrite(String name, String value, boolean created) {
    }

    /** A change to the app's functions: a new version, so warm instances of the old code retire. */
    public void changed(String name) {
        repository.findByName(name).ifPresent(app -> repository.touch(app.key()));
        directory.evict(name);
    }

    public static String newKey() {
        return Keys.newKey();
    }

    /** The ARM name of a location as a user may write it: display names ("West Europe") and any casing. */
    public static String normalizeLocation(String location) {
        return ArmLocations.normalise(location);
    }

    private String location(String given) {
        return regions.require(given, "Microsoft.Web/sites", "location");
    }

    private FunctionApp change(String sub, String rg, String name, Preconditions preconditions,
                               Function<FunctionApp, FunctionApp.Transition> transition) {
        FunctionApp old = repository.findForUpdate(resourceId(sub, rg, name)).orElseThrow(() -> notFound(rg, name));
        preconditions.checkExisting(old.etag());
        FunctionApp.Transition t = transition.apply(old);
        save(t);
        return t.app();
    }

    private void save(FunctionApp.Transition t) {
        repository.update(t.app());
        publish(t.events());
        directory.evict(t.app().name());
    }

    private void publish(List<FunctionApp.Event> events) {
        for (FunctionApp.Event event : events) {
            outbox.append(Topics.SERVERLESS, CloudEvent.of("serverless", event.type(), event.subject(), event.time(),
                    json.valueToTree(event.data())));
        }
    }

    private static ArmException notFound(String rg, String name) {
        return ArmException.notFound("ResourceNotFound",
                "The Resource 'Microsoft.Web/sites/" + name + "' under resource group '" + rg + "' was not found.");
    }

    private static String newEtag() {
        return Preconditions.newEtag();
    }

    private static String hostKeyType(String keyType) {
        for (String known : List.of("functionKeys", "systemKeys", "masterKey")) {
            if (known.equalsIgnoreCase(keyType)) {
                return known;
            }
        }
        throw ArmException.badRequest("InvalidKeyType", "The key type '" + keyType
                + "' is not one of functionKeys, systemKeys, masterKey", "keyType");
    }

    private ObjectNode config(FunctionApp app) {
        return app.siteConfig() != null && app.siteConfig().isObject() && !app.siteConfig().isEmpty()
                ? (ObjectNode) app.siteConfig().deepCopy() : SiteConfig.defaults(app.kind());
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ArmException.badRequest("InvalidRequestContent", "The request body must be a JSON object", null);
        }
    }

    private static String serverFarmId(JsonNode properties, String fallback) {
        JsonNode node = properties.get("serverFarmId");
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isString() || !node.asString().toLowerCase(Locale.ROOT).contains("/providers/microsoft.web/serverfarms/")) {
            throw ArmException.invalidParameter("serverFarmId must be the resource id of a Microsoft.Web/serverfarms plan",
                    "properties.serverFarmId");
        }
        return node.asString();
    }

    private static boolean onlyScaleLimit(Map<String, String> settings) {
        return settings.size() == 1 && settings.containsKey(InstancePool.SCALE_LIMIT_SETTING);
    }

    /** {@code functionAppScaleLimit} of a site configuration, Azure's way to set the app setting; null when absent. */
    private static String scaleLimit(JsonNode siteConfig, String target) {
        JsonNode limit = siteConfig == null || !siteConfig.isObject() ? null : siteConfig.get("functionAppScaleLimit");
        if (limit == null || limit.isNull()) {
            return null;
        }
        return Integer.toString(ArmJson.integer(siteConfig, "functionAppScaleLimit", target, 1, Integer.MAX_VALUE));
    }

    /** Settings the host reads are checked when written, so a bad value is a 400 now rather than a surprise later. */
    private static void checkSettings(Map<String, String> settings, String target) {
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
                    + " must be a whole number of instances from 1 to " + Integer.MAX_VALUE + "; got '"
                    + (limit.length() > 40 ? limit.substring(0, 40) + "…" : limit) + "'", target);
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
            if (!item.path("name").isString() || item.get("name").asString().isEmpty()) {
                throw ArmException.invalidParameter("every app setting needs a name", "properties.siteConfig.appSettings");
            }
            JsonNode value = item.get("value");
            if (value != null && !value.isNull() && !value.isValueNode()) {
                throw ArmException.invalidParameter("the app setting '" + item.get("name").asString() + "' must have a string value",
                        "properties.siteConfig.appSettings");
            }
            settings.put(item.get("name").asString(), value == null || value.isNull() ? "" : value.asString());
        }
        return settings;
    }
}
