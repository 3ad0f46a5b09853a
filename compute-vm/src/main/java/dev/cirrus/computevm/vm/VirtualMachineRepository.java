package dev.cirrus.computevm.vm;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.cirrus.computevm.operation.OperationError;
import dev.cirrus.plumbing.arm.KeysetPage;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** The virtual_machines table. Every write gives the VM a new ETag. */
@Repository
class VirtualMachineRepository {

    private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> ZONES = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    VirtualMachineRepository(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(VirtualMachine vm) {
        vm.etag(newEtag());
        VmRef ref = vm.ref();
        jdbc.sql("""
                        insert into virtual_machines(resource_key, subscription_key, resource_group_key, subscription_id,
                            resource_group, name, location, vm_id, vm_size, vcpus, memory_mib, profile, tags, zones,
                            provisioning_state, power_state, host, cluster, rack, fault_domain, update_domain,
                            error_code, error_message, operation_id, etag, platform_status, platform_message,
                            platform_status_at, time_created, state_changed_at, availability_set_key,
                            availability_set_id, availability_set_fd, availability_set_ud, scale_set_key, scale_set_id,
                            scale_set_fd, uniform_scale_set, instance_seq, model_version, protect_from_scale_in,
                            protect_from_set_actions)
                        values (?,?,?,?,?,?,?,?,?,?,?,?::jsonb,?::jsonb,?::jsonb,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,
                                ?,?,?,?,?,?,?,?)""")
                .params(ref.key(), ref.subscriptionId().toLowerCase(Locale.ROOT),
                        ref.resourceGroup().toLowerCase(Locale.ROOT), ref.subscriptionId(), ref.resourceGroup(),
                        ref.name(), vm.location(), vm.vmId(), vm.size().name(), vm.size().vcpus(), vm.size().memoryMib(),
                        json.writeValueAsString(vm.profile()), json.writeValueAsString(vm.tags()),
                        vm.zones() == null ? null : json.writeValueAsString(vm.zones()))
                .params(stateParams(vm))
                .param(Timestamp.from(vm.timeCreated()))
                .param(Timestamp.from(vm.stateChangedAt()))
                .param(vm.availabilitySet() == null ? null : vm.availabilitySet().key())
                .param(vm.availabilitySet() == null ? null : vm.availabilitySet().id())
                .param(vm.availabilitySet() == null ? null : vm.availabilitySet().faultDomainCount())
                .param(vm.availabilitySet() == null ? null : vm.availabilitySet().updateDomainCount())
                .param(vm.scaleSet() == null ? null : vm.scaleSet().key())
                .param(vm.scaleSet() == null ? null : vm.scaleSet().id())
                .param(vm.scaleSet() == null ? null : vm.scaleSet().faultDomainCount())
                .param(ref.scaleSet())
                .param(vm.scaleSet() == null ? null : vm.scaleSet().instanceSeq())
                .param(vm.scaleSet() == null ? null : vm.scaleSet().modelVersion())
                .param(vm.scaleSet() != null && vm.scaleSet().protectFromScaleIn())
                .param(vm.scaleSet() != null && vm.scaleSet().protectFromScaleSetActions())
                .update();
    }

    void update(VirtualMachine vm) {
        vm.etag(newEtag());
        VmRef ref = vm.ref();
        int rows = jdbc.sql("""
                        update virtual_machines set resource_group = ?, name = ?, tags = ?::jsonb,
                            provisioning_state = ?, power_state = ?, host = ?, cluster = ?, rack = ?, fault_domain = ?,
                            update_domain = ?, error_code = ?, error_message = ?, operation_id = ?, etag = ?,
                            platform_status = ?, platform_message = ?, platform_status_at = ?, state_changed_at = ?,
                            uniform_scale_set = ?, model_version = ?, protect_from_scale_in = ?,
                            protect_from_set_actions = ?, profile = ?::jsonb
                        where resource_key = ?""")
                .params(ref.resourceGroup(), ref.name(), json.writeValueAsString(vm.tags()))
                .params(stateParams(vm))
                .param(Timestamp.from(vm.stateChangedAt()))
                .param(ref.scaleSet())
                .param(vm.scaleSet() == null ? null : vm.scaleSet().modelVersion())
                .param(vm.scaleSet() != null && vm.scaleSet().protectFromScaleIn())
                .param(vm.scaleSet() != null && vm.scaleSet().protectFromScaleSetActions())
                .param(json.writeValueAsString(vm.profile()))
                .param(ref.key())
                .update();
        if (rows != 1) {
            throw new IllegalStateException("VM " + ref.id() + " vanished during an update");
        }
    }

    void delete(VirtualMachine vm) {
        jdbc.sql("delete from virtual_machines where resource_key = ?").param(vm.ref().key()).update();
    }

    Optional<VirtualMachine> find(String key) {
        return jdbc.sql("select * from virtual_machines where resource_key = ?").param(key).query(this::map).optional();
    }

    /** Reads and locks the row until the transaction ends: the one way to change a VM. */
    Optional<VirtualMachine> findForUpdate(String key) {
        return jdbc.sql("select * from virtual_machines where resource_key = ? for update").param(key)
                .query(this::map).optional();
    }

    /**
     * Up to {@code limit} VMs of a subscription (or of one of its resource groups) whose key sorts after
     * {@code afterKey}, in key order: keyset paging.
     */
    List<VirtualMachine> list(String subscriptionId, String resourceGroupOrNull, String afterKey, int limit) {
        // a Uniform scale set's instances are listed under their set, not here (Flexible ones are plain VMs)
        KeysetPage page = KeysetPage.of("select * from virtual_machines where uniform_scale_set is null", subscriptionId,
                resourceGroupOrNull, afterKey, limit);
        return jdbc.sql(page.sql()).params(page.params()).query(this::map).list();
    }

    /** The instances of one scale set (lower-cased id), in instance order. */
    List<VirtualMachine> listScaleSet(String scaleSetKey) {
        return jdbc.sql("select * from virtual_machines where scale_set_key = ? order by instance_seq, resource_key")
                .param(scaleSetKey).query(this::map).list();
    }

    /** The same, each row locked until the transaction ends. */
    List<VirtualMachine> listScaleSetForUpdate(String scaleSetKey) {
        return jdbc.sql("select * from virtual_machines where scale_set_key = ? order by instance_seq, resource_key "
                        + "for update")
                .param(scaleSetKey).query(this::map).list();
    }

    /**
     * Serializes quota decisions of one subscription in one region until the transaction ends, so two creates
     * cannot both take the last vCPUs.
     */
    void lockQuota(String subscriptionId, String location) {
        jdbc.sql("select pg_advisory_xact_lock(hashtext(?))")
                .param("quota:" + subscriptionId.toLowerCase(Locale.ROOT) + ":" + location)
                .query((rs, i) -> 1).list();
    }

    /** The vCPUs and VMs a subscription holds in a region: every VM not deallocated and not failed without a host. */
    QuotaUse quotaUse(String subscriptionId, String location) {
        return jdbc.sql("""
                        select coalesce(sum(vcpus) filter (where coalesce(power_state, '') <> 'deallocated'
                                   and not (provisioning_state = 'Failed' and host is null)), 0) as vcpus,
                               count(*) as vms
                        from virtual_machines where subscription_key = ? and location = ?""")
                .params(subscriptionId.toLowerCase(Locale.ROOT), location)
                .query((rs, i) -> new QuotaUse(rs.getInt("vcpus"), rs.getInt("vms"))).single();
    }

    /** What counts against the quotas of one subscription in one region. */
    record QuotaUse(int vcpus, int vms) {
    }

    /** The VM whose placement engine id is {@code vmId}, locked (for the reactions to placement events). */
    Optional<VirtualMachine> findByVmIdForUpdate(UUID vmId) {
        return jdbc.sql("select * from virtual_machines where vm_id = ? for update").param(vmId)
                .query(this::map).optional();
    }

    private static List<Object> stateParams(VirtualMachine vm) {
        Placement p = vm.placement();
        OperationError f = vm.failure();
        List<Object> values = new ArrayList<>();
        values.add(vm.provisioningState().name());
        values.add(vm.powerState() == null ? null : vm.powerState().name());
        values.add(p == null ? null : p.host());
        values.add(p == null ? null : p.cluster());
        values.add(p == null ? null : p.rack());
        values.add(p == null ? null : p.faultDomain());
        values.add(p == null ? null : p.updateDomain());
        values.add(f == null ? null : f.code());
        values.add(f == null ? null : f.message());
        values.add(vm.operationId());
        values.add(vm.etag());
        PlatformStatus ps = vm.platformStatus();
        values.add(ps == null ? null : ps.state().name());
        values.add(ps == null ? null : ps.message());
        values.add(ps == null ? null : Timestamp.from(ps.time()));
        return values;
    }

    private VirtualMachine map(ResultSet rs, int row) throws SQLException {
        String host = rs.getString("host");
        Placement placement = host == null ? null : new Placement(host, rs.getString("cluster"), rs.getString("rack"),
                rs.getInt("fault_domain"), rs.getInt("update_domain"));
        String errorCode = rs.getString("error_code");
        String power = rs.getString("power_state");
        String zones = rs.getString("zones");
        String setKey = rs.getString("availability_set_key");
        String platform = rs.getString("platform_status");
        String scaleSetKey = rs.getString("scale_set_key");
        return new VirtualMachine(
                new VmRef(rs.getString("subscription_id"), rs.getString("resource_group"), rs.getString("name"),
                        rs.getString("uniform_scale_set")),
                rs.getString("location"),
                rs.getObject("vm_id", UUID.class),
                new VirtualMachine.SizeFacts(rs.getString("vm_size"), rs.getInt("vcpus"), rs.getInt("memory_mib")),
                json.readValue(rs.getString("profile"), VmProfile.class),
                json.readValue(rs.getString("tags"), TAGS),
                zones == null ? null : json.readValue(zones, ZONES),
                ProvisioningState.valueOf(rs.getString("provisioning_state")),
                power == null ? null : PowerState.valueOf(power),
                placement,
                errorCode == null ? null : new OperationError(errorCode, rs.getString("error_message")),
                rs.getObject("operation_id", UUID.class),
                setKey == null ? null : new AvailabilitySetRef(rs.getString("availability_set_id"),
                        rs.getInt("availability_set_fd"), rs.getInt("availability_set_ud")),
                platform == null ? null : new PlatformStatus(PlatformStatus.State.valueOf(platform),
                        rs.getString("platform_message"), rs.getTimestamp("platform_status_at").toInstant()),
                rs.getString("etag"),
                rs.getTimestamp("time_created").toInstant(),
                rs.getTimestamp("state_changed_at").toInstant(),
                scaleSetKey == null ? null : new ScaleSetMembership(rs.getString("scale_set_id"),
                        rs.getInt("scale_set_fd"), rs.getLong("instance_seq"), rs.getInt("model_version"),
                        rs.getBoolean("protect_from_scale_in"), rs.getBoolean("protect_from_set_actions")));
    }

    /** Quoted, as HTTP wants an entity tag; a random value, so it changes on every write. */
    private static String newEtag() {
        return "\"" + UUID.randomUUID() + "\"";
    }
}
