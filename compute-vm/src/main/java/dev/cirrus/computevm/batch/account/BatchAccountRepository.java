package dev.cirrus.computevm.batch.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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

/** The batch_accounts table. */
@Repository
public class BatchAccountRepository {

    private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    BatchAccountRepository(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void upsert(BatchAccount a) {
        a.etag("W/\"" + UUID.randomUUID() + "\"");
        jdbc.sql("""
                        insert into batch_accounts(resource_key, subscription_key, resource_group_key, subscription_id,
                            resource_group, name, location, endpoint_key, tags, properties, primary_key, secondary_key,
                            etag, created_at)
                        values (?,?,?,?,?,?,?,?,?::jsonb,?::jsonb,?,?,?,?)
                        on conflict (resource_key) do update set subscription_id = excluded.subscription_id,
                            resource_group = excluded.resource_group, name = excluded.name, tags = excluded.tags,
                            properties = excluded.properties, primary_key = excluded.primary_key,
                            secondary_key = excluded.secondary_key, etag = excluded.etag""")
                .params(a.key(), a.subscriptionId().toLowerCase(Locale.ROOT), a.resourceGroup().toLowerCase(Locale.ROOT),
                        a.subscriptionId(), a.resourceGroup(), a.name(), a.location(), a.endpointKey(),
                        json.writeValueAsString(a.tags()), json.writeValueAsString(a.settings()), a.primaryKey(),
                        a.secondaryKey(), a.etag(), Timestamp.from(a.createdAt()))
                .update();
    }

    void delete(String key) {
        jdbc.sql("delete from batch_accounts where resource_key = ?").param(key).update();
    }

    public Optional<BatchAccount> find(String key) {
        return jdbc.sql("select * from batch_accounts where resource_key = ?").param(key).query(this::map).optional();
    }

    Optional<BatchAccount> findForUpdate(String key) {
        return jdbc.sql("select * from batch_accounts where resource_key = ? for update").param(key)
                .query(this::map).optional();
    }

    /** The account a data-plane call names ({@code {name}.{location}}, any casing). */
    public Optional<BatchAccount> findByEndpoint(String endpointKey) {
        return jdbc.sql("select * from batch_accounts where endpoint_key = ?").param(endpointKey.toLowerCase(Locale.ROOT))
                .query(this::map).optional();
    }

    boolean endpointTaken(String endpointKey, String otherThanKey) {
        return jdbc.sql("select count(*) from batch_accounts where endpoint_key = ? and resource_key <> ?")
                .params(endpointKey, otherThanKey).query(Integer.class).single() > 0;
    }

    List<BatchAccount> list(String subscriptionId, String resourceGroupOrNull, String afterKey, int limit) {
        KeysetPage page = KeysetPage.of("select * from batch_accounts where true", subscriptionId,
                resourceGroupOrNull, afterKey, limit);
        return jdbc.sql(page.sql()).params(page.params()).query(this::map).list();
    }

    private BatchAccount map(ResultSet rs, int row) throws SQLException {
        return new BatchAccount(rs.getString("subscription_id"), rs.getString("resource_group"), rs.getString("name"),
                rs.getString("location"), json.readValue(rs.getString("tags"), TAGS),
                json.readValue(rs.getString("properties"), BatchAccount.Settings.class), rs.getString("primary_key"),
                rs.getString("secondary_key"), rs.getString("etag"), rs.getTimestamp("created_at").toInstant());
    }
}
