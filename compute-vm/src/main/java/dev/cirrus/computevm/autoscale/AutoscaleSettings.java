package dev.cirrus.computevm.autoscale;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.cirrus.computevm.scaleset.ScaleSetCapacity;
import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.ArmLocations;
import dev.cirrus.contracts.arm.ArmTags;
import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Autoscale settings' storage and ARM rules (table {@code autoscale_settings}): the target must be an existing
 * scale set of the same subscription, and a target has at most one setting.
 */
@Service
class AutoscaleSettings {

    static final String TYPE = "Microsoft.Insights/autoscaleSettings";

    /** A stored setting: what the API shows, and what the engine needs. */
    record Stored(String key, String id, String subscriptionId, String resourceGroup, String name, String location,
                  Map<String, String> tags, ObjectNode properties, String etag, Instant lastScaleTime) {

        AutoscaleSetting setting() {
            return AutoscaleSettingJson.parse(properties);
        }
    }

    record Page(List<Stored> settings, String nextAfterKey) {
    }

    private final JdbcClient jdbc;
    private final ScaleSetCapacity scaleSets;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    AutoscaleSettings(JdbcClient jdbc, ScaleSetCapacity scaleSets, TransactionTemplate tx,
                      ObjectMapper json) {
        this.jdbc = jdbc;
        this.scaleSets = scaleSets;
        this.tx = tx;
        this.json = json;
    }

    static String id(String subscriptionId, String resourceGroup, String name) {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup + "/providers/" + TYPE + "/"
                + name;
    }

    /** PUT: validated whole; answers the stored setting and whether it was created. */
    Map.Entry<Stored, Boolean> put(String subscriptionId, String resourceGroup, String name, JsonNode body) {
        checkName(name);
        ObjectNode root = ArmJson.requireObject(body);
        String rawLocation = ArmJson.string(root, "location", "location");
        if (rawLocation == null || rawLocation.isBlank()) {
            throw ArmException.badRequest("LocationRequired", "The location property is required for this definition.",
                    "location");
        }
        String location = ArmLocations.require(rawLocation, "location");
        Map<String, String> tags = ArmTags.read(root);
        ObjectNode properties = ArmJson.object(root, "properties", "properties");
        if (properties == null) {
            throw ArmJson.missing("properties", "properties");
        }
        AutoscaleSetting setting = AutoscaleSettingJson.parse(properties);
        String targetKey = checkTarget(subscriptionId, setting.targetResourceUri());
        for (AutoscaleSetting.Profile p : setting.profiles()) {
            for (AutoscaleSetting.Rule r : p.rules()) {
                checkTarget(subscriptionId, r.metricResourceUri());
            }
        }
        ObjectNode stored = properties.deepCopy();
        stored.put("enabled", setting.enabled());
        stored.put("name", name);
        if (!stored.has("notifications")) {
            stored.putArray("notifications");
        }
        if (!stored.has("predictiveAutoscalePolicy")) {
            stored.putObject("predictiveAutoscalePolicy").put("scaleMode", "Disabled");
        }
        String key = id(subscriptionId, resourceGroup, name).toLowerCase(Locale.ROOT);
        try {
            return tx.execute(status -> {
                boolean exists = jdbc.sql("select 1 from autoscale_settings where resource_key = ? for update")
                        .param(key).query(Integer.class).optional().isPresent();
                String etag = "\"" + UUID.randomUUID() + "\"";
                if (exists) {
                    jdbc.sql("""
                                    update autoscale_settings set resource_group = ?, name = ?, location = ?, target_key = ?,
                                        properties = ?::jsonb, tags = ?::jsonb, etag = ? where resource_key = ?""")
                            .param(resourceGroup).param(name).param(location).param(targetKey)
                            .param(json.writeValueAsString(stored)).param(json.writeValueAsString(tags)).param(etag)
                            .param(key).update();
                } else {
                    jdbc.sql("""
                                    insert into autoscale_settings (resource_key, subscription_key, resource_group_key,
                                        subscription_id, resource_group, name, location, target_key, properties, tags, etag,
                                        time_created) values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, now())""")
                            .param(key).param(subscriptionId.toLowerCase(Locale.ROOT))
                            .param(resourceGroup.toLowerCase(Locale.ROOT)).param(subscriptionId).param(resourceGroup)
                            .param(name).param(location).param(targetKey).param(json.writeValueAsString(stored))
                            .param(json.writeValueAsString(tags)).param(etag).update();
                }
                return Map.entry(find(key).orElseThrow(), !exists);
            });
        } catch (DuplicateKeyException e) {
            String other = jdbc.sql("select name from autoscale_settings where target_key = ?").param(targetKey)
                    .query(String.class).optional().orElse("?");
            throw AutoscaleSettingJson.bad("The target resource '" + setting.targetResourceUri() + "' already has the "
                    + "autoscale setting '" + other + "'; a resource can have only one.", "properties.targetResourceUri");
        }
    }

