package dev.cirrus.billing.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Reads what the meter wrote: the transitions of interval meters and the daily sums of per-execution meters. */
@Repository
class UsageRepository {

    private final JdbcTemplate jdbc;

    UsageRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every transition of the subscription's resources before {@code to}, with its rates. */
    List<Transition> transitions(String subscriptionId, Instant to) {
        Map<String, Transition> byEvent = new LinkedHashMap<>();
        jdbc.query("""
                        select t.event_id, t.resource_key, t.resource_id, t.resource_type, t.subscription_id,
                               t.resource_group, t.resource_name, t.location, t.occurred_at, t.ends_resource,
                               r.meter_category, r.meter_name, r.unit_of_measure, r.unit_price, r.quantity_per_hour
                        from meter_transition t left join meter_rate r on r.event_id = t.event_id
                        where t.subscription_key = ? and t.occurred_at < ?""",
                rs -> {
                    Transition t = byEvent.computeIfAbsent(rs.getString("event_id"), id -> {
                        try {
                            return new Transition(id, rs.getString("resource_key"), rs.getString("resource_id"),
                                    rs.getString("resource_type"), rs.getString("subscription_id"),
                                    rs.getString("resource_group"), rs.getString("resource_name"),
                                    rs.getString("location"),
                                    rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                                    rs.getBoolean("ends_resource"), new ArrayList<>());
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    if (rs.getString("meter_name") != null) {
                        t.rates().add(new Transition.Rate(rs.getString("meter_category"), rs.getString("meter_name"),
                                rs.getString("unit_of_measure"), rs.getBigDecimal("unit_price"),
                                rs.getBigDecimal("quantity_per_hour")));
                    }
                },
                subscriptionId.toLowerCase(Locale.ROOT), OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
        return new ArrayList<>(byEvent.values());
    }

    /** The daily sums of the subscription's per-execution meters on the days [from, to). */
    List<ExecutionCalculator.DailyUsage> executions(String subscriptionId, LocalDate from, LocalDate to) {
        return jdbc.query("""
                        select resource_key, resource_id, resource_type, subscription_id, resource_group, resource_name,
                               location, meter_category, meter_name, unit_of_measure, usage_date, quantity
                        from execution_usage
                        where subscription_key = ? and usage_date >= ? and usage_date < ?""",
                (rs, i) -> new ExecutionCalculator.DailyUsage(rs.getString("resource_key"), rs.getString("resource_id"),
                        rs.getString("resource_type"), rs.getString("subscription_id"), rs.getString("resource_group"),
                        rs.getString("resource_name"), rs.getString("location"), rs.getString("meter_category"),
                        rs.getString("meter_name"), rs.getString("unit_of_measure"),
                        rs.getObject("usage_date", LocalDate.class), rs.getBigDecimal("quantity")),
                subscriptionId.toLowerCase(Locale.ROOT), from, to);
    }
}
