package dev.cirrus.computevm.autoscale;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** What autoscale did (table {@code autoscale_history}), read as the activity log's Autoscale events. */
@Repository
class AutoscaleHistory {

    record Entry(UUID id, String subscriptionId, String resourceGroup, String settingId, String targetId,
                 Instant time, String operation, String status, int oldCapacity, int newCapacity, String description,
                 String profile, String notifications) {
    }

    private final JdbcClient jdbc;

    AutoscaleHistory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Entry e) {
        jdbc.sql("""
                        insert into autoscale_history (id, subscription_key, subscription_id, resource_group, setting_id,
                            target_id, event_time, operation, status, old_capacity, new_capacity, description, profile_name,
                            notifications) values (?, lower(?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)""")
                .param(e.id()).param(e.subscriptionId()).param(e.subscriptionId()).param(e.resourceGroup())
                .param(e.settingId()).param(e.targetId()).param(Timestamp.from(e.time())).param(e.operation())
                .param(e.status()).param(e.oldCapacity()).param(e.newCapacity()).param(e.description())
                .param(e.profile()).param(e.notifications()).update();
    }

    void notified(UUID id, String notifications) {
        jdbc.sql("update autoscale_history set notifications = ?::jsonb where id = ?").param(notifications).param(id)
                .update();
    }

    List<Entry> between(String subscriptionId, Instant from, Instant to, int limit) {
        return jdbc.sql("""
                        select id, subscription_id, resource_group, setting_id, target_id, event_time, operation, status,
                               old_capacity, new_capacity, description, profile_name, notifications::text
                        from autoscale_history where subscription_key = lower(?) and event_time >= ? and event_time <= ?
                        order by event_time desc, id limit ?""")
                .param(subscriptionId).param(Timestamp.from(from)).param(Timestamp.from(to)).param(limit)
                .query((rs, i) -> new Entry(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getString(7),
                        rs.getString(8), rs.getInt(9), rs.getInt(10), rs.getString(11), rs.getString(12),
                        rs.getString(13)))
                .list();
    }
}
