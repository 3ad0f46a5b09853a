package dev.cirrus.placement.maintenance;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.cirrus.contracts.events.PlacementData;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The maintenance table, and the allocations a wave reboots. Every method runs in the caller's transaction. */
@Repository
class MaintenanceRepository {

    private final JdbcTemplate jdbc;

    MaintenanceRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Maintenance> find(String id) {
        return jdbc.query("select * from maintenance where id = ?", MaintenanceRepository::maintenance, id).stream()
                .findFirst();
    }

    boolean clusterExists(String region, String cluster) {
        return !jdbc.queryForList("select 1 from host where region = ? and cluster = ? limit 1", region, cluster)
                .isEmpty();
    }

    /** The running maintenances whose next step is due, locked (others skipped: another engine is on them). */
    List<Maintenance> dueForUpdate(Instant now) {
        return jdbc.query("select * from maintenance where state <> 'Completed' and due_at <= ? order by due_at"
                + " for update skip locked", MaintenanceRepository::maintenance, Timestamp.from(now));
    }

    /** @throws org.springframework.dao.DuplicateKeyException when one already runs on the cluster */
    void insert(Maintenance m) {
        jdbc.update("""
                insert into maintenance (id, region, cluster, state, waves, wave, wave_vms, pause_ms, due_at, started_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, m.id(), m.region(), m.cluster(), m.state().name(), m.waves(), m.wave(),
                m.waveVms().toArray(String[]::new), m.pause().toMillis(), Timestamp.from(m.dueAt()),
                Timestamp.from(m.startedAt()));
    }

    void update(Maintenance m) {
        jdbc.update("update maintenance set state = ?, wave = ?, wave_vms = ?, due_at = ? where id = ?",
                m.state().name(), m.wave(), m.waveVms().toArray(String[]::new), Timestamp.from(m.dueAt()), m.id());
    }

    /** 1 + the highest update domain of the cluster's VMs (at least 1). */
    int updateDomainsInUse(String region, String cluster) {
        Integer max = jdbc.queryForObject(
                "select max(update_domain) from allocation where region = ? and cluster = ?", Integer.class,
                region, cluster);
        return max == null ? 1 : max + 1;
    }

    /** The VMs of the cluster in one update domain, by vmId, with their resource ids and where they run. */
    List<Map.Entry<String, PlacementData>> vmsInUpdateDomain(String region, String cluster, int updateDomain) {
        return jdbc.query("select * from allocation where region = ? and cluster = ? and update_domain = ?"
                + " order by vm_id", MaintenanceRepository::vm, region, cluster, updateDomain);
    }

    /** The VMs still placed among {@code vmIds}, by vmId. */
    List<Map.Entry<String, PlacementData>> vms(List<String> vmIds) {
        return jdbc.query("select * from allocation where vm_id = any (?) order by vm_id", MaintenanceRepository::vm,
                (Object) vmIds.toArray(String[]::new));
    }

    private static Map.Entry<String, PlacementData> vm(ResultSet rs, int row) throws SQLException {
        return Map.entry(rs.getString("resource_id"), new PlacementData(rs.getString("vm_id"), rs.getString("host"),
                rs.getString("rack"), rs.getString("cluster"), rs.getString("region"), rs.getInt("fault_domain"),
                rs.getInt("update_domain"), rs.getInt("vcpus"), rs.getInt("memory_mib")));
    }

    private static Maintenance maintenance(ResultSet rs, int row) throws SQLException {
        Array vms = rs.getArray("wave_vms");
        return new Maintenance(rs.getString("id"), rs.getString("region"), rs.getString("cluster"),
                Maintenance.State.valueOf(rs.getString("state")), rs.getInt("waves"), rs.getInt("wave"),
                Arrays.asList((String[]) vms.getArray()), Duration.ofMillis(rs.getLong("pause_ms")),
                rs.getTimestamp("due_at").toInstant(), rs.getTimestamp("started_at").toInstant());
    }
}
