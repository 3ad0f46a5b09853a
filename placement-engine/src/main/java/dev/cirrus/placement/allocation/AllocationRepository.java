package dev.cirrus.placement.allocation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The allocation table: reads (the engine's own writes go through {@link GroupCommit}). Get and the listings by set
 * or host are answered from the engine's in-memory state ({@link Placements}), so only the load and the listing by
 * rack read here.
 */
@Repository
class AllocationRepository {

    private final JdbcTemplate jdbc;

    AllocationRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every allocation: what the engine loads when it starts. */
    List<Allocation> all() {
        return jdbc.query("select * from allocation", AllocationRepository::allocation);
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
