package dev.cirrus.placement.allocation;

import java.sql.Connection;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.PlacementData;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.placement.inventory.HostState;
import dev.cirrus.plumbing.events.OutboxRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCallback;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Group commit: one writer thread makes the engine's decisions durable, many at a time. Each decision, taken in
 * memory under the decision lock, is queued here (in decision order) with what it writes: allocation rows, host
 * states and events. The writer takes every change waiting, writes them in ONE transaction (the allocations' net
 * rows, the hosts' states, and the events into the outbox, so an event exists if and only if its change does),
 * commits once, and only then completes the callers' replies: an acknowledged call is durable.
 *
 * <p>If the transaction fails, every change of it and every change queued after it (decided on top of it) fails
 * with the database's error, and the engine's in-memory state is thrown away, to be read again from the database
 * before the next decision ({@link Placements}): nothing of a failed commit stays in memory or in the database.
 *
 * <p>Why: a transaction per call, each taking its region's lock, made ~7 round trips per Place while every other
 * Place of the region waited (about 400 placements/s). Now a batch of N calls costs one round trip (see
 * {@link #WRITE}).
 */
@Component
class GroupCommit {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /** At most this many changes per transaction (a PlaceMany counts once): keeps a transaction short. */
    static final int MAX_BATCH = 256;

    /** A commit this slow is logged (every caller of its batch waited at least this long). */
    static final long SLOW_COMMIT_MICROS = 20_000;

    /** One allocation row after a change: {@code row} null = deleted; {@code fresh} = it had no row before. */
    record RowChange(String vmId, Allocation row, boolean fresh) {
    }

    /** One host's new state. */
    record HostChange(String host, HostState state) {
    }

    /** A decision waiting to be durable; {@link #await} gives its answer once it is. */
    static final class Pending<T> {
        final List<RowChange> rows;
        final List<HostChange> hosts;
        final List<PlacementEvent> events;
        final T answer;
        final CompletableFuture<T> done = new CompletableFuture<>();

        Pending(List<RowChange> rows, List<HostChange> hosts, List<PlacementEvent> events, T answer) {
            this.rows = rows;
            this.hosts = hosts;
            this.events = events;
            this.answer = answer;
        }

        boolean writes() {
            return !rows.isEmpty() || !hosts.isEmpty() || !events.isEmpty();
        }

        /** Waits until the change is committed; rethrows what made it fail. */
        T await() {
            return GroupCommit.await(done);
        }
    }

    /** Waits until {@code done} completes; rethrows what made it fail. */
    static <T> T await(CompletableFuture<T> done) {
        try {
            return done.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientDataAccessResourceException("interrupted while the change was being committed; "
                    + "it may or may not be durable", e);
        }
    }

    /** What to do when a transaction failed: called with the decision lock free, before later changes are failed. */
    interface FailureHandler {
        /** Fails {@code queued} (every change after the failed batch) and forgets the in-memory state, atomically. */
        void failed(RuntimeException cause, Runnable failQueued);
    }

    /** Queued by {@link #stop}: the changes before it are written, then the writer ends. */
    private static final Pending<Void> STOP = new Pending<>(List.of(), List.of(), List.of(), null);

    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final ObjectProvider<OutboxRelay> relay;
    /** Used by the writer thread only. */
    private OutboxRelay outboxRelay;
    private volatile FailureHandler onFailure = (cause, failQueued) -> failQueued.run();
    private volatile boolean accepting;
    /** Changes queued so far ({@link #submit}, under the decision lock and this object's monitor). */
    private long submitted;
    /** Changes taken off the queue and answered (committed or failed) so far. */
    private final java.util.concurrent.atomic.AtomicLong settled = new java.util.concurrent.atomic.AtomicLong();
    private Thread writer;
    /** Written by the writer thread only: for the log line at stop. */
    private long transactions;
    private long changes;

    GroupCommit(JdbcTemplate jdbc, ObjectMapper json, ObjectProvider<OutboxRelay> relay) {
        this.jdbc = jdbc;
        this.json = json;
        this.relay = relay;
    }

    void onFailure(FailureHandler handler) {
        this.onFailure = handler;
    }

    synchronized void start() {
        if (writer != null) {
            return;
        }
        accepting = true;
        writer = new Thread(this::run, "placement-group-commit");
        writer.setDaemon(true);
        writer.start();
    }

    /** Takes no more changes, commits every change already queued, then stops the writer. */
    void stop() {
        Thread stopping;
        synchronized (this) {
            if (writer == null) {
                return;
            }
            accepting = false;
            queue.add(STOP);
            stopping = writer;
            writer = null;
        }
        try {
            stopping.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failAll(new TransientDataAccessResourceException("the placement engine is stopping"));
        log.info("group commit stopped: {} changes in {} transactions ({} per transaction)", changes, transactions,
                transactions == 0 ? 0 : String.format(java.util.Locale.ROOT, "%.1f", (double) changes / transactions));
    }

    /** Queues a decision; the caller holds the decision lock, so the queue is in decision order. */
    synchronized <T> Pending<T> submit(Pending<T> pending) {
        if (!accepting) {
            throw new TransientDataAccessResourceException("the placement engine is not running");
        }
        queue.add(pending);
        submitted++;
        return pending;
    }

    /**
     * {@code answer}, read from the in-memory state under the decision lock, once that state is committed: at once
     * when every change queued so far is settled (the state then is the database's), else after the commit of
     * everything queued before it (and failing as they fail). The caller holds the decision lock.
     */
    synchronized <T> CompletableFuture<T> whenCommitted(T answer) {
        if (!accepting) {
            throw new TransientDataAccessResourceException("the placement engine is not running");
        }
        if (settled.get() == submitted) {
            return CompletableFuture.completedFuture(answer);
        }
        return submit(new Pending<>(List.of(), List.of(), List.of(), answer)).done;
    }

    private void run() {
        List<Pending<?>> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            batch.clear();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            stopping = batch.remove(STOP);
            try {
                commit(batch);
            } catch (RuntimeException | Error e) {
                log.error("the group-commit writer failed unexpectedly", e);
            }
        }
    }

    private void commit(List<Pending<?>> batch) {
        try {
            if (batch.stream().anyMatch(Pending::writes)) {
                long started = System.nanoTime();
                write(batch);
                long tookMicros = (System.nanoTime() - started) / 1_000;
                if (tookMicros >= SLOW_COMMIT_MICROS) {
                    log.info("a group commit of {} changes took {} ms", batch.size(),
                            String.format(java.util.Locale.ROOT, "%.1f", tookMicros / 1000.0));
                }
                wakeRelay();
                transactions++;
                changes += batch.size();
            }
        } catch (RuntimeException failure) {
            log.warn("a group commit of {} changes failed; they and every change queued after them are refused, "
                    + "and the state is read again from the database: {}", batch.size(), failure.toString());
            // the state is forgotten before any caller hears of the failure, so a retry is decided on the
            // database's view
            onFailure.failed(failure, () -> failAll(new TransientDataAccessResourceException(
                    "an earlier change could not be committed, so this one was not either; retry", failure)));
            for (Pending<?> p : batch) {
                p.done.completeExceptionally(failure);
            }
            settled.addAndGet(batch.size());
            return;
        } catch (Error e) {
            for (Pending<?> p : batch) {
                p.done.completeExceptionally(e);
            }
            settled.addAndGet(batch.size());
            throw e;
        }
        for (Pending<?> p : batch) {
            complete(p);
        }
        settled.addAndGet(batch.size());
    }

    /** Tells the outbox relay that events were committed (looked up once: a bean lookup per commit costs). */
    private void wakeRelay() {
        if (outboxRelay == null) {
            outboxRelay = relay.getIfAvailable();
        }
        if (outboxRelay != null) {
            outboxRelay.wakeUp();
        }
    }

    private static <T> void complete(Pending<T> p) {
        p.done.complete(p.answer);
    }

    private void failAll(RuntimeException why) {
        List<Pending<?>> left = new ArrayList<>();
        queue.drainTo(left);
        if (left.remove(STOP)) {
            queue.add(STOP); // the engine is stopping: the writer must still see it
        }
        for (Pending<?> p : left) {
            p.done.completeExceptionally(why);
        }
        settled.addAndGet(left.size());
    }

    /**
     * An event's data as a JSON tree. A placement's is built field by field, in the record's order (what
     * {@code valueToTree} gives, without its reflection and token buffer: one per event on the writer thread).
     */
    static JsonNode data(ObjectMapper json, Object data) {
        if (data instanceof PlacementData d) {
            ObjectNode node = json.createObjectNode();
            node.put("vmId", d.vmId());
            node.put("host", d.host());
            node.put("rack", d.rack());
            node.put("cluster", d.cluster());
            node.put("region", d.region());
            node.put("faultDomain", d.faultDomain());
            node.put("updateDomain", d.updateDomain());
            node.put("vcpus", d.vcpus());
            node.put("memoryMib", d.memoryMib());
            return node;
        }
        return json.valueToTree(data);
    }

    /**
     * A batch's writes, as ONE multi-statement execution, which is one transaction in one round trip: the deletes
     * of rows that existed before the batch, the inserts of every VM's last row, the outbox rows (the rows
     * {@code Outbox.append} of the plumbing writes, in decision order), and the hosts' last states when there are
     * some ({@link #WRITE_WITH_HOSTS}). Arrays, so the text and its
     * prepared plan never change with the batch's size.
     *
     * <p>Atomic because it runs outside an explicit transaction: the PostgreSQL driver sends the statements as one
     * pipeline ending in a single Sync, and PostgreSQL runs everything before a Sync as one implicit transaction,
     * committed at the Sync or rolled back as a whole if any statement, or the commit itself (deferred
     * constraints), fails (PostgreSQL protocol, "Pipelining"). {@code CommitFailureTest} would see an allocation or
     * an event survive a failed commit.
     */
    private static final String WRITE = """
            delete from allocation where vm_id = any (?);
            insert into allocation (vm_id, resource_id, region, cluster, rack, host, fault_domain, update_domain,
                                    size_name, vcpus, memory_mib, group_id, group_kind, group_fault_domains,
                                    group_update_domains, allocated_at)
            select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::int[],
                                 ?::text[], ?::int[], ?::int[], ?::text[], ?::text[], ?::int[], ?::int[],
                                 ?::timestamptz[]);
            insert into outbox (event_id, topic, record_key, event_type, payload, created_at)
            select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])
            """;

    /** {@link #WRITE} and the hosts' states (host operations only: the join is not worth running for nothing). */
    private static final String WRITE_WITH_HOSTS = WRITE + """
            ;
            update host set state = u.state from unnest(?::text[], ?::text[]) as u (name, state)
            where host.name = u.name
            """;


    /**
     * Writes a batch: per VM only its last row counts (a VM placed and released in one batch writes no row), rows
     * that existed before are deleted and written again, hosts get their last state, events go to the outbox in
     * decision order.
     */
    private void write(List<Pending<?>> batch) {
        Map<String, Allocation> rows = new LinkedHashMap<>();
        Set<String> existing = new HashSet<>();
        Map<String, HostState> hosts = new LinkedHashMap<>();
        List<CloudEvent> events = new ArrayList<>();
        for (Pending<?> p : batch) {
            for (RowChange c : p.rows) {
                if (!rows.containsKey(c.vmId()) && !c.fresh()) {
                    existing.add(c.vmId());
                }
                rows.put(c.vmId(), c.row());
            }
            for (HostChange h : p.hosts) {
                hosts.put(h.host(), h.state());
            }
            for (PlacementEvent e : p.events) {
                events.add(CloudEvent.of(Placements.SERVICE, e.type(), e.subject(), e.time(), data(json, e.data())));
            }
        }
        // one pass per table into plain arrays (no streams: this runs once per batch on the single writer thread)
        int n = 0;
        for (Allocation a : rows.values()) {
            n += a == null ? 0 : 1;
        }
        Object[] vmIds = new Object[n];
        Object[] resourceIds = new Object[n];
        Object[] regions = new Object[n];
        Object[] clusters = new Object[n];
        Object[] racks = new Object[n];
        Object[] hostNames = new Object[n];
        Object[] faultDomains = new Object[n];
        Object[] updateDomains = new Object[n];
        Object[] sizeNames = new Object[n];
        Object[] vcpus = new Object[n];
        Object[] memory = new Object[n];
        Object[] groupIds = new Object[n];
        Object[] groupKinds = new Object[n];
        Object[] groupFaultDomains = new Object[n];
        Object[] groupUpdateDomains = new Object[n];
        Object[] allocatedAt = new Object[n];
        int k = 0;
        for (Allocation a : rows.values()) {
            if (a == null) {
                continue;
            }
            vmIds[k] = a.vmId();
            resourceIds[k] = a.resourceId();
            regions[k] = a.region();
            clusters[k] = a.cluster();
            racks[k] = a.rack();
            hostNames[k] = a.host();
            faultDomains[k] = a.faultDomain();
            updateDomains[k] = a.updateDomain();
            sizeNames[k] = a.size().name();
            vcpus[k] = a.size().vcpus();
            memory[k] = a.size().memoryMib();
            PlacementGroup g = a.group();
            groupIds[k] = a.groupId();
            groupKinds[k] = g == null ? null : g.kind().name();
            groupFaultDomains[k] = g == null ? null : g.faultDomainCount();
            groupUpdateDomains[k] = g == null ? null : g.updateDomainCount();
            allocatedAt[k] = Timestamp.from(a.allocatedAt());
            k++;
        }
        int e = events.size();
        Object[] eventIds = new Object[e];
        Object[] topics = new Object[e];
        Object[] keys = new Object[e];
        Object[] types = new Object[e];
        Object[] payloads = new Object[e];
        Object[] times = new Object[e];
        for (int x = 0; x < e; x++) {
            CloudEvent event = events.get(x);
            eventIds[x] = event.id();
            topics[x] = Topics.PLACEMENT;
            keys[x] = event.key();
            types[x] = event.type();
            payloads[x] = json.writeValueAsString(event);
            times[x] = Timestamp.from(event.time());
        }
        jdbc.execute(hosts.isEmpty() ? WRITE : WRITE_WITH_HOSTS, (PreparedStatementCallback<Boolean>) ps -> {
            Connection c = ps.getConnection();
            int i = 0;
            ps.setArray(++i, c.createArrayOf("text", existing.toArray()));
            ps.setArray(++i, c.createArrayOf("text", vmIds));
            ps.setArray(++i, c.createArrayOf("text", resourceIds));
            ps.setArray(++i, c.createArrayOf("text", regions));
            ps.setArray(++i, c.createArrayOf("text", clusters));
            ps.setArray(++i, c.createArrayOf("text", racks));
            ps.setArray(++i, c.createArrayOf("text", hostNames));
            ps.setArray(++i, c.createArrayOf("int4", faultDomains));
            ps.setArray(++i, c.createArrayOf("int4", updateDomains));
            ps.setArray(++i, c.createArrayOf("text", sizeNames));
            ps.setArray(++i, c.createArrayOf("int4", vcpus));
            ps.setArray(++i, c.createArrayOf("int4", memory));
            ps.setArray(++i, c.createArrayOf("text", groupIds));
            ps.setArray(++i, c.createArrayOf("text", groupKinds));
            ps.setArray(++i, c.createArrayOf("int4", groupFaultDomains));
            ps.setArray(++i, c.createArrayOf("int4", groupUpdateDomains));
            ps.setArray(++i, c.createArrayOf("timestamptz", allocatedAt));
            ps.setArray(++i, c.createArrayOf("text", eventIds));
            ps.setArray(++i, c.createArrayOf("text", topics));
            ps.setArray(++i, c.createArrayOf("text", keys));
            ps.setArray(++i, c.createArrayOf("text", types));
            ps.setArray(++i, c.createArrayOf("text", payloads));
            ps.setArray(++i, c.createArrayOf("timestamptz", times));
            if (!hosts.isEmpty()) {
                ps.setArray(++i, c.createArrayOf("text", hosts.keySet().toArray()));
                ps.setArray(++i, c.createArrayOf("text", hosts.values().stream().map(Enum::name).toArray()));
            }
            return ps.execute();
        });
    }
}
