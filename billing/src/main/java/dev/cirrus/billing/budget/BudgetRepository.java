package dev.cirrus.billing.budget;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Budgets (table {@code budget}) and the alerts they raised ({@code budget_alert}). */
@Repository
class BudgetRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, Budget.Notification>> NOTIFICATIONS = new TypeReference<>() {
    };

    record Stored(Budget budget, String etag) {
    }

    private final JdbcTemplate jdbc;

    BudgetRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Creates or replaces; returns true when created. */
    boolean save(Budget b, String etag) {
        int updated = jdbc.update("""
                        update budget set name = ?, subscription_id = ?, resource_group = ?, amount = ?, time_grain = ?,
                            start_date = ?, end_date = ?, notifications = ?, etag = ?
                        where subscription_key = ? and group_key = ? and name_key = ?""",
                b.name(), b.subscriptionId(), b.resourceGroup(), b.amount(), b.timeGrain(), b.startDate(), b.endDate(),
                JSON.writeValueAsString(b.notifications()), etag, key(b.subscriptionId()), groupKey(b.resourceGroup()),
                key(b.name()));
        if (updated == 1) {
            return false;
        }
        jdbc.update("""
                        insert into budget(subscription_key, group_key, name_key, subscription_id, resource_group, name,
                            amount, time_grain, start_date, end_date, notifications, etag)
                        values (?,?,?,?,?,?,?,?,?,?,?,?)""",
                key(b.subscriptionId()), groupKey(b.resourceGroup()), key(b.name()), b.subscriptionId(),
                b.resourceGroup(), b.name(), b.amount(), b.timeGrain(), b.startDate(), b.endDate(),
                JSON.writeValueAsString(b.notifications()), etag);
        return true;
    }

    /** @param resourceGroup the budget's group, or null for a subscription-scope budget */
    Optional<Stored> find(String subscriptionId, String resourceGroup, String name) {
        return jdbc.query("select * from budget where subscription_key = ? and group_key = ? and name_key = ?",
                (rs, i) -> stored(rs), key(subscriptionId), groupKey(resourceGroup), key(name)).stream().findFirst();
    }

    /**
     * The budgets of a scope. At subscription scope ({@code resourceGroup} null) Azure lists the subscription's own
     * budgets and those of its resource groups; at a group's scope, that group's.
     */
    List<Stored> list(String subscriptionId, String resourceGroup) {
        if (resourceGroup == null) {
            return jdbc.query("select * from budget where subscription_key = ? order by group_key, name_key",
                    (rs, i) -> stored(rs), key(subscriptionId));
        }
        return jdbc.query("select * from budget where subscription_key = ? and group_key = ? order by name_key",
                (rs, i) -> stored(rs), key(subscriptionId), groupKey(resourceGroup));
    }

    List<Stored> all() {
        return jdbc.query("select * from budget order by subscription_key, group_key, name_key", (rs, i) -> stored(rs));
    }

    boolean delete(String subscriptionId, String resourceGroup, String name) {
        return jdbc.update("delete from budget where subscription_key = ? and group_key = ? and name_key = ?",
                key(subscriptionId), groupKey(resourceGroup), key(name)) == 1;
    }

    /** Records an alert; false if this notification already fired in this period (nothing to publish). */
    boolean recordAlert(Budget b, String notification, LocalDate periodStart, BigDecimal spend, Instant at) {
        return jdbc.update("""
                        insert into budget_alert(subscription_key, group_key, name_key, period_start, notification, spend,
                            raised_at) values (?,?,?,?,?,?,?) on conflict do nothing""",
                key(b.subscriptionId()), groupKey(b.resourceGroup()), key(b.name()), periodStart, notification, spend,
                OffsetDateTime.ofInstant(at, ZoneOffset.UTC)) == 1;
    }

    static String newEtag() {
        return "\"" + UUID.randomUUID() + "\"";
    }

    private static Stored stored(java.sql.ResultSet rs) throws java.sql.SQLException {
        Map<String, Budget.Notification> notifications = JSON.readValue(rs.getString("notifications"), NOTIFICATIONS);
        return new Stored(new Budget(rs.getString("subscription_id"), rs.getString("resource_group"), rs.getString("name"), rs.getBigDecimal("amount"),
                rs.getString("time_grain"), rs.getObject("start_date", LocalDate.class),
                rs.getObject("end_date", LocalDate.class), notifications), rs.getString("etag"));
    }

    /** The subscription scope is the empty group key. */
    private static String groupKey(String resourceGroup) {
        return resourceGroup == null ? "" : key(resourceGroup);
    }

    private static String key(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
