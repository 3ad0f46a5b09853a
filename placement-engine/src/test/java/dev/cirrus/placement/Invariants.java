package dev.cirrus.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The allocator's invariants, read from the database in one snapshot: no host over-committed; every set in one
 * cluster, each of its fault domains one rack and each rack one of its fault domains, every domain in range.
 */
final class Invariants {

    private Invariants() {
    }

    static void check(JdbcTemplate jdbc) {
        assertThat(jdbc.queryForList("""
                select h.name from host h join allocation a on a.host = h.name
                group by h.name, h.vcpus, h.memory_mib
                having sum(a.vcpus) > h.vcpus or sum(a.memory_mib) > h.memory_mib
                """, String.class)).as("over-committed hosts").isEmpty();
        assertThat(jdbc.queryForList("""
                select group_id from allocation where group_id is not null group by group_id
                having count(distinct cluster) > 1
                """, String.class)).as("sets spread over several clusters").isEmpty();
        assertThat(jdbc.queryForList("""
                select group_id || ' FD ' || fault_domain from allocation where group_id is not null
                group by group_id, fault_domain having count(distinct rack) > 1
                """, String.class)).as("fault domains of a set on several racks").isEmpty();
        assertThat(jdbc.queryForList("""
                select group_id || ' rack ' || rack from allocation where group_id is not null
                group by group_id, rack having count(distinct fault_domain) > 1
                """, String.class)).as("racks holding several fault domains of a set").isEmpty();
        assertThat(jdbc.queryForList("""
                select vm_id from allocation where group_kind = 'AVAILABILITY_SET'
                and (fault_domain >= group_fault_domains or update_domain >= group_update_domains)
                """, String.class)).as("VMs outside their set's domains").isEmpty();
    }

    /** The fault-domain skew of a scale set with a fixed fault-domain count: max - min over its domains. */
    static int skew(JdbcTemplate jdbc, String groupKey, int faultDomains) {
        int[] counts = new int[faultDomains];
        List<Map<String, Object>> rows = jdbc.queryForList(
                "select fault_domain, count(*) as n from allocation where group_id = ? group by fault_domain",
                groupKey);
        for (Map<String, Object> row : rows) {
            counts[((Number) row.get("fault_domain")).intValue()] = ((Number) row.get("n")).intValue();
        }
        int max = 0;
        int min = Integer.MAX_VALUE;
        for (int c : counts) {
            max = Math.max(max, c);
            min = Math.min(min, c);
        }
        return rows.isEmpty() ? 0 : max - min;
    }
}
