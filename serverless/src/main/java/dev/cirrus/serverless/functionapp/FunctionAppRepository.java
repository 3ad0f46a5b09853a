package dev.cirrus.serverless.functionapp;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

@Repository
public class FunctionAppRepository {

    private static final TypeReference<LinkedHashMap<String, String>> STRING_MAP = new TypeReference<>() { };

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    FunctionAppRepository(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public Optional<FunctionApp> find(String resourceId) {
        return jdbc.query("select * from function_apps where id = ?", this::map, resourceId.toLowerCase(Locale.ROOT))
                .stream().findFirst();
    }

    /** The app, its row locked until the transaction ends: the read of a read-change-write. */
    public Optional<FunctionApp> findForUpdate(String resourceId) {
        return jdbc.query("select * from function_apps where id = ? for update", this::map,
                resourceId.toLowerCase(Locale.ROOT)).stream().findFirst();
    }

    public Optional<FunctionApp> findByName(String name) {
        return jdbc.query("select * from function_apps where name_key = ?", this::map, name.toLowerCase(Locale.ROOT))
                .stream().findFirst();
    }

    /**
     * One page of the apps of a subscription, or of one of its groups, in id order: at most {@code limit} apps
     * whose id comes after {@code afterKey} (null: from the start).
     */
    public List<FunctionApp> list(String subscriptionId, String resourceGroupOrNull, String afterKey, int limit) {
        String after = afterKey == null ? "" : afterKey;
        if (resourceGroupOrNull == null) {
            return jdbc.query("select * from function_apps where lower(subscription_id) = lower(?) and id > ? order by id limit ?",
                    this::map, subscriptionId, after, limit);
        }
        return jdbc.query("select * from function_apps where lower(subscription_id) = lower(?) and lower(resource_group) = lower(?)"
                + " and id > ? order by id limit ?", this::map, subscriptionId, resourceGroupOrNull, after, limit);
    }

    public void insert(FunctionApp app) {
        jdbc.update("insert into function_apps(id, resource_id, subscription_id, resource_group, name, name_key, location, kind, state,"
                        + " server_farm_id, tags, app_settings, site_config, host_json, master_key, host_function_keys, system_keys,"
                        + " created_at, last_modified, etag, version)"
                        + " values (?,?,?,?,?,?,?,?,?,?,?::jsonb,?::jsonb,?::jsonb,?::jsonb,?,?::jsonb,?::jsonb,?,?,?,?)",
                app.key(), app.resourceId(), app.subscriptionId(), app.resourceGroup(), app.name(),
                app.name().toLowerCase(Locale.ROOT), app.location(), app.kind(), app.state(), app.serverFarmId(),
                json.writeValueAsString(app.tags()), json.writeValueAsString(app.appSettings()),
                json.writeValueAsString(app.siteConfig()), json.writeValueAsString(app.hostJson()), app.masterKey(),
                json.writeValueAsString(app.hostFunctionKeys()), json.writeValueAsString(app.systemKeys()),
                Timestamp.from(app.createdAt()), Timestamp.from(app.lastModified()), app.etag(), app.version());
    }

    /** Saves everything but identity; the version moves on (warm instances of the old version retire). */
    public void update(FunctionApp app) {
        jdbc.update("update function_apps set kind = ?, state = ?, server_farm_id = ?, tags = ?::jsonb, app_settings = ?::jsonb,"
                        + " site_config = ?::jsonb, host_json = ?::jsonb, master_key = ?, host_function_keys = ?::jsonb,"
                        + " system_keys = ?::jsonb, last_modified = ?, etag = ?, version = greatest(version + 1, ?) where id = ?",
                app.kind(), app.state(), app.serverFarmId(), json.writeValueAsString(app.tags()),
                json.writeValueAsString(app.appSettings()), json.writeValueAsString(app.siteConfig()),
                json.writeValueAsString(app.hostJson()), app.masterKey(), json.writeValueAsString(app.hostFunctionKeys()),
                json.writeValueAsString(app.systemKeys()), Timestamp.from(app.lastModified()), app.etag(), app.version(),
                app.key());
    }

    public void touch(String appKey) {
        jdbc.update("update function_apps set version = version + 1 where id = ?", appKey);
    }

    public void delete(String appKey) {
        jdbc.update("delete from executions where app_id = ?", appKey);
        jdbc.update("delete from timer_ticks where app_id = ?", appKey);
        jdbc.update("delete from function_apps where id = ?", appKey);
    }

    private FunctionApp map(ResultSet rs, int row) throws SQLException {
        Map<String, String> settings = json.readValue(rs.getString("app_settings"), STRING_MAP);
        return new FunctionApp(rs.getString("resource_id"), rs.getString("subscription_id"), rs.getString("resource_group"),
                rs.getString("name"), rs.getString("location"), rs.getString("kind"), rs.getString("state"),
                rs.getString("server_farm_id"), tags(rs.getString("tags")), settings,
                json.readTree(rs.getString("site_config")), json.readTree(rs.getString("host_json")),
                rs.getString("master_key"), json.readValue(rs.getString("host_function_keys"), STRING_MAP),
                json.readValue(rs.getString("system_keys"), STRING_MAP), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("last_modified").toInstant(), rs.getString("etag"), rs.getLong("version"));
    }

    /** Tags as stored; values that were not strings (before tags were checked) read as their JSON text. */
    private Map<String, String> tags(String text) {
        Map<String, String> tags = new LinkedHashMap<>();
        json.readTree(text).properties().forEach(e -> tags.put(e.getKey(),
                e.getValue().isString() ? e.getValue().asString() : e.getValue().toString()));
        return tags;
    }
}
