package dev.cirrus.computevm.operation;

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

/**
 * The operations table. InProgress operations double as the provisioning worker's queue: {@link #claimDue} hands
 * out the oldest due one and pushes its {@code next_attempt_at} forward by a lease, so two workers (or a worker and
 * a restarted instance) never run one operation at the same time, and a crashed worker's claim simply expires.
 */
@Repository
public class OperationRepository {

    private final JdbcClient jdbc;

    OperationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A claimed piece of work. */
    public record Claim(UUID operationId, String resourceKey, OperationKind kind, Instant startTime, int attempts) {
    }

    public void insert(Operation op, Instant firstAttemptAt) {
        jdbc.sql("""
                        insert into operations(id, subscription_key, location, resource_key, kind, status, start_time,
                                               next_attempt_at)
                        values (?,?,?,?,?,?,?,?)""")
                .params(op.id(), op.subscriptionId().toLowerCase(Locale.ROOT), op.location(), op.resourceKey(),
                        op.kind().name(), op.status().name(), Timestamp.from(op.startTime()), Timestamp.from(firstAttemptAt))
                .update();
    }

    /**
     * An operation no worker claims (no {@code next_attempt_at}): a scale set's own, ended by whoever watches its
     * instances.
     */
    public void insertUnscheduled(Operation op) {
        jdbc.sql("""
                        insert into operations(id, subscription_key, location, resource_key, kind, status, start_time)
                        values (?,?,?,?,?,?,?)""")
                .params(op.id(), op.subscriptionId().toLowerCase(Locale.ROOT), op.location(), op.resourceKey(),
                        op.kind().name(), op.status().name(), Timestamp.from(op.startTime()))
                .update();
    }

    /** Records the end of an operation; it leaves the worker's queue. */
    public void update(Operation op) {
        jdbc.sql("""
                        update operations set status = ?, end_time = ?, error_code = ?, error_message = ?,
                                              next_attempt_at = null
                        where id = ?""")
                .params(op.status().name(), op.endTime() == null ? null : Timestamp.from(op.endTime()),
                        op.error() == null ? null : op.error().code(), op.error() == null ? null : op.error().message(),
                        op.id())
                .update();
    }

    public Optional<Operation> find(UUID id) {
        return jdbc.sql("select * from operations where id = ?").param(id).query(OperationRepository::map).optional();
    }

    /** The operation as one subscription sees it: another subscription's operation does not exist for it. */
    public Optional<Operation> find(String subscriptionId, UUID id) {
        return jdbc.sql("select * from operations where id = ? and subscription_key = ?")
                .params(id, subscriptionId.toLowerCase(Locale.ROOT))
                .query(OperationRepository::map).optional();
    }

    public Optional<Claim> claimDue(Instant now, Instant leaseUntil) {
        return jdbc.sql("""
                        update operations set next_attempt_at = ?, attempts = attempts + 1
                        where id = (select id from operations
                                    where status = 'InProgress' and next_attempt_at <= ?
                                    order by next_attempt_at limit 1 for update skip locked)
                        returning id, resource_key, kind, start_time, attempts""")
                .params(Timestamp.from(leaseUntil), Timestamp.from(now))
                .query((rs, i) -> new Claim(rs.getObject("id", UUID.class), rs.getString("resource_key"),
                        OperationKind.valueOf(rs.getString("kind")), rs.getTimestamp("start_time").toInstant(),
                        rs.getInt("attempts")))
                .optional();
    }

    /** Gives a claimed operation back to the queue, due again at {@code next}, with the reason it must wait. */
    public void reschedule(UUID id, Instant next, String lastError) {
        jdbc.sql("update operations set next_attempt_at = ?, last_error = ? where id = ? and status = 'InProgress'")
                .params(Timestamp.from(next), lastError, id).update();
    }

    /** The earliest time an InProgress operation is due, so the worker knows how long it may sleep. */
    public Optional<Instant> nextDue() {
        List<Timestamp> due = jdbc.sql("select min(next_attempt_at) from operations where status = 'InProgress'")
                .query((rs, i) -> rs.getTimestamp(1)).list();
        return due.isEmpty() || due.get(0) == null ? Optional.empty() : Optional.of(due.get(0).toInstant());
    }

    private static Operation map(ResultSet rs, int row) throws SQLException {
        String code = rs.getString("error_code");
        Timestamp end = rs.getTimestamp("end_time");
        return new Operation(rs.getObject("id", UUID.class), rs.getString("subscription_key"), rs.getString("location"),
                rs.getString("resource_key"), OperationKind.valueOf(rs.getString("kind")),
                OperationStatus.valueOf(rs.getString("status")), rs.getTimestamp("start_time").toInstant(),
                end == null ? null : end.toInstant(),
                code == null ? null : new OperationError(code, rs.getString("error_message")));
    }
}
