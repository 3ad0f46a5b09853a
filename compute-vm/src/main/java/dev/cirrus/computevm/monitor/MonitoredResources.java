package dev.cirrus.computevm.monitor;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What the monitor reads of the VMs and scale sets (their tables: vm/VirtualMachineRepository.java,
 * scaleset/ScaleSetRepository.java): which resource an id names, and which VMs run now. Read only.
 */
@Repository
class MonitoredResources {

    /** A VM, a Uniform instance or a scale set, by its lower-cased id. */
    record Target(String key, Kind kind, String location) {
    }

    enum Kind { VIRTUAL_MACHINE, SCALE_SET }

    /** A VM whose power state is running: it produces a sample every minute. */
    record Running(String key, String scaleSetKey, String displayName, long memoryMib) {
    }

    private final JdbcClient jdbc;

    MonitoredResources(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Target> find(String key) {
        Optional<Target> vm = jdbc.sql("select location from virtual_machines where resource_key = ?")
                .param(key).query(String.class).optional()
                .map(location -> new Target(key, Kind.VIRTUAL_MACHINE, location));
        if (vm.isPresent()) {
            return vm;
        }
        return jdbc.sql("select location from scale_sets where resource_key = ?").param(key)
                .query(String.class).optional().map(location -> new Target(key, Kind.SCALE_SET, location));
    }

    List<Running> running() {
        return jdbc.sql("""
                        select resource_key, scale_set_key, coalesce(uniform_scale_set || '_' || name, name) display_name,
                               memory_mib
                        from virtual_machines where power_state = 'running'""")
                .query((rs, i) -> new Running(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)))
                .list();
    }
}
