package dev.cirrus.placement.inventory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The hosts and regions tables. Every method runs in the caller's transaction. */
@Repository
public class InventoryRepository {

    private static final String HOSTS_WITH_USAGE = """
            select h.name, h.region, h.cluster, h.rack, h.fault_domain, h.state, h.vcpus, h.memory_mib,
                   coalesce(sum(a.vcpus), 0) as used_vcpus, coalesce(sum(a.memory_mib), 0) as used_memory_mib,
                   count(a.vm_id) as allocations
            from host h left join allocation a on a.host = h.name
            """;

    private final JdbcTemplate jdbc;

    InventoryRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** What a sync changed. */
    record SyncResult(int hosts, int regions, int retired) {
    }

    /**
     * Makes the tables match the inventory: upserts its regions and hosts (a retired host listed again is back in
     * service), retires hosts it no longer lists, and leaves every allocation as it is. Runs at start-up, before
     * the engine loads its state; locks every region row first, so two syncs never interleave.
     */
    SyncResult sync(Topology topology, Instant now) {
        Timestamp at = Timestamp.from(now);
        jdbc.batchUpdate("insert into region (name) values (?) on conflict do nothing",
                topology.regions().stream().map(r -> new Object[] {r}).toList());
        jdbc.query("select name from region order by name for update", rs -> { });
        jdbc.batchUpdate("""
                insert into host (name, region, cluster, rack, fault_domain, vcpus, memory_mib, state, synced_at)
                values (?, ?, ?, ?, ?, ?, ?, 'InService', ?)
                on conflict (name) do update set region = excluded.region, cluster = excluded.cluster,
                    rack = excluded.rack, fault_domain = excluded.fault_domain, vcpus = excluded.vcpus,
                    memory_mib = excluded.memory_mib, synced_at = excluded.synced_at,
                    state = case when host.state = 'Retired' then 'InService' else host.state end
                """, topology.hosts().stream().map(h -> new Object[] {h.name(), h.region(), h.cluster(), h.rack(),
                        h.faultDomain(), h.vcpus(), h.memoryMib(), at}).toList());
        String[] listed = topology.hosts().stream().map(Topology.Host::name).toArray(String[]::new);
        int retired = jdbc.update("update host set state = 'Retired', synced_at = ? "
                + "where state <> 'Retired' and name <> all (?)", at, listed);
        return new SyncResult(listed.length, topology.regions().size(), retired);
    }

    /** Every host of a region, retired ones included, by name. */
    public List<HostUsage> hosts(String region) {
        return jdbc.query(HOSTS_WITH_USAGE + " where h.region = ? group by h.name order by h.name collate \"C\"",
                InventoryRepository::host, region);
    }

    /** Every host, by region and name. */
    public List<HostUsage> hosts() {
        return jdbc.query(HOSTS_WITH_USAGE + " group by h.name order by h.region collate \"C\", h.name collate \"C\"",
                InventoryRepository::host);
    }

    /** The hosts an operator named: one host by name, or every host of a rack. */
    public List<HostUsage> select(String host, String cluster, String rack) {
        return host != null
                ? jdbc.query(HOSTS_WITH_USAGE + " where h.name = ? group by h.name", InventoryRepository::host, host)
                : jdbc.query(HOSTS_WITH_USAGE + " where h.cluster = ? and h.rack = ? group by h.name"
                        + " order by h.name collate \"C\"", InventoryRepository::host, cluster, rack);
    }

    /** Sets the state of the named hosts, except retired ones; returns the hosts whose state changed, by name. */
    public List<String> changeState(List<String> hosts, HostState to, List<HostState> from) {
        return jdbc.queryForList("update host set state = ? where name = any (?) and state = any (?) returning name",
                String.class, to.name(), hosts.toArray(String[]::new),
                from.stream().map(Enum::name).toArray(String[]::new)).stream().sorted().toList();
    }

    private static HostUsage host(ResultSet rs, int row) throws SQLException {
        return new HostUsage(rs.getString("name"), rs.getString("region"), rs.getString("cluster"),
                rs.getString("rack"), rs.getInt("fault_domain"), HostState.valueOf(rs.getString("state")),
                rs.getInt("vcpus"), rs.getLong("memory_mib"), rs.getLong("used_vcpus"),
                rs.getLong("used_memory_mib"), rs.getInt("allocations"));
    }
}
