package dev.cirrus.appservice.site;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.cirrus.plumbing.arm.KeysetPage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/** The {@code sites} and {@code site_deployments} tables (db/migration/V3__sites.sql). */
@Repository
public class SiteRepository {

    private static final TypeReference<LinkedHashMap<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final TypeReference<LinkedHashMap<String, Site.ConnectionString>> CONNECTION_STRINGS =
            new TypeReference<>() { };

    /** One deployment record. */
    public record Deployment(String id, String siteKey, String status, String message, String stack,
                             java.time.Instant receivedAt, java.time.Instant endedAt, String deployer) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    SiteRepository(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public Optional<Site> find(String resourceId) {
        return jdbc.query("select * from sites where resource_key = ?", this::map,
                resourceId.toLowerCase(Locale.ROOT)).stream().findFirst();
    }

    /** The site, its row locked until the transaction ends. */
    Optional<Site> findForUpdate(String resourceId) {
        return jdbc.query("select * from sites where resource_key = ? for update", this::map,
                resourceId.toLowerCase(Locale.ROOT)).stream().findFirst();
    }

    /** The site of a host name: names are global. */
    public Optional<Site> findByName(String name) {
        return jdbc.query("select * from sites where name_key = ?", this::map, name.toLowerCase(Locale.ROOT))
                .stream().findFirst();
    }

    /** Every running site (the instances the supervisor keeps). */
    public List<Site> running() {
        return jdbc.query("select * from sites where state = 'Running' order by resource_key", this::map);
    }

    List<Site> list(String subscriptionId, String resourceGroupOrNull, String afterKey, int limit) {
        KeysetPage page = KeysetPage.of("select * from sites where position('/slots/' in resource_key) = 0",
                subscriptionId, resourceGroupOrNull,
                afterKey, limit);
        return jdbc.query(page.sql(), this::map, page.params().toArray());
    }

    /** Names taken: true when another site (any subscription) has this name. */
    boolean nameTaken(String name, String exceptKey) {
        Integer n = jdbc.queryForObject("select count(*) from sites where name_key = ? and resource_key <> ?",
                Integer.class, name.toLowerCase(Locale.ROOT), exceptKey);
        return n != null && n > 0;
    }

    void insert(Site s) {
        jdbc.update("insert into sites(resource_key, name_key, subscription_key, resource_group_key, resource_id,"
                        + " subscription_id, resource_group, name, location, kind, server_farm_id, state, https_only,"
                        + " client_affinity_enabled, site_config, app_settings, connection_strings, slot_config_names,"
                        + " scm_basic_auth, ftp_basic_auth, publishing_password, tags, active_deployment, created_at,"
                        + " last_modified, etag) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?::jsonb,?::jsonb,?::jsonb,"
                        + "?::jsonb,?,?,?,?::jsonb,?,?,?,?)",
                s.key(), s.name().toLowerCase(Locale.ROOT), s.subscriptionId().toLowerCase(Locale.ROOT),
                s.resourceGroup().toLowerCase(Locale.ROOT), s.resourceId(), s.subscriptionId(), s.resourceGroup(),
                s.name(), s.location(), s.kind(), s.serverFarmId(), s.state(), s.httpsOnly(),
                s.clientAffinityEnabled(), json.writeValueAsString(s.siteConfig()),
                json.writeValueAsString(s.appSettings()), json.writeValueAsString(s.connectionStrings()),
                json.writeValueAsString(s.slotConfigNames()), s.scmBasicAuth(), s.ftpBasicAuth(),
                s.publishingPassword(), json.writeValueAsString(s.tags()), s.activeDeployment(),
                Timestamp.from(s.createdAt()), Timestamp.from(s.lastModified()), s.etag());
    }

    /** Saves everything but identity and location. */
    void update(Site s) {
        jdbc.update("update sites set kind = ?, server_farm_id = ?, state = ?, https_only = ?,"
                        + " client_affinity_enabled = ?, site_config = ?::jsonb, app_settings = ?::jsonb,"
                        + " connection_strings = ?::jsonb, slot_config_names = ?::jsonb, scm_basic_auth = ?,"
                        + " ftp_basic_auth = ?, tags = ?::jsonb, active_deployment = ?, last_modified = ?, etag = ?"
                        + " where resource_key = ?",
                s.kind(), s.serverFarmId(), s.state(), s.httpsOnly(), s.clientAffinityEnabled(),
                json.writeValueAsString(s.siteConfig()), json.writeValueAsString(s.appSettings()),
                json.writeValueAsString(s.connectionStrings()), json.writeValueAsString(s.slotConfigNames()),
                s.scmBasicAuth(), s.ftpBasicAuth(), json.writeValueAsString(s.tags()), s.activeDeployment(),
                Timestamp.from(s.lastModified()), s.etag(), s.key());
    }

    /** The site's {@code config/metadata} dictionary. */
    Map<String, String> metadata(String key) {
        return jdbc.query("select metadata::text from sites where resource_key = ?",
                (rs, i) -> json.readValue(rs.getString(1), STRING_MAP), key).stream().findFirst().orElse(
                new LinkedHashMap<>());
    }

    void putMetadata(String key, Map<String, String> metadata) {
        jdbc.update("update sites set metadata = ?::jsonb where resource_key = ?", json.writeValueAsString(metadata),
                key);
    }

    /** The site's {@code config/logs} as last written, or null. */
    tools.jackson.databind.JsonNode logsConfig(String key) {
        return jdbc.query("select logs_config::text from sites where resource_key = ?",
                (rs, i) -> rs.getString(1) == null ? null : json.readTree(rs.getString(1)), key).stream()
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    void putLogsConfig(String key, tools.jackson.databind.JsonNode logs) {
        jdbc.update("update sites set logs_config = ?::jsonb where resource_key = ?", json.writeValueAsString(logs),
                key);
    }

    /** The slots of an app (its lower-case id), in name order. */
    public List<Site> slots(String appKey) {
        return jdbc.query("select * from sites where starts_with(resource_key, ?) order by resource_key", this::map,
                appKey + "/slots/");
    }

    /** The deployments an app or any of its slots serves (their content must stay on disk). */
    public java.util.Set<String> activeDeploymentsOfFamily(String appKey) {
        return new java.util.HashSet<>(jdbc.queryForList("select active_deployment from sites where (resource_key = ?"
                + " or starts_with(resource_key, ?)) and active_deployment is not null", String.class, appKey,
                appKey + "/slots/"));
    }

    /** What a slot had before {@code applySlotConfig} gave it its target's sticky settings, or null. */
    tools.jackson.databind.JsonNode swapPreview(String key) {
        return jdbc.query("select swap_preview::text from sites where resource_key = ?",
                (rs, i) -> rs.getString(1) == null ? null : json.readTree(rs.getString(1)), key).stream()
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    void putSwapPreview(String key, tools.jackson.databind.JsonNode preview) {
        jdbc.update("update sites set swap_preview = ?::jsonb where resource_key = ?",
                preview == null ? null : json.writeValueAsString(preview), key);
    }

    void delete(String key) {
        jdbc.update("delete from site_deployments where site_key = ?", key);
        jdbc.update("delete from sites where resource_key = ?", key);
    }

    void insertDeployment(Deployment d) {
        jdbc.update("insert into site_deployments(id, site_key, status, message, stack, received_at, ended_at,"
                        + " deployer) values (?,?,?,?,?,?,?,?)", d.id(), d.siteKey(), d.status(), d.message(),
                d.stack(), Timestamp.from(d.receivedAt()), Timestamp.from(d.endedAt()), d.deployer());
    }

    /** A site's deployments, newest first. */
    public List<Deployment> deployments(String siteKey) {
        return jdbc.query("select * from site_deployments where site_key = ? order by received_at desc, id",
                (rs, i) -> new Deployment(rs.getString("id"), rs.getString("site_key"), rs.getString("status"),
                        rs.getString("message"), rs.getString("stack"), rs.getTimestamp("received_at").toInstant(),
                        rs.getTimestamp("ended_at").toInstant(), rs.getString("deployer")), siteKey);
    }

    private Site map(ResultSet rs, int row) throws SQLException {
        return new Site(rs.getString("resource_key"), rs.getString("resource_id"), rs.getString("subscription_id"),
                rs.getString("resource_group"), rs.getString("name"), rs.getString("location"), rs.getString("kind"),
                rs.getString("server_farm_id"), rs.getString("state"), rs.getBoolean("https_only"),
                rs.getBoolean("client_affinity_enabled"),
                (ObjectNode) json.readTree(rs.getString("site_config")),
                json.readValue(rs.getString("app_settings"), STRING_MAP),
                json.readValue(rs.getString("connection_strings"), CONNECTION_STRINGS),
                json.readValue(rs.getString("slot_config_names"), Site.SlotConfigNames.class),
                rs.getBoolean("scm_basic_auth"), rs.getBoolean("ftp_basic_auth"),
                rs.getString("publishing_password"), json.readValue(rs.getString("tags"), STRING_MAP),
                rs.getString("active_deployment"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("last_modified").toInstant(), rs.getString("etag"));
    }
}
