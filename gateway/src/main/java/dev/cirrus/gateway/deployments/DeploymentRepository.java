package dev.cirrus.gateway.deployments;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.cirrus.gateway.deployments.template.Values;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/** The {@code deployments} and {@code deployment_operations} tables. */
@Component
class DeploymentRepository {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    DeploymentRepository(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    record Stored(String state, Map<String, Object> template, Map<String, Object> resource) { }

    void save(String id, String scopeId, String name, String state, Map<String, Object> template,
              Map<String, Object> resource, Instant at) {
        jdbc.update("insert into deployments(id_key, scope_key, name, state, template, resource, created_at, "
                        + "changed_at) values (?,?,?,?,?::jsonb,?::jsonb,?,?) on conflict (id_key) do update set "
                        + "state = excluded.state, template = excluded.template, resource = excluded.resource, "
                        + "changed_at = excluded.changed_at",
                key(id), key(scopeId), name, state, json.writeValueAsString(template),
                json.writeValueAsString(resource), Timestamp.from(at), Timestamp.from(at));
        jdbc.update("delete from deployment_operations where deployment_key = ?", key(id));
    }

    void update(String id, String state, Map<String, Object> resource, Instant at) {
        jdbc.update("update deployments set state = ?, resource = ?::jsonb, changed_at = ? where id_key = ?",
                state, json.writeValueAsString(resource), Timestamp.from(at), key(id));
    }

    void saveOperation(String id, String operationId, int position, Map<String, Object> body) {
        jdbc.update("insert into deployment_operations(deployment_key, operation_id, position, body) "
                        + "values (?,?,?,?::jsonb) on conflict (deployment_key, operation_id) do update set "
                        + "body = excluded.body", key(id), operationId, position, json.writeValueAsString(body));
    }

    Optional<Stored> find(String id) {
        return jdbc.query("select state, template, resource from deployments where id_key = ?",
                (rs, i) -> new Stored(rs.getString(1), map(rs.getString(2)), map(rs.getString(3))), key(id))
                .stream().findFirst();
    }

    List<Map<String, Object>> list(String scopeId) {
        return jdbc.query("select resource from deployments where scope_key = ? order by name",
                (rs, i) -> map(rs.getString(1)), key(scopeId));
    }

    List<Map<String, Object>> operations(String id) {
        return jdbc.query("select body from deployment_operations where deployment_key = ? order by position",
                (rs, i) -> map(rs.getString(1)), key(id));
    }

    /** Deployments left Accepted or Running by a gateway that stopped: id → resource. */
    List<Map<String, Object>> unfinished() {
        return jdbc.query("select resource from deployments where state in ('Accepted', 'Running')",
                (rs, i) -> map(rs.getString(1)));
    }

    boolean delete(String id) {
        return jdbc.update("delete from deployments where id_key = ?", key(id)) > 0;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(String text) {
        return (Map<String, Object>) Values.normalize(json.readValue(text, Map.class));
    }

    static String key(String id) {
        return id.toLowerCase(Locale.ROOT);
    }
}
