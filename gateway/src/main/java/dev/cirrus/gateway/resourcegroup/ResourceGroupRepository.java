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
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** The {@code resource_groups} table. Callers hold the transaction. */
// a plain component, not a @Repository: JdbcClient already throws Spring's DataAccessExceptions, and this bean is asked
// on every routed request, where the exception-translation proxy cost about 2 % of the gateway's CPU
@Component
class ResourceGroupRepository {

    private static final TypeReference<LinkedHashMap<String, String>> TAGS = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    ResourceGroupRepository(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Null when the group does not exist, else whether it is being deleted. */
    Boolean deleting(String subscriptionId, String name) {
        return jdbc.query("select delete_operation_id is not null from resource_groups where subscription_id = ? "
                + "and name_key = ?", (rs, i) -> rs.getBoolean(1), subscriptionId, ResourceGroup.key(name))
                .stream().findFirst().orElse(null);
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

    /** Marks the group Deleting under its operation. */
    void markDeleting(ResourceGroup group, Instant at) {
        jdbc.update("update resource_groups set delete_operation_id = ?, changed_at = ? where subscription_id = ? "
                        + "and name_key = ?", group.deleteOperationId(), Timestamp.from(at), group.subscriptionId(),
                ResourceGroup.key(group.name()));
    }

    /** Every group being deleted, oldest change first (what the deleter works through). */
    List<ResourceGroup> deleting() {
        return jdbc.query("select * from resource_groups where delete_operation_id is not null order by changed_at",
                this::row);
    }

    void delete(ResourceGroup group) {
        jdbc.update("delete from resource_groups where subscription_id = ? and name_key = ?",
                group.subscriptionId(), ResourceGroup.key(group.name()));
    }

    private ResourceGroup row(ResultSet rs, int i) throws SQLException {
        Map<String, String> tags = json.readValue(rs.getString("tags"), TAGS);
        return new ResourceGroup(rs.getString("subscription_id"), rs.getString("name"), rs.getString("location"),
                tags, rs.getString("managed_by"), rs.getString("delete_operation_id"));
    }
}
