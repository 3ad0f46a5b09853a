package dev.cirrus.computevm.batch.service;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The data plane's tables: batch_pools, batch_nodes, batch_jobs, batch_tasks. */
@Repository
class BatchStore {

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    BatchStore(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    static String idKey(String id) {
        return id.toLowerCase(Locale.ROOT);
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private JsonNode jsonColumn(ResultSet rs, String column) throws SQLException {
        String s = rs.getString(column);
        return s == null ? null : json.readTree(s);
    }

    private String text(JsonNode n) {
        return n == null ? null : json.writeValueAsString(n);
    }

    private static String etag() {
        return "0x" + UUID.randomUUID().toString().replace("-", "").substring(0, 15).toUpperCase(Locale.ROOT);
    }

    // ---- pools

    void insert(Pool p) {
        p.etag = etag();
        jdbc.sql("""
                        insert into batch_pools(account_key, id_key, id, spec, state, allocation_state, allocation_state_time,
                            target_dedicated, target_low_priority, deallocation_option, resize_errors, etag, created_at,
                            last_modified) values (?,?,?,?::jsonb,?,?,?,?,?,?,?::jsonb,?,?,?)""")
                .params(p.accountKey, p.key(), p.id, text(p.spec), p.state, p.allocationState, ts(p.allocationStateTime),
                        p.targetDedicated, p.targetLowPriority, p.deallocationOption, text(p.resizeErrors), p.etag,
                        ts(p.created), ts(p.lastModified))
                .update();
    }

    void update(Pool p) {
        p.etag = etag();
        jdbc.sql("""
                        update batch_pools set state = ?, allocation_state = ?, allocation_state_time = ?,
                            target_dedicated = ?, target_low_priority = ?, deallocation_option = ?,
                            resize_errors = ?::jsonb, etag = ?, last_modified = ? where account_key = ? and id_key = ?""")
                .params(p.state, p.allocationState, ts(p.allocationStateTime), p.targetDedicated, p.targetLowPriority,
                        p.deallocationOption, text(p.resizeErrors), p.etag, ts(p.lastModified), p.accountKey, p.key())
                .update();
    }

    void deletePool(String accountKey, String poolKey) {
        jdbc.sql("delete from batch_pools where account_key = ? and id_key = ?").params(accountKey, poolKey).update();
    }

    Optional<Pool> pool(String accountKey, String id) {
        return jdbc.sql("select * from batch_pools where account_key = ? and id_key = ?")
                .params(accountKey, idKey(id)).query(this::mapPool).optional();
    }

    Optional<Pool> poolForUpdate(String accountKey, String id) {
        return jdbc.sql("select * from batch_pools where account_key = ? and id_key = ? for update")
                .params(accountKey, idKey(id)).query(this::mapPool).optional();
    }

    List<Pool> pools(String accountKey) {
        return jdbc.sql("select * from batch_pools where account_key = ? order by id_key").param(accountKey)
                .query(this::mapPool).list();
    }

    /** Pools the scheduler has to look at: resizing, stopping or deleting ones, of every account. */
    List<Pool> poolsInMotion() {
        return jdbc.sql("select * from batch_pools where allocation_state <> 'steady' or state = 'deleting' "
                + "order by account_key, id_key").query(this::mapPool).list();
    }

    int poolCount(String accountKey) {
        return jdbc.sql("select count(*) from batch_pools where account_key = ?").param(accountKey)
                .query(Integer.class).single();
    }

    private Pool mapPool(ResultSet rs, int row) throws SQLException {
        return new Pool(rs.getString("account_key"), rs.getString("id"), jsonColumn(rs, "spec"), rs.getString("state"),
                rs.getString("allocation_state"), instant(rs, "allocation_state_time"), rs.getInt("target_dedicated"),
                rs.getInt("target_low_priority"), rs.getString("deallocation_option"), jsonColumn(rs, "resize_errors"),
                rs.getString("etag"), instant(rs, "created_at"), instant(rs, "last_modified"));
    }

    // ---- nodes

    void insert(Node n) {
        jdbc.sql("""
                        insert into batch_nodes(account_key, pool_key, node_id, vm_id, dedicated, state, scheduling_state,
                            host, fault_domain, update_domain, state_time, allocation_time, start_task_info)
                        values (?,?,?,?,?,?,?,?,?,?,?,?,?::jsonb)""")
                .params(n.accountKey, n.poolKey, n.id, n.vmId, n.dedicated, n.state, n.schedulingState, n.host,
                        n.faultDomain, n.updateDomain, ts(n.stateTime), ts(n.allocationTime), text(n.startTaskInfo))
                .update();
    }

    void update(Node n) {
        jdbc.sql("""
                        update batch_nodes set state = ?, scheduling_state = ?, host = ?, fault_domain = ?,
                            update_domain = ?, state_time = ?, start_task_info = ?::jsonb
                        where account_key = ? and pool_key = ? and node_id = ?""")
                .params(n.state, n.schedulingState, n.host, n.faultDomain, n.updateDomain, ts(n.stateTime),
                        text(n.startTaskInfo), n.accountKey, n.poolKey, n.id)
                .update();
    }

    void deleteNode(Node n) {
        jdbc.sql("delete from batch_nodes where account_key = ? and pool_key = ? and node_id = ?")
                .params(n.accountKey, n.poolKey, n.id).update();
    }

    List<Node> nodes(String accountKey, String poolKey) {
        return jdbc.sql("select * from batch_nodes where account_key = ? and pool_key = ? order by ordinal")
                .params(accountKey, poolKey).query(this::mapNode).list();
    }

    List<Node> allNodes() {
        return jdbc.sql("select * from batch_nodes order by account_key, pool_key, ordinal").query(this::mapNode).list();
    }

    Optional<Node> node(String accountKey, String poolKey, String nodeId) {
        return jdbc.sql("select * from batch_nodes where account_key = ? and pool_key = ? and node_id = ?")
                .params(accountKey, poolKey, nodeId).query(this::mapNode).optional();
    }

    private Node mapNode(ResultSet rs, int row) throws SQLException {
        return new Node(rs.getString("account_key"), rs.getString("pool_key"), rs.getString("node_id"),
                rs.getObject("vm_id", UUID.class), rs.getBoolean("dedicated"), rs.getString("state"),
                rs.getString("scheduling_state"), rs.getString("host"), (Integer) rs.getObject("fault_domain"),
                (Integer) rs.getObject("update_domain"), instant(rs, "state_time"), instant(rs, "allocation_time"),
                jsonColumn(rs, "start_task_info"));
    }

    // ---- jobs

    void insert(Job j) {
        j.etag = etag();
        jdbc.sql("""
                        insert into batch_jobs(account_key, id_key, id, spec, pool_key, state, state_time, terminate_reason,
                            end_time, etag, created_at, last_modified) values (?,?,?,?::jsonb,?,?,?,?,?,?,?,?)""")
                .params(j.accountKey, j.key(), j.id, text(j.spec), j.poolKey, j.state, ts(j.stateTime),
                        j.terminateReason, ts(j.endTime), j.etag, ts(j.created), ts(j.lastModified))
                .update();
    }

    void update(Job j) {
        j.etag = etag();
        jdbc.sql("""
                        update batch_jobs set state = ?, state_time = ?, terminate_reason = ?, end_time = ?, etag = ?,
                            last_modified = ? where account_key = ? and id_key = ?""")
                .params(j.state, ts(j.stateTime), j.terminateReason, ts(j.endTime), j.etag, ts(j.lastModified),
                        j.accountKey, j.key())
                .update();
    }

    void updateSpec(Job j) {
        jdbc.sql("update batch_jobs set spec = ?::jsonb where account_key = ? and id_key = ?")
                .params(text(j.spec), j.accountKey, j.key()).update();
    }

    void deleteJob(String accountKey, String jobKey) {
        jdbc.sql("delete from batch_jobs where account_key = ? and id_key = ?").params(accountKey, jobKey).update();
    }

    Optional<Job> job(String accountKey, String id) {
        return jdbc.sql("select * from batch_jobs where account_key = ? and id_key = ?").params(accountKey, idKey(id))
                .query(this::mapJob).optional();
    }

    Optional<Job> jobForUpdate(String accountKey, String id) {
        return jdbc.sql("select * from batch_jobs where account_key = ? and id_key = ? for update")
                .params(accountKey, idKey(id)).query(this::mapJob).optional();
    }

    List<Job> jobs(String accountKey) {
        return jdbc.sql("select * from batch_jobs where account_key = ? order by id_key").param(accountKey)
                .query(this::mapJob).list();
    }

    int activeJobs(String accountKey) {
        return jdbc.sql("select count(*) from batch_jobs where account_key = ? and state in ('active','disabled')")
                .param(accountKey).query(Integer.class).single();
    }

    private Job mapJob(ResultSet rs, int row) throws SQLException {
        return new Job(rs.getString("account_key"), rs.getString("id"), jsonColumn(rs, "spec"), rs.getString("pool_key"),
                rs.getString("state"), instant(rs, "state_time"), rs.getString("terminate_reason"),
                instant(rs, "end_time"), rs.getString("etag"), instant(rs, "created_at"), instant(rs, "last_modified"));
    }

    // ---- tasks

    void insert(BatchTask t) {
        jdbc.sql("""
                        insert into batch_tasks(account_key, job_key, id_key, id, spec, state, state_time, etag, created_at,
                            last_modified) values (?,?,?,?,?::jsonb,?,?,?,?,?)""")
                .params(t.accountKey, t.jobKey, t.key(), t.id, text(t.spec), t.state, ts(t.stateTime), etag(),
                        ts(t.created), ts(t.lastModified))
                .update();
    }

    void update(BatchTask t) {
        t.etag = etag();
        jdbc.sql("""
                        update batch_tasks set state = ?, state_time = ?, node_id = ?, pool_key = ?, retry_count = ?,
                            requeue_count = ?, exit_code = ?, result = ?, failure_info = ?::jsonb, start_time = ?,
                            end_time = ?, scheduled_at = ?, etag = ?, last_modified = ?
                        where account_key = ? and job_key = ? and id_key = ?""")
                .params(t.state, ts(t.stateTime), t.nodeId, t.poolKey, t.retryCount, t.requeueCount, t.exitCode,
                        t.result, text(t.failureInfo), ts(t.startTime), ts(t.endTime), ts(t.scheduledAt), t.etag,
                        ts(t.lastModified), t.accountKey, t.jobKey, t.key())
                .update();
    }

    void deleteTask(BatchTask t) {
        jdbc.sql("delete from batch_tasks where account_key = ? and job_key = ? and id_key = ?")
                .params(t.accountKey, t.jobKey, t.key()).update();
    }

    Optional<BatchTask> task(String accountKey, String jobKey, String id) {
        return jdbc.sql("select * from batch_tasks where account_key = ? and job_key = ? and id_key = ?")
                .params(accountKey, jobKey, idKey(id)).query(this::mapTask).optional();
    }

    List<BatchTask> tasks(String accountKey, String jobKey) {
        return jdbc.sql("select * from batch_tasks where account_key = ? and job_key = ? order by seq")
                .params(accountKey, jobKey).query(this::mapTask).list();
    }

    /** Every task not completed, in queue order: what the scheduler works on. */
    List<BatchTask> openTasks() {
        return jdbc.sql("select * from batch_tasks where state <> 'completed' order by seq").query(this::mapTask).list();
    }

    List<BatchTask> runningOn(String accountKey, String nodeId) {
        return jdbc.sql("select * from batch_tasks where account_key = ? and node_id = ? and state = 'running'")
                .params(accountKey, nodeId).query(this::mapTask).list();
    }

    private BatchTask mapTask(ResultSet rs, int row) throws SQLException {
        return new BatchTask(rs.getString("account_key"), rs.getString("job_key"), rs.getString("id"),
                rs.getLong("seq"), jsonColumn(rs, "spec"), rs.getString("state"), instant(rs, "state_time"),
                rs.getString("node_id"), rs.getString("pool_key"), rs.getInt("retry_count"), rs.getInt("requeue_count"),
                (Integer) rs.getObject("exit_code"), rs.getString("result"), jsonColumn(rs, "failure_info"),
                instant(rs, "start_time"), instant(rs, "end_time"), instant(rs, "scheduled_at"), rs.getString("etag"),
                instant(rs, "created_at"), instant(rs, "last_modified"));
    }
}