    /** PATCH: {@code tags} replace; {@code properties} members replace the stored ones; then the PUT's rules. */
    Stored patch(String subscriptionId, String resourceGroup, String name, JsonNode body) {
        ObjectNode patch = ArmJson.requireObject(body);
        Stored current = require(subscriptionId, resourceGroup, name);
        ObjectNode merged = json.createObjectNode();
        merged.put("location", current.location());
        merged.set("tags", patch.has("tags") ? patch.get("tags") : json.valueToTree(current.tags()));
        ObjectNode properties = current.properties().deepCopy();
        ObjectNode changes = ArmJson.object(patch, "properties", "properties");
        if (changes != null) {
            changes.properties().forEach(e -> properties.set(e.getKey(), e.getValue()));
        }
        merged.set("properties", properties);
        return put(subscriptionId, resourceGroup, name, merged).getKey();
    }

    private String checkTarget(String subscriptionId, String uri) {
        ResourceId id = ResourceId.require(uri, "properties.targetResourceUri");
        if (!"Microsoft.Compute/virtualMachineScaleSets".equalsIgnoreCase(id.type())) {
            throw AutoscaleSettingJson.bad("The resource type '" + id.type() + "' of '" + uri + "' is not supported "
                    + "as an autoscale target or metric source here; Cirrus scales "
                    + "Microsoft.Compute/virtualMachineScaleSets.", "properties.targetResourceUri");
        }
        if (!id.subscriptionId().equalsIgnoreCase(subscriptionId)) {
            throw AutoscaleSettingJson.bad("The resource '" + uri + "' is in another subscription.",
                    "properties.targetResourceUri");
        }
        if (scaleSets.find(id.subscriptionId(), id.resourceGroup(), id.name()).isEmpty()) {
            throw AutoscaleSettingJson.bad("The resource '" + uri + "' was not found.", "properties.targetResourceUri");
        }
        return id.key();
    }

    static void checkName(String name) {
        if (name.isEmpty() || name.length() > 260 || !name.matches("[^<>*%&:\\\\?/#|]+") || name.endsWith(" ")
                || name.endsWith(".")) {
            throw ArmException.badRequest("InvalidResourceName", "The resource name '" + name + "' is invalid: it "
                    + "must have 1 to 260 characters and none of < > * % & : \\ ? / # |, and not end with a space or "
                    + "a period.", "name");
        }
    }

    Optional<Stored> find(String key) {
        return jdbc.sql("""
                        select resource_key, subscription_id, resource_group, name, location, tags::text,
                               properties::text, etag, last_scale_time from autoscale_settings where resource_key = ?""")
                .param(key).query((rs, i) -> row(rs)).optional();
    }

    Stored require(String subscriptionId, String resourceGroup, String name) {
        return find(id(subscriptionId, resourceGroup, name).toLowerCase(Locale.ROOT)).orElseThrow(() ->
                ArmException.notFound("ResourceNotFound", "The Resource '" + TYPE + "/" + name
                        + "' under resource group '" + resourceGroup + "' was not found."));
    }

