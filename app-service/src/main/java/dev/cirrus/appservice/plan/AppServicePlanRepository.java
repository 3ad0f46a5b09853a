package dev.cirrus.appservice.plan;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.cirrus.plumbing.arm.KeysetPage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** The {@code app_service_plans} and {@code plan_sites} tables (db/migration/V2__app_service_plans.sql). */
@Repository
class AppServicePlanRepository {

    private static final TypeReference<LinkedHashMap<String, String>> STRING_MAP = new TypeReference<>() { };

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    AppServicePlanRepository(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    Optional<AppServicePlan> find(String resourceId) {
        return jdbc.query("select * from app_service_plans where resource_key = ?", this::map,
                resourceId.toLowerCase(Locale.ROOT)).stream().findFirst();
    }

    /** The plan, its row locked until the transaction ends: the read of a read-change-write. */
    Optional<AppServicePlan> findForUpdate(String resourceId) {
        return jdbc.query("select * from app_service_plans where resource_key = ? for update", this::map,
                resourceId.toLowerCase(Locale.ROOT)).stream().findFirst();
    }

    /**
     * Serialises the writes of one subscription's plans until the transaction ends, so that two concurrent creations
     * cannot both pass a plan quota that only one of them fits in.
     */
    void lockSubscription(String subscriptionId) {
        jdbc.query("select pg_advisory_xact_lock(hashtext(?))", rs -> null,
                "app_service_plans/" + subscriptionId.toLowerCase(Locale.ROOT));
    }

    /** One page of a subscription's or group's plans in key order, after {@code afterKey} (null: from the start). */
    List<AppServicePlan> list(String subscriptionId, String resourceGroupOrNull, String afterKey, int limit) {
        KeysetPage page = KeysetPage.of("select * from app_service_plans where true", subscriptionId,
                resourceGroupOrNull, afterKey, limit);
        return jdbc.query(page.sql(), this::map, page.params().toArray());
    }

    /**
     * Plans of a tier in a scope, the plan {@code exceptKey} left out: a subscription, or also a group (non-null
     * {@code resourceGroupOrNull}) or a region (non-null {@code locationOrNull}).
     */
    int countOfTier(String subscriptionId, String resourceGroupOrNull, String locationOrNull, PlanSku.Tier tier,
                    String exceptKey) {
        StringBuilder sql = new StringBuilder("select count(*) from app_service_plans where subscription_key = ?"
                + " and tier = ? and resource_key <> ?");
        List<Object> params = new java.util.ArrayList<>(List.of(subscriptionId.toLowerCase(Locale.ROOT),
                tier.armName(), exceptKey));
        if (resourceGroupOrNull != null) {
            sql.append(" and resource_group_key = ?");
            params.add(resourceGroupOrNull.toLowerCase(Locale.ROOT));
        }
        if (locationOrNull != null) {
            sql.append(" and location = ?");
            params.add(locationOrNull);
        }
        Integer n = jdbc.queryForObject(sql.toString(), Integer.class, params.toArray());
        return n == null ? 0 : n;
    }

    void insert(AppServicePlan p) {
        jdbc.update("insert into app_service_plans(resource_key, subscription_key, resource_group_key, resource_id,"
                        + " subscription_id, resource_group, name, location, kind, sku_name, tier, capacity, reserved,"
                        + " per_site_scaling, maximum_elastic_worker_count, hosting_environment_id, tags, created_at,"
                        + " last_modified, etag) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?::jsonb,?,?,?)",
                p.key(), p.subscriptionId().toLowerCase(Locale.ROOT), p.resourceGroup().toLowerCase(Locale.ROOT),
                p.resourceId(), p.subscriptionId(), p.resourceGroup(), p.name(), p.location(), p.kind(),
                p.sku().name(), p.sku().tier().armName(), p.capacity(), p.reserved(), p.perSiteScaling(),
                p.maximumElasticWorkerCount(), p.hostingEnvironmentId(), json.writeValueAsString(p.tags()),
                Timestamp.from(p.createdAt()), Timestamp.from(p.lastModified()), p.etag());
    }

    /** Saves everything but identity, location and the operating system. */
    void update(AppServicePlan p) {
        jdbc.update("update app_service_plans set kind = ?, sku_name = ?, tier = ?, capacity = ?, per_site_scaling = ?,"
                        + " maximum_elastic_worker_count = ?, hosting_environment_id = ?, tags = ?::jsonb,"
                        + " last_modified = ?, etag = ? where resource_key = ?",
                p.kind(), p.sku().name(), p.sku().tier().armName(), p.capacity(), p.perSiteScaling(),
                p.maximumElasticWorkerCount(), p.hostingEnvironmentId(), json.writeValueAsString(p.tags()),
                Timestamp.from(p.lastModified()), p.etag(), p.key());
    }

    void delete(String key) {
        jdbc.update("delete from app_service_plans where resource_key = ?", key);
    }

    /** The ids of the sites announced on a plan, in id order. */
    List<String> sitesOn(String planKey) {
        return jdbc.queryForList("select site_id from plan_sites where plan_key = ? order by site_key", String.class,
                planKey.toLowerCase(Locale.ROOT));
    }

    int countSitesOn(String planKey) {
        Integer n = jdbc.queryForObject("select count(*) from plan_sites where plan_key = ?", Integer.class,
                planKey.toLowerCase(Locale.ROOT));
        return n == null ? 0 : n;
    }

    /** Records that a site runs on a plan (or moved to another one). */
    void putSite(String siteId, String planId) {
        jdbc.update("insert into plan_sites(site_key, site_id, plan_key) values (?,?,?) on conflict (site_key)"
                        + " do update set site_id = excluded.site_id, plan_key = excluded.plan_key",
                siteId.toLowerCase(Locale.ROOT), siteId, planId.toLowerCase(Locale.ROOT));
    }

    /** Records that a site runs on no plan of this service any more (deleted, or moved to Consumption). */
    void removeSite(String siteId) {
        jdbc.update("delete from plan_sites where site_key = ?", siteId.toLowerCase(Locale.ROOT));
    }

    private AppServicePlan map(ResultSet rs, int row) throws SQLException {
        return new AppServicePlan(rs.getString("resource_key"), rs.getString("resource_id"),
                rs.getString("subscription_id"), rs.getString("resource_group"), rs.getString("name"),
                rs.getString("location"), rs.getString("kind"),
                PlanSku.byName(rs.getString("sku_name")).orElseThrow(), rs.getInt("capacity"),
                rs.getBoolean("reserved"), rs.getBoolean("per_site_scaling"),
                rs.getInt("maximum_elastic_worker_count"), rs.getString("hosting_environment_id"),
                json.readValue(rs.getString("tags"), STRING_MAP), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("last_modified").toInstant(), rs.getString("etag"));
    }
}
