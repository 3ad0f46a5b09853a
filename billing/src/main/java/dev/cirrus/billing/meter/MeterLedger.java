package dev.cirrus.billing.meter;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Writes one poll batch of readings in a few set-based statements (arrays unnested by PostgreSQL), inside the
 * caller's transaction: the inbox rows that make each event id count once, the transitions and their rates, the
 * per-execution sums, the rejections.
 */
@Repository
class MeterLedger {

    private final JdbcTemplate jdbc;

    MeterLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One event of the batch: where it was read, its id and type, and what it means. */
    record Entry(String topic, int partition, long offset, String eventId, String eventType, String subject,
                 String payload, Reading reading) {
    }

    /**
     * Records the ids of the batch in the inbox of {@code consumer} and returns the ids seen for the first time;
     * every other entry has been applied before (a redelivery or a duplicate) and must change nothing.
     */
    Set<String> claim(String consumer, List<Entry> entries) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (Entry e : entries) {
            ids.putIfAbsent(e.eventId(), e.eventType());
        }
        if (ids.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.execute((Connection c) -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into inbox(consumer, event_id, event_type)
                    select ?, id, type from unnest(?::text[], ?::text[]) as t(id, type)
                    on conflict do nothing returning event_id""")) {
                ps.setString(1, consumer);
                ps.setArray(2, text(c, ids.keySet()));
                ps.setArray(3, text(c, ids.values()));
                List<String> fresh = new ArrayList<>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        fresh.add(rs.getString(1));
                    }
                }
                return fresh;
            }
        }));
    }

    void transitions(List<Reading.Transition> transitions, List<String> eventIds) {
        if (transitions.isEmpty()) {
            return;
        }
        Columns t = new Columns(12);
        Columns r = new Columns(6);
        for (int i = 0; i < transitions.size(); i++) {
            Reading.Transition tr = transitions.get(i);
            Reading.Resource res = tr.resource();
            String id = eventIds.get(i);
            t.add(id, res.key(), res.id(), res.type(), res.subscriptionId().toLowerCase(Locale.ROOT),
                    res.subscriptionId(), res.resourceGroup(), res.name(), res.location(), tr.eventType(),
                    tr.time().toString(), Boolean.toString(tr.endsResource()));
            for (Reading.Rate rate : tr.rates()) {
                r.add(id, rate.meterCategory(), rate.meterName(), rate.unitOfMeasure(),
                        rate.unitPrice().toPlainString(), rate.quantityPerHour().toPlainString());
            }
        }
        t.insert("""
                insert into meter_transition(event_id, resource_key, resource_id, resource_type, subscription_key,
                    subscription_id, resource_group, resource_name, location, event_type, occurred_at, ends_resource)
                select a, b, c, d, e, f, g, h, i, j, k::timestamptz, l::boolean
                from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                            ?::text[], ?::text[], ?::text[], ?::text[]) as x(a, b, c, d, e, f, g, h, i, j, k, l)
                on conflict do nothing""");
        r.insert("""
                insert into meter_rate(event_id, meter_category, meter_name, unit_of_measure, unit_price, quantity_per_hour)
                select a, b, c, d, e::numeric, f::numeric
                from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) as x(a, b, c, d, e, f)
                on conflict do nothing""");
    }

    /** Adds the quantities, summed first per resource, day and meter (one row each per statement). */
    void executions(List<Reading.Executions> executions) {
        record Key(String resourceKey, String day, String meter) {
        }
        Map<Key, Object[]> sums = new LinkedHashMap<>();
        for (Reading.Executions e : executions) {
            Reading.Resource res = e.resource();
            for (Reading.Quantity q : e.quantities()) {
                Object[] row = sums.computeIfAbsent(new Key(res.key(), e.day().toString(), q.meterName()), k -> new Object[]{
                        res, e.day().toString(), q, BigDecimal.ZERO, 0L});
                row[3] = ((BigDecimal) row[3]).add(q.quantity());
                row[4] = (Long) row[4] + 1;
            }
        }
        if (sums.isEmpty()) {
            return;
        }
        Columns c = new Columns(14);
        for (Object[] row : sums.values()) {
            Reading.Resource res = (Reading.Resource) row[0];
            Reading.Quantity q = (Reading.Quantity) row[2];
            c.add(res.key(), (String) row[1], q.meterName(), q.meterCategory(), q.unitOfMeasure(), res.id(), res.type(),
                    res.subscriptionId().toLowerCase(Locale.ROOT), res.subscriptionId(), res.resourceGroup(), res.name(),
                    res.location(), ((BigDecimal) row[3]).toPlainString(), row[4].toString());
        }
        c.insert("""
                insert into execution_usage(resource_key, usage_date, meter_name, meter_category, unit_of_measure,
                    resource_id, resource_type, subscription_key, subscription_id, resource_group, resource_name,
                    location, quantity, events)
                select a, b::date, c, d, e, f, g, h, i, j, k, l, m::numeric, n::bigint
                from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                            ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                     as x(a, b, c, d, e, f, g, h, i, j, k, l, m, n)
                on conflict (resource_key, usage_date, meter_name) do update
                set quantity = execution_usage.quantity + excluded.quantity,
                    events = execution_usage.events + excluded.events,
                    resource_id = excluded.resource_id, resource_group = excluded.resource_group,
                    resource_name = excluded.resource_name""");
    }

    void rejections(List<Entry> rejected, List<String> reasons) {
        if (rejected.isEmpty()) {
            return;
        }
        Columns c = new Columns(8);
        for (int i = 0; i < rejected.size(); i++) {
            Entry e = rejected.get(i);
            c.add(e.topic(), Integer.toString(e.partition()), Long.toString(e.offset()), e.eventId(), e.eventType(),
                    e.subject(), reasons.get(i), e.payload() == null ? "" : e.payload());
        }
        c.insert("""
                insert into rejected_event(topic, kafka_partition, kafka_offset, event_id, event_type, subject, reason, payload)
                select a, b::int, c::bigint, d, e, f, g, h
                from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                     as x(a, b, c, d, e, f, g, h)
                on conflict do nothing""");
    }

    private static Array text(Connection c, java.util.Collection<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray(new String[0]));
    }

    /** Column-wise values of a multi-row insert, bound as one text array per column. */
    private final class Columns {
        private final List<List<String>> columns = new ArrayList<>();

        Columns(int n) {
            for (int i = 0; i < n; i++) {
                columns.add(new ArrayList<>());
            }
        }

        void add(String... values) {
            for (int i = 0; i < values.length; i++) {
                columns.get(i).add(values[i]);
            }
        }

        void insert(String sql) {
            if (columns.getFirst().isEmpty()) {
                return;
            }
            jdbc.execute((Connection c) -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < columns.size(); i++) {
                        ps.setArray(i + 1, text(c, columns.get(i)));
                    }
                    return ps.executeUpdate();
                }
            });
        }
    }
}
