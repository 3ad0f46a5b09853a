package dev.cirrus.computecontainer.cluster;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import dev.cirrus.plumbing.arm.KeysetPage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/** The tables of db/migration/V3__managed_clusters.sql. */
@Repository
public class ClusterRepository {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    ClusterRepository(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public Optional<ManagedCluster> find(String key) {
        return jdbc.query("select cluster from managed_clusters where resource_key = ?", this::map,
                key.toLowerCase(Locale.ROOT)).stream().findFirst();
    }

    public Optional<ManagedCluster> findForUpdate(String key) {
        return jdbc.query("select cluster from managed_clusters where resource_key = ? for update", this::map,
                key.toLowerCase(Locale.ROOT)).stream().findFirst();
    }

    /** The cluster whose node resource group is {@code nodeGroup} in the subscription, if any. */
    Optional<ManagedCluster> findByNodeGroup(String sub, String nodeGroup) {
        return jdbc.query("select cluster from managed_clusters where subscription_key = ? and node_group_key = ?",
                this::map, sub.toLowerCase(Locale.ROOT), nodeGroup.toLowerCase(Locale.ROOT)).stream().findFirst();
    }

    List<ManagedCluster> list(String sub, String rgOrNull, String after, int limit) {
        KeysetPage page = KeysetPage.of("select cluster from managed_clusters where true", sub, rgOrNull, after, limit);
        return jdbc.query(page.sql(), this::map, page.params().toArray());
    }

    /** The clusters whose operation is under way: the worker's work. */
    List<String> busy() {
        return jdbc.queryForList("select resource_key from managed_clusters where provisioning_state not in"
                + " ('Succeeded', 'Failed') order by resource_key", String.class);
    }

    void insert(ManagedCluster c) {
        jdbc.update("insert into managed_clusters(resource_key, subscription_key, resource_group_key, node_group_key,"
                        + " cluster, provisioning_state, etag) values (?,?,?,?,?::jsonb,?,?)",
                c.key(), c.subscriptionId().toLowerCase(Locale.ROOT), c.resourceGroup().toLowerCase(Locale.ROOT),
                c.nodeResourceGroup().toLowerCase(Locale.ROOT), json.writeValueAsString(c), c.provisioningState(),
                c.etag());
    }

    void update(ManagedCluster c) {
        jdbc.update("update managed_clusters set cluster = ?::jsonb, provisioning_state = ?, etag = ?"
                + " where resource_key = ?", json.writeValueAsString(c), c.provisioningState(), c.etag(), c.key());
    }

    void delete(String key) {
        jdbc.update("delete from managed_clusters where resource_key = ?", key);
    }

    /** The nodes of a cluster (of every pool), by pool and instance id, with where each runs. */
    public List<ClusterNode> nodes(String key) {
        return jdbc.query("select n.*, p.host, p.rack, p.fault_domain, p.update_domain, coalesce(p.stranded, false) as stranded from cluster_nodes n"
                + " left join vm_placements p on p.vm_id = n.vm_id where n.resource_key = ?"
                + " order by n.pool, length(n.instance_id), n.instance_id", ClusterRepository::node, key);
    }

    void insertNode(String key, ClusterNode n) {
        jdbc.update("insert into cluster_nodes(resource_key, pool, instance_id, name, vm_id, orchestrator_version, state,"
                        + " created_at) values (?,?,?,?,?,?,?,?) on conflict do nothing", key, n.pool(), n.instanceId(),
                n.name(), n.vmId(), n.orchestratorVersion(), n.state(), Timestamp.from(n.createdAt()));
    }

    void setNodeState(String key, String pool, String instanceId, String state, Instant now) {
        String column = "Cordoned".equals(state) ? "cordoned_at" : "drained_at";
        jdbc.update("update cluster_nodes set state = ?, " + column + " = ? where resource_key = ? and pool = ?"
                + " and instance_id = ?", state, Timestamp.from(now), key, pool, instanceId);
    }

    void deleteNode(String key, String pool, String instanceId) {
        jdbc.update("delete from cluster_nodes where resource_key = ? and pool = ? and instance_id = ?", key, pool,
                instanceId);
    }

    void deleteNodes(String key, String pool) {
        jdbc.update("delete from cluster_nodes where resource_key = ? and pool = ?", key, pool);
    }

    /** The cluster key and pool of the node whose VM is {@code vmId}, if it is one. */
    Optional<String[]> nodeOfVm(UUID vmId) {
        return jdbc.query("select resource_key, pool, instance_id, name from cluster_nodes where vm_id = ?",
                (rs, i) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)}, vmId)
                .stream().findFirst();
    }

    void placed(UUID vmId, String host, String rack, Integer faultDomain, Integer updateDomain, boolean stranded,
                Instant now) {
        jdbc.update("insert into vm_placements(vm_id, host, rack, fault_domain, update_domain, stranded, updated_at)"
                + " values (?,?,?,?,?,?,?) on conflict (vm_id) do update set host = excluded.host, rack = excluded.rack,"
                + " fault_domain = excluded.fault_domain, update_domain = excluded.update_domain,"
                + " stranded = excluded.stranded, updated_at = excluded.updated_at", vmId, host, rack, faultDomain,
                updateDomain, stranded, Timestamp.from(now));
    }

    /** The Succeeded clusters with a node on a failed host, or whose repair is under way: auto-repair's work. */
    List<String> toRepair() {
        return jdbc.queryForList("select c.resource_key from managed_clusters c where c.provisioning_state ="
                + " 'Succeeded' and (c.repairing or exists (select 1 from cluster_nodes n join vm_placements p"
                + " on p.vm_id = n.vm_id where n.resource_key = c.resource_key and p.stranded)) order by 1",
                String.class);
    }

    void setRepairing(String key, boolean repairing) {
        jdbc.update("update managed_clusters set repairing = ? where resource_key = ?", repairing, key);
    }

    void released(UUID vmId) {
        jdbc.update("delete from vm_placements where vm_id = ?", vmId);
    }

    private ManagedCluster map(ResultSet rs, int row) throws SQLException {
        return json.readValue(rs.getString(1), ManagedCluster.class);
    }

    private static ClusterNode node(ResultSet rs, int row) throws SQLException {
        return new ClusterNode(rs.getString("pool"), rs.getString("instance_id"), rs.getString("name"),
                rs.getObject("vm_id", UUID.class), rs.getString("orchestrator_version"), rs.getString("state"),
                rs.getTimestamp("created_at").toInstant(), rs.getString("host"), rs.getString("rack"),
                (Integer) rs.getObject("fault_domain"), (Integer) rs.getObject("update_domain"),
                rs.getBoolean("stranded"));
    }
}
