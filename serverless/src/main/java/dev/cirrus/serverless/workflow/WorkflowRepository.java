package dev.cirrus.serverless.workflow;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The {@code workflows} and {@code workflow_versions} tables (db/migration/V6__workflows.sql). */
@Repository
public class WorkflowRepository {

    private static final TypeReference<LinkedHashMap<String, String>> STRING_MAP = new TypeReference<>() { };

    /** One saved version of a workflow. */
    public record Version(String name, String state, JsonNode definition, JsonNode parameters, Instant createdAt,
                          Instant changedAt) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    WorkflowRepository(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public Optional<Workflow> find(String resourceId) {
        return jdbc.query("select * from workflows where id = ?", this::map, resourceId.toLowerCase(Locale.ROOT))
                .stream().findFirst();
    }

    public Optional<Workflow> findByKey(String key) {
        return jdbc.query("select * from workflows where id = ?", this::map, key).stream().findFirst();
    }

    Optional<Workflow> findForUpdate(String resourceId) {
        return jdbc.query("select * from workflows where id = ? for update", this::map,
                resourceId.toLowerCase(Locale.ROOT)).stream().findFirst();
    }

    public Optional<Workflow> findByAccessId(String accessId) {
        return jdbc.query("select * from workflows where access_id = ?", this::map, accessId).stream().findFirst();
    }

    List<Workflow> list(String subscriptionId, String resourceGroupOrNull, String afterKey, int limit) {
        String after = afterKey == null ? "" : afterKey;
        if (resourceGroupOrNull == null) {
            return jdbc.query("select * from workflows where lower(subscription_id) = lower(?) and id > ?"
                    + " order by id limit ?", this::map, subscriptionId, after, limit);
        }
        return jdbc.query("select * from workflows where lower(subscription_id) = lower(?)"
                        + " and lower(resource_group) = lower(?) and id > ? order by id limit ?", this::map,
                subscriptionId, resourceGroupOrNull, after, limit);
    }

    /** Every enabled workflow with a trigger of one of the given types: what the schedulers and consumers watch. */
    public List<Workflow> enabledWithTriggerTypes(List<String> types) {
        return jdbc.query("select * from workflows w where state = 'Enabled' and exists (select 1 from"
                + " json_each(w.definition -> 'triggers') t where lower(t.value ->> 'type') = any (?))", this::map,
                (Object) types.stream().map(t -> t.toLowerCase(Locale.ROOT)).toArray(String[]::new));
    }

    void insert(Workflow w) {
        jdbc.update("insert into workflows(id, resource_id, subscription_id, resource_group, name, location, state,"
                        + " definition, parameters, tags, access_id, access_key, version, created_at, changed_at, etag)"
                        + " values (?,?,?,?,?,?,?,?::json,?::json,?::json,?,?,?,?,?,?)",
                w.key(), w.resourceId(), w.subscriptionId(), w.resourceGroup(), w.name(), w.location(), w.state(),
                json.writeValueAsString(w.definition()), json.writeValueAsString(w.parameters()),
                json.writeValueAsString(w.tags()), w.accessId(), w.accessKey(), w.version(),
                Timestamp.from(w.createdAt()), Timestamp.from(w.changedAt()), w.etag());
    }

    void update(Workflow w) {
        jdbc.update("update workflows set state = ?, definition = ?::json, parameters = ?::json, tags = ?::json,"
                        + " version = ?, changed_at = ?, etag = ? where id = ?", w.state(),
                json.writeValueAsString(w.definition()), json.writeValueAsString(w.parameters()),
                json.writeValueAsString(w.tags()), w.version(), Timestamp.from(w.changedAt()), w.etag(), w.key());
    }

    void insertVersion(Workflow w) {
        jdbc.update("insert into workflow_versions(workflow_id, version, state, definition, parameters, created_at,"
                        + " changed_at) values (?,?,?,?::json,?::json,?,?)", w.key(), w.version(), w.state(),
                json.writeValueAsString(w.definition()), json.writeValueAsString(w.parameters()),
                Timestamp.from(w.createdAt()), Timestamp.from(w.changedAt()));
    }

    boolean delete(String key) {
        return jdbc.update("delete from workflows where id = ?", key) > 0;
    }

    public Optional<Version> version(String key, String version) {
        return jdbc.query("select * from workflow_versions where workflow_id = ? and version = ?", this::mapVersion,
                key, version).stream().findFirst();
    }

    /** Versions newest first (names are reverse ticks), after {@code afterName}. */
    List<Version> versions(String key, String afterName, int limit) {
        return jdbc.query("select * from workflow_versions where workflow_id = ? and version > ? order by version"
                + " limit ?", this::mapVersion, key, afterName == null ? "" : afterName, limit);
    }

    private Version mapVersion(ResultSet rs, int row) throws SQLException {
        return new Version(rs.getString("version"), rs.getString("state"), json.readTree(rs.getString("definition")),
                json.readTree(rs.getString("parameters")), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("changed_at").toInstant());
    }

    private Workflow map(ResultSet rs, int row) throws SQLException {
        return new Workflow(rs.getString("id"), rs.getString("resource_id"), rs.getString("subscription_id"),
                rs.getString("resource_group"), rs.getString("name"), rs.getString("location"), rs.getString("state"),
                json.readTree(rs.getString("definition")), json.readTree(rs.getString("parameters")),
                json.readValue(rs.getString("tags"), STRING_MAP), rs.getString("access_id"),
                rs.getString("access_key"), rs.getString("version"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("changed_at").toInstant(), rs.getString("etag"));
    }
}
