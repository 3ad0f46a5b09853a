package dev.cirrus.computevm.availabilityset;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.cirrus.plumbing.arm.KeysetPage;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** The availability_sets table, and the member list (the VMs whose availability_set_key is the set's). */
@Repository
public class AvailabilitySetRepository {

    private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    AvailabilitySetRepository(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void upsert(AvailabilitySet set) {
        set.etag("\"" + UUID.randomUUID() + "\"");
        jdbc.sql("""
                        insert into availability_sets(resource_key, subscription_key, resource_group_key, subscription_id,
                            resource_group, name, location, sku, fault_domain_count, update_domain_count, tags, etag)
                        values (?,?,?,?,?,?,?,?,?,?,?::jsonb,?)
                        on conflict (resource_key) do update set subscription_id = excluded.subscription_id,
                            resource_group = excluded.resource_group, name = excluded.name, sku = excluded.sku,
                            tags = excluded.tags, etag = excluded.etag""")
                .params(set.key(), set.subscriptionId().toLowerCase(Locale.ROOT),
                        set.resourceGroup().toLowerCase(Locale.ROOT), set.subscriptionId(), set.resourceGroup(),
                        set.name(), set.location(), set.sku(), set.faultDomainCount(), set.updateDomainCount(),
                        json.writeValueAsString(set.tags()), set.etag())
                .update();
    }

    void delete(String key) {
        jdbc.sql("delete from availability_sets where resource_key = ?").param(key).update();
    }

    public Optional<AvailabilitySet> find(String key) {
        return jdbc.sql("select * from availability_sets where resource_key = ?").param(key).query(this::map).optional();
    }

    /** Locks the set against a delete (and other writes) until the transaction ends. */
    Optional<AvailabilitySet> findForUpdate(String key) {
        return jdbc.sql("select * from availability_sets where resource_key = ? for update").param(key)
                .query(this::map).optional();
    }

    /**
     * Reads the set and keeps it from being deleted until the transaction ends; other VMs may join it meanwhile.
     * What a VM create does before it joins a set.
     */
    public Optional<AvailabilitySet> findForJoining(String key) {
        return jdbc.sql("select * from availability_sets where resource_key = ? for share").param(key)
                .query(this::map).optional();
    }

    List<AvailabilitySet> list(String subscriptionId, String resourceGroupOrNull, String afterKey, int limit) {
        KeysetPage page = KeysetPage.of("select * from availability_sets where true", subscriptionId,
                resourceGroupOrNull, afterKey, limit);
        return jdbc.sql(page.sql()).params(page.params()).query(this::map).list();
    }

    /** The ARM ids of the set's VMs, in id order. */
    List<String> memberIds(String key) {
        return jdbc.sql("""
                        select subscription_id, resource_group, name from virtual_machines
                        where availability_set_key = ? order by resource_key""")
                .param(key)
                .query((rs, i) -> "/subscriptions/" + rs.getString(1) + "/resourceGroups/" + rs.getString(2)
                        + "/providers/Microsoft.Compute/virtualMachines/" + rs.getString(3))
                .list();
    }

    private AvailabilitySet map(ResultSet rs, int row) throws SQLException {
        return new AvailabilitySet(rs.getString("subscription_id"), rs.getString("resource_group"), rs.getString("name"),
                rs.getString("location"), rs.getString("sku"), rs.getInt("fault_domain_count"),
                rs.getInt("update_domain_count"), json.readValue(rs.getString("tags"), TAGS), rs.getString("etag"));
    }
}
