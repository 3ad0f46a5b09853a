package dev.cirrus.computevm.scaleset;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.cirrus.computevm.operation.OperationError;
import dev.cirrus.plumbing.arm.KeysetPage;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/** The scale_sets table. Every write gives the set a new ETag. */
@Repository
class ScaleSetRepository {

    private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> ZONES = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    ScaleSetRepository(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(ScaleSet set) {
        set.etag(newEtag());
        jdbc.sql("""
                        insert into scale_sets(resource_key, subscription_key, resource_group_key, subscription_id,
                            resource_group, name, location, unique_id, orchestration_mode, sku_name, sku_tier,
                            capacity, fault_domain_count, settings, vm_profile, model_version, next_instance_id, tags,
                            provisioning_state, operation_id, wanted_instances, error_code, error_message, etag,
                            time_created, zones, computer_name_prefix)
                        values (?,?,?,?,?,?,?,?,?,?,?,?,?,?::jsonb,?::jsonb,?,?,?::jsonb,?,?,?,?,?,?,?,?::jsonb,?)""")
                .params(set.key(), set.subscriptionId().toLowerCase(Locale.ROOT),
                        set.resourceGroup().toLowerCase(Locale.ROOT), set.subscriptionId(), set.resourceGroup(),
                        set.name(), set.location(), set.uniqueId(), set.mode().name(), set.skuName(), set.skuTier(),
                        set.capacity(), set.faultDomainCount(), json.writeValueAsString(set.settings()),
                        set.vmProfile() == null ? null : json.writeValueAsString(set.vmProfile()),
                        set.modelVersion(), set.nextInstanceId(), json.writeValueAsString(set.tags()),
                        set.state().name(), set.operationId(), set.wantedInstances(),
                        set.failure() == null ? null : set.failure().code(),
                        set.failure() == null ? null : set.failure().message(), set.etag(),
                        Timestamp.from(set.timeCreated()),
                        set.zones() == null ? null : json.writeValueAsString(set.zones()), set.computerNamePrefix())
                .update();
    }

    void update(ScaleSet set) {
        set.etag(newEtag());
        int rows = jdbc.sql("""
                        update scale_sets set resource_group = ?, name = ?, sku_tier = ?, capacity = ?,
                            settings = ?::jsonb, vm_profile = ?::jsonb, model_version = ?, next_instance_id = ?,
                            tags = ?::jsonb, provisioning_state = ?, operation_id = ?, wanted_instances = ?,
                            error_code = ?, error_message = ?, etag = ?, computer_name_prefix = ?, rolling = ?,
                            rolling_next_at = ?
                        where resource_key = ?""")
                .params(set.resourceGroup(), set.name(), set.skuTier(), set.capacity(),
                        json.writeValueAsString(set.settings()),
                        set.vmProfile() == null ? null : json.writeValueAsString(set.vmProfile()),
                        set.modelVersion(), set.nextInstanceId(), json.writeValueAsString(set.tags()),
                        set.state().name(), set.operationId(), set.wantedInstances(),
                        set.failure() == null ? null : set.failure().code(),
                        set.failure() == null ? null : set.failure().message(), set.etag(),
                        set.computerNamePrefix(), set.rolling(),
                        set.rollingNextAt() == null ? null : Timestamp.from(set.rollingNextAt()), set.key())
                .update();
        if (rows != 1) {
            throw new IllegalStateException("scale set " + set.id() + " vanished during an update");
        }
    }

    void delete(ScaleSet set) {
        jdbc.sql("delete from scale_sets where resource_key = ?").param(set.key()).update();
    }

    Optional<ScaleSet> find(String key) {
        return jdbc.sql("select * from scale_sets where resource_key = ?").param(key).query(this::map).optional();
    }

    Optional<ScaleSet> findForUpdate(String key) {
        return jdbc.sql("select * from scale_sets where resource_key = ? for update").param(key)
                .query(this::map).optional();
    }

    List<ScaleSet> list(String subscriptionId, String resourceGroupOrNull, String afterKey, int limit) {
        KeysetPage page = KeysetPage.of("select * from scale_sets where true", subscriptionId, resourceGroupOrNull,
                afterKey, limit);
        return jdbc.sql(page.sql()).params(page.params()).query(this::map).list();
    }

    /** The sets with an operation running: what the worker watches. */
    List<String> busyKeys() {
        return jdbc.sql("select resource_key from scale_sets where operation_id is not null")
                .query((rs, i) -> rs.getString(1)).list();
    }

    private ScaleSet map(ResultSet rs, int row) throws SQLException {
        String profile = rs.getString("vm_profile");
        String zones = rs.getString("zones");
        String errorCode = rs.getString("error_code");
        Object wanted = rs.getObject("wanted_instances");
        return new ScaleSet(rs.getString("subscription_id"), rs.getString("resource_group"), rs.getString("name"),
                rs.getString("location"), rs.getObject("unique_id", UUID.class),
                OrchestrationMode.valueOf(rs.getString("orchestration_mode")), rs.getString("sku_name"),
                rs.getString("sku_tier"), rs.getLong("capacity"), rs.getInt("fault_domain_count"),
                zones == null ? null : json.readValue(zones, ZONES),
                json.readValue(rs.getString("settings"), ScaleSetSettings.class),
                profile == null ? null : (ObjectNode) json.readTree(profile),
                rs.getString("computer_name_prefix"), rs.getInt("model_version"), rs.getLong("next_instance_id"),
                json.readValue(rs.getString("tags"), TAGS), ScaleSet.State.valueOf(rs.getString("provisioning_state")),
                rs.getObject("operation_id", UUID.class), wanted == null ? null : ((Number) wanted).intValue(),
                rs.getBoolean("rolling"),
                rs.getTimestamp("rolling_next_at") == null ? null : rs.getTimestamp("rolling_next_at").toInstant(),
                errorCode == null ? null : new OperationError(errorCode, rs.getString("error_message")),
                rs.getString("etag"), rs.getTimestamp("time_created").toInstant());
    }

    private static String newEtag() {
        return "\"" + UUID.randomUUID() + "\"";
    }
}
