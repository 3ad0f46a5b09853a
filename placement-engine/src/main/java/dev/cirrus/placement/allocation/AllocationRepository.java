package dev.cirrus.placement.allocation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The allocation table. Every method runs in the caller's transaction. */
@Repository
class AllocationRepository {

    private final JdbcTemplate jdbc;

    AllocationRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Allocation> find(String vmId) {
        return jdbc.query("select * from allocation where vm_id = ?", AllocationRepository::allocation, vmId)
                .stream().findFirst();
    }

    /** @throws org.springframework.dao.DuplicateKeyException when the VM was placed meanwhile */
    void insert(Allocation a) {
        PlacementGroup g = a.group();
        jdbc.update("""
                insert into allocation (vm_id, resource_id, region, cluster, rack, host, fault_domain, update_domain,
                                        size_name, vcpus, memory_mib, group_id, group_kind, group_fault_domains,
                                        group_update_domains, allocated_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, a.vmId(), a.resourceId(), a.region(), a.cluster(), a.rack(), a.host(), a.faultDomain(),
                a.updateDomain(), a.size().name(), a.size().vcpus(), a.size().memoryMib(), a.groupId(),
                g == null ? null : g.kind().name(), g == null ? null : g.faultDomainCount(),
                g == null ? null : g.updateDomainCount(), Timestamp.from(a.allocatedAt()));
    }

    /** Records that the VM now runs where {@code a} says; false when it was released meanwhile. */
    boolean move(Allocation a) {
        return 1 == jdbc.update("update allocation set region = ?, cluster = ?, rack = ?, host = ?, fault_domain = ? "
                + "where vm_id = ?", a.region(), a.cluster(), a.rack(), a.host(), a.faultDomain(), a.vmId());
    }

    /** Deletes the VM's allocation and returns what it was. */
    Optional<Allocation> delete(String vmId) {
        return jdbc.query("delete from allocation where vm_id = ? returning *", AllocationRepository::allocation, vmId)
                .stream().findFirst();
    }

    /** The members of a set, by vmId. */
    List<Allocation> ofGroup(String groupKey) {
        return jdbc.query("select * from allocation where group_id = ? order by vm_id", AllocationRepository::allocation,
                groupKey);
    }

    List<Allocation> onHosts(List<String> hosts) {
        return jdbc.query("select * from allocation where host = any (?) order by vm_id",
                AllocationRepository::allocation, (Object) hosts.toArray(String[]::new));
    }

    List<Allocation> onRack(String cluster, String rack) {
        return jdbc.query("select * from allocation where cluster = ? and rack = ? order by vm_id",
                AllocationRepository::allocation, cluster, rack);
    }

    private static Allocation allocation(ResultSet rs, int row) throws SQLException {
        String groupId = rs.getString("group_id");
        String kind = rs.getString("group_kind");
        PlacementGroup group = groupId == null || kind == null ? null
                : new PlacementGroup(PlacementGroup.Kind.valueOf(kind), groupId, rs.getInt("group_fault_domains"),
                        rs.getInt("group_update_domains"));
        return new Allocation(rs.getString("vm_id"), rs.getString("resource_id"), rs.getString("region"),
                rs.getString("cluster"), rs.getString("rack"), rs.getString("host"), rs.getInt("fault_domain"),
                rs.getInt("update_domain"),
                new VmSize(rs.getString("size_name"), rs.getInt("vcpus"), rs.getInt("memory_mib")),
                groupId, group, rs.getTimestamp("allocated_at").toInstant());
    }
}
