package dev.cirrus.billing.meter;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The VM meters and their billed intervals (tables {@code vm_meter}, {@code vm_usage_interval}). */
@Repository
class VmMeterRepository {

    private final JdbcTemplate jdbc;

    VmMeterRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The meter of a VM, locked for the rest of the transaction; created empty on the VM's first event. */
    VmMeter lock(String key) {
        jdbc.update("insert into vm_meter(vm_key) values (?) on conflict do nothing", key);
        Instant last = jdbc.queryForObject("select last_transition_at from vm_meter where vm_key = ? for update",
                (rs, i) -> instant(rs.getObject(1, OffsetDateTime.class)), key);
        List<Instant> open = jdbc.query(
                "select started_at from vm_usage_interval where vm_key = ? and ended_at is null",
                (rs, i) -> instant(rs.getObject(1, OffsetDateTime.class)), key);
        return new VmMeter(key, last, open.isEmpty() ? null : open.getFirst());
    }

    /** Stores an applied transition: closes and opens intervals and moves the meter's last transition. */
    void save(VmTransition t, MeterChange.Applied change) {
        if (change.closeAt() != null) {
            jdbc.update("update vm_usage_interval set ended_at = ?, closed_by_event = ? where vm_key = ? and ended_at is null",
                    time(change.closeAt()), t.eventId(), t.key());
        }
        MeterChange.NewInterval open = change.open();
        if (open != null) {
            jdbc.update("""
                    insert into vm_usage_interval(vm_key, resource_id, subscription_key, subscription_id, resource_group,
                        resource_name, location, vm_size, hourly_price, currency, started_at, opened_by_event)
                    values (?,?,?,?,?,?,?,?,?,?,?,?)""",
                    t.key(), open.resourceId(), open.subscriptionId().toLowerCase(Locale.ROOT), open.subscriptionId(),
                    open.resourceGroup(), open.resourceName(), open.location(), open.vmSize(), open.hourlyPrice(),
                    open.currency(), time(open.startedAt()), open.openedByEvent());
        }
        jdbc.update("""
                update vm_meter set last_transition_at = ?, last_event_id = ?, last_event_type = ?, power_state = ?
                where vm_key = ?""", time(t.time()), t.eventId(), t.eventType(), t.powerState(), t.key());
    }

    private static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