    boolean delete(String subscriptionId, String resourceGroup, String name) {
        return jdbc.sql("delete from autoscale_settings where resource_key = ?")
                .param(id(subscriptionId, resourceGroup, name).toLowerCase(Locale.ROOT)).update() == 1;
    }

    Page list(String subscriptionId, String resourceGroupOrNull, String afterKey, int pageSize) {
        List<Stored> rows = jdbc.sql("select resource_key, subscription_id, resource_group, name, location, tags::text, "
                        + "properties::text, etag, last_scale_time from autoscale_settings where subscription_key = ? "
                        + (resourceGroupOrNull == null ? "" : "and resource_group_key = ? ")
                        + "and resource_key > ? order by resource_key limit ?")
                .params(resourceGroupOrNull == null
                        ? List.of(subscriptionId.toLowerCase(Locale.ROOT), afterKey == null ? "" : afterKey, pageSize + 1)
                        : List.of(subscriptionId.toLowerCase(Locale.ROOT), resourceGroupOrNull.toLowerCase(Locale.ROOT),
                        afterKey == null ? "" : afterKey, pageSize + 1))
                .query((rs, i) -> row(rs)).list();
        if (rows.size() <= pageSize) {
            return new Page(rows, null);
        }
        List<Stored> page = rows.subList(0, pageSize);
        return new Page(page, page.getLast().key());
    }

    /**
     * An enabled setting with its target's capacity (null when the target is gone), for one round of the engine;
     * its body is read separately, only when its ETag is new to the engine ({@link #properties}).
     */
    record Candidate(String key, String etag, Instant lastScaleTime, Integer capacity) {
    }

    /** Every enabled setting and its target's capacity, in one query. */
    List<Candidate> enabled() {
        return jdbc.sql("""
                        select a.resource_key, a.etag, a.last_scale_time, s.capacity
                        from autoscale_settings a left join scale_sets s on s.resource_key = a.target_key
                        where (a.properties->>'enabled')::boolean""")
                .query((rs, i) -> {
                    Timestamp last = rs.getTimestamp(3);
                    long capacity = rs.getLong(4);
                    return new Candidate(rs.getString(1), rs.getString(2), last == null ? null : last.toInstant(),
                            rs.wasNull() ? null : (int) capacity);
                })
                .list();
    }

    /** The stored bodies of these settings by key, with their ETags: {key → [etag, properties]}. */
    Map<String, String[]> properties(List<String> keys) {
        Map<String, String[]> bodies = new java.util.HashMap<>();
        if (!keys.isEmpty()) {
            jdbc.sql("select resource_key, etag, properties::text from autoscale_settings where resource_key = any(?)")
                    .param(keys.toArray(String[]::new))
                    .query((rs, i) -> bodies.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)}))
                    .list();
        }
        return bodies;
    }

    /** The setting, locked for one evaluation; empty when another replica evaluates it or it is gone. */
    Optional<Stored> lockForEvaluation(String key) {
        return jdbc.sql("""
                        select resource_key, subscription_id, resource_group, name, location, tags::text,
                               properties::text, etag, last_scale_time from autoscale_settings where resource_key = ?
                        for update skip locked""")
                .param(key).query((rs, i) -> row(rs)).optional();
    }

    /** A scale action was taken at {@code at} (monitor time): the rules' cooldowns count from it. */
    void scaled(String key, Instant at) {
        jdbc.sql("update autoscale_settings set last_scale_time = ? where resource_key = ?")
                .param(Timestamp.from(at)).param(key).update();
    }

    private Stored row(java.sql.ResultSet rs) throws java.sql.SQLException {
        Timestamp last = rs.getTimestamp(9);
        @SuppressWarnings("unchecked")
        Map<String, String> tags = json.readValue(rs.getString(6), Map.class);
        return new Stored(rs.getString(1), id(rs.getString(2), rs.getString(3), rs.getString(4)), rs.getString(2),
                rs.getString(3), rs.getString(4), rs.getString(5), tags, (ObjectNode) json.readTree(rs.getString(7)),
                rs.getString(8), last == null ? null : last.toInstant());
    }
}
