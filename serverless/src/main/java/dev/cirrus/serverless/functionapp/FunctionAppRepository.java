package dev.cirrus.serverless.functionapp;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

@Repository
public class FunctionAppRepository {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    FunctionAppRepository(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public Optional<FunctionApp> find(String resourceId) {
        return jdbc.query("select * from function_apps where id = ?", this::map, resourceId.toLowerCase(java.util.Locale.ROOT))
                .stream().findFirst();
    }

    public Optional<FunctionApp> findByName(String name) {
        return jdbc.query("select * from function_apps where name_key = ?", this::map, name.toLowerCase(java.util.Locale.ROOT))
                .stream().findFirst();
    }

    public List<FunctionApp> list(String subscriptionId, String resourceGroupOrNull) {
        if (resourceGroupOrNull == null) {
            return jdbc.query("select * from function_apps where lower(subscription_id) = lower(?) order by id", this::map, subscriptionId);
        }
        return jdbc.query("select * from function_apps where lower(subscription_id) = lower(?) and lower(resource_group) = lower(?) order by id",
                this::map, subscriptionId, resourceGroupOrNull);
    }

    public void insert(FunctionApp app) {
        jdbc.update("insert into function_apps(id, resource_id, subscription_id, resource_group, name, name_key, location, kind, state,"
                        + " server_farm_id, tags, app_settings, host_json, master_key, host_key, created_at, version)"
                        + " values (?,?,?,?,?,?,?,?,?,?,?::jsonb,?::jsonb,?::jsonb,?,?,?,1)",
                app.key(), app.resourceId(), app.subscriptionId(), app.resourceGroup(), app.name(),
                app.name().toLowerCase(java.util.Locale.ROOT), app.location(), app.kind(), app.state(), app.serverFarmId(),
                json.writeValueAsString(app.tags()), json.writeValueAsString(app.appSettings()),
                json.writeValueAsString(app.hostJson()), app.masterKey(), app.hostKey(), Timestamp.from(app.createdAt()));
    }

    /** Saves everything but identity and keys, and bumps the version (warm instances of the old version retire). */
    public void update(FunctionApp app) {
        jdbc.update("update function_apps set kind = ?, state = ?, server_farm_id = ?, tags = ?::jsonb, app_settings = ?::jsonb,"
                        + " host_json = ?::jsonb, version = version + 1 where id = ?",
                app.kind(), app.state(), app.serverFarmId(), json.writeValueAsString(app.tags()),
                json.writeValueAsString(app.appSettings()), json.writeValueAsString(app.hostJson()), app.key());
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
        Map<String, String> settings = json.readValue(rs.getString("app_settings"), new TypeReference<LinkedHashMap<String, String>>() { });
        return new FunctionApp(rs.getString("resource_id"), rs.getString("subscription_id"), rs.getString("resource_group"),
                rs.getString("name"), rs.getString("location"), rs.getString("kind"), rs.getString("state"),
                rs.getString("server_farm_id"), json.readTree(rs.getString("tags")), settings,
                json.readTree(rs.getString("host_json")), rs.getString("master_key"), rs.getString("host_key"),
                rs.getTimestamp("created_at").toInstant(), rs.getLong("version"));
    }
}
