package dev.cirrus.serverless.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** The {@code storage_accounts} table (db/migration/V4__storage_accounts.sql). */
@Repository
class StorageAccountRepository {

    private static final TypeReference<LinkedHashMap<String, String>> STRING_MAP = new TypeReference<>() { };

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    StorageAccountRepository(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    Optional<StorageAccount> find(String resourceId) {
        return jdbc.query("select * from storage_accounts where id = ?", this::map, resourceId.toLowerCase(Locale.ROOT))
                .stream().findFirst();
    }

    /** The account, its row locked until the transaction ends: the read of a read-change-write. */
    Optional<StorageAccount> findForUpdate(String resourceId) {
        return jdbc.query("select * from storage_accounts where id = ? for update", this::map,
                resourceId.toLowerCase(Locale.ROOT)).stream().findFirst();
    }

    /** The account of that name, in whatever subscription (names are global). */
    Optional<StorageAccount> findByName(String name) {
        return jdbc.query("select * from storage_accounts where name = ?", this::map, name.toLowerCase(Locale.ROOT))
                .stream().findFirst();
    }

    /** One page of a subscription's or group's accounts in id order, after {@code afterKey} (null: from the start). */
    List<StorageAccount> list(String subscriptionId, String resourceGroupOrNull, String afterKey, int limit) {
        String after = afterKey == null ? "" : afterKey;
        if (resourceGroupOrNull == null) {
            return jdbc.query("select * from storage_accounts where lower(subscription_id) = lower(?) and id > ?"
                    + " order by id limit ?", this::map, subscriptionId, after, limit);
        }
        return jdbc.query("select * from storage_accounts where lower(subscription_id) = lower(?)"
                        + " and lower(resource_group) = lower(?) and id > ? order by id limit ?", this::map,
                subscriptionId, resourceGroupOrNull, after, limit);
    }

    /** Inserts a new account; a name taken meanwhile is the unique constraint's DuplicateKeyException. */
    void insert(StorageAccount a) {
        jdbc.update("insert into storage_accounts(id, resource_id, subscription_id, resource_group, name, location, kind,"
                        + " sku_name, access_tier, https_only, minimum_tls_version, allow_blob_public_access, tags, key1, key2,"
                        + " key1_created_at, key2_created_at, created_at, last_modified, etag)"
                        + " values (?,?,?,?,?,?,?,?,?,?,?,?,?::jsonb,?,?,?,?,?,?,?)",
                a.key(), a.resourceId(), a.subscriptionId(), a.resourceGroup(), a.name(), a.location(), a.kind(),
                a.skuName(), a.accessTier(), a.httpsOnly(), a.minimumTlsVersion(), a.allowBlobPublicAccess(),
                json.writeValueAsString(a.tags()), a.key1(), a.key2(), Timestamp.from(a.key1CreatedAt()),
                Timestamp.from(a.key2CreatedAt()), Timestamp.from(a.createdAt()), Timestamp.from(a.lastModified()),
                a.etag());
    }

    /** Saves everything but identity and location. */
    void update(StorageAccount a) {
        jdbc.update("update storage_accounts set kind = ?, sku_name = ?, access_tier = ?, https_only = ?,"
                        + " minimum_tls_version = ?, allow_blob_public_access = ?, tags = ?::jsonb, key1 = ?, key2 = ?,"
                        + " key1_created_at = ?, key2_created_at = ?, last_modified = ?, etag = ? where id = ?",
                a.kind(), a.skuName(), a.accessTier(), a.httpsOnly(), a.minimumTlsVersion(),
                a.allowBlobPublicAccess(), json.writeValueAsString(a.tags()), a.key1(), a.key2(),
                Timestamp.from(a.key1CreatedAt()), Timestamp.from(a.key2CreatedAt()), Timestamp.from(a.lastModified()),
                a.etag(), a.key());
    }

    boolean delete(String key) {
        return jdbc.update("delete from storage_accounts where id = ?", key) > 0;
    }

    private StorageAccount map(ResultSet rs, int row) throws SQLException {
        return new StorageAccount(rs.getString("id"), rs.getString("resource_id"), rs.getString("subscription_id"),
                rs.getString("resource_group"), rs.getString("name"), rs.getString("location"), rs.getString("kind"),
                rs.getString("sku_name"), rs.getString("access_tier"), rs.getBoolean("https_only"),
                rs.getString("minimum_tls_version"), rs.getBoolean("allow_blob_public_access"),
                json.readValue(rs.getString("tags"), STRING_MAP), rs.getString("key1"), rs.getString("key2"),
                rs.getTimestamp("key1_created_at").toInstant(), rs.getTimestamp("key2_created_at").toInstant(),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("last_modified").toInstant(),
                rs.getString("etag"));
    }
}
