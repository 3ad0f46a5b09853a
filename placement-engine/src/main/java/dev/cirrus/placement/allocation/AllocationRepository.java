package dev.cirrus.placement.allocation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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
        jdbc.update("""
                insert into allocation (vm_id, resource_id, region, cluster, rack, host, fault_domain, update_domain,
                                        size_name, vcpus, memory_mib, group_id, allocated_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, a.vmId(), a.resourceId(), a.region(), a.cluster(), a.rack(), a.host(), a.faultDomain(),
                a.updateDomain(), a.size().name(), a.size().vcpus(), a.size().memoryMib(), a.groupId(),
                Timestamp.from(a.allocatedAt()));
    }

    /** Deletes the VM's allocation and returns what it was. */
    Optional<Allocation> delete(String vmId) {
        return jdbc.query("delete from allocation where vm_id = ? returning *", AllocationRepository::allocation, vmId)
                .stream().findFirst();
    }

    private static Allocation allocation(ResultSet rs, int row) throws SQLException {
        return new Allocation(rs.getString("vm_id"), rs.getString("resource_id"), rs.getString("region"),
                rs.getString("cluster"), rs.getString("rack"), rs.getString("host"), rs.getInt("fault_domain"),
                rs.getInt("update_domain"),
                new VmSize(rs.getString("size_name"), rs.getInt("vcpus"), rs.getInt("memory_mib")),
                rs.getString("group_id"), rs.getTimestamp("allocated_at").toInstant());
    }
}
