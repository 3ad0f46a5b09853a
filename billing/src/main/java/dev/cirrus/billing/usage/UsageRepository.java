package dev.cirrus.billing.usage;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Reads the billed intervals the VM meter wrote. */
@Repository
class UsageRepository {

    private final JdbcTemplate jdbc;

    UsageRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The intervals of a subscription that overlap [from, to), open ones included. */
    List<BilledInterval> intervals(String subscriptionId, Instant from, Instant to) {
        return jdbc.query("""
                        select vm_key, resource_id, subscription_id, resource_group, resource_name, location, vm_size,
                               hourly_price, currency, started_at, ended_at
                        from vm_usage_interval
                        where subscription_key = ? and started_at < ? and (ended_at is null or ended_at > ?)
                        order by started_at, id""",
                (rs, i) -> {
                    OffsetDateTime ended = rs.getObject("ended_at", OffsetDateTime.class);
                    return new BilledInterval(rs.getString("vm_key"), rs.getString("resource_id"),
                            rs.getString("subscription_id"), rs.getString("resource_group"),
                            rs.getString("resource_name"), rs.getString("location"), rs.getString("vm_size"),
                            rs.getBigDecimal("hourly_price"), rs.getString("currency"),
                            rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                            ended == null ? null : ended.toInstant());
                },
                subscriptionId.toLowerCase(Locale.ROOT), time(to), time(from));
    }

    private static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
