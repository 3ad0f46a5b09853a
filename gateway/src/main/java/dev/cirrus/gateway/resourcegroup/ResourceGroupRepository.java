package dev.cirrus.gateway.resourcegroup;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** The {@code resource_groups} table. Callers hold the transaction. */
@Repository
class ResourceGroupRepository {

    private static final TypeReference<LinkedHashMap<String, String>> TAGS = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    ResourceGroupRepository(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    boolean exists(String subscriptionId, String name) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists(select 1 from resource_groups where subscription_id = ? and name_key = ?)",
                Boolean.class, subscriptionId, ResourceGroup.key(name)));
    }

    Optional<ResourceGroup> find(String subscriptionId, String name) {
        return jdbc.query("select * from resource_groups where subscription_id = ? and name_key = ?",
                this::row, subscriptionId, ResourceGroup.key(name)).stream().findFirst();
    }

    /** Reads the group and locks its row until the transaction ends, so concurrent writes to it serialise. */
    Optional<ResourceGroup> findForUpdate(String subscriptionId, String name) {
        return jdbc.query("select * from resource_groups where subscription_id = ? and name_key = ? for update",
                this::row, subscriptionId, ResourceGroup.key(name)).stream().findFirst();
    }

    List<ResourceGroup> list(String subscriptionId) {
        return jdbc.query("select * from resource_groups where subscription_id = ? order by name_key",
                this::row, subscriptionId);
    }

    /** Inserts a new group; a concurrent insert of the same name fails with a DuplicateKeyException. */
    void insert(ResourceGroup group, Instant at) {
        jdbc.update("insert into resource_groups(subscription_id, name_key, name, location, tags, managed_by, "
                        + "created_at, changed_at) values (?,?,?,?,?::jsonb,?,?,?)",
                group.subscriptionId(), ResourceGroup.key(group.name()), group.name(), group.location(),
                json.writeValueAsString(group.tags()), group.managedBy(), Timestamp.from(at), Timestamp.from(at));
    }

    void update(ResourceGroup group, Instant at) {
        jdbc.update("update resource_groups set name = ?, location = ?, tags = ?::jsonb, managed_by = ?, "
                        + "changed_at = ? where subscription_id = ? and name_key = ?",
                group.name(), group.location(), json.writeValueAsString(group.tags()), group.managedBy(),
                Timestamp.from(at), group.subscriptionId(), ResourceGroup.key(group.name()));
    }

    void delete(ResourceGroup group) {
        jdbc.update("delete from resource_groups where subscription_id = ? and name_key = ?",
                group.subscriptionId(), ResourceGroup.key(group.name()));
    }

    private ResourceGroup row(ResultSet rs, int i) throws SQLException {
        Map<String, String> tags = json.readValue(rs.getString("tags"), TAGS);
        return new ResourceGroup(rs.getString("subscription_id"), rs.getString("name"), rs.getString("location"),
                tags, rs.getString("managed_by"));
    }
}
