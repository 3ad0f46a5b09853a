package dev.cirrus.computecontainer.operation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The operations table. InProgress operations are the worker's queue: {@link #claimDue} hands out the oldest due one
 * and pushes its {@code next_attempt_at} forward by a lease, so two workers never run one operation at the same time
 * and a crashed worker's claim simply expires.
 */
@Repository
public class OperationRepository {

    private final JdbcTemplate jdbc;

    OperationRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A claimed piece of work. */
    public record Claim(UUID operationId, String resourceKey, Operation.Kind kind, Instant startTime) {
    }

    public void insert(Operation op, Instant firstAttemptAt) {
        jdbc.update("insert into operations(id, subscription_key, location, resource_key, kind, status, start_time,"
                        + " next_attempt_at) values (?,?,?,?,?,?,?,?)",
                op.id(), op.subscriptionId().toLowerCase(Locale.ROOT), op.location(), op.resourceKey(),
                op.kind().name(), op.status().name(), Timestamp.from(op.startTime()), Timestamp.from(firstAttemptAt));
    }

    /** Records the end of an operation; it leaves the queue. */
    public void update(Operation op) {
        jdbc.update("update operations set status = ?, end_time = ?, error_code = ?, error_message = ?,"
                        + " next_attempt_at = null where id = ?",
                op.status().name(), op.endTime() == null ? null : Timestamp.from(op.endTime()), op.errorCode(),
                op.errorMessage(), op.id());
    }

    public Optional<Operation> find(UUID id) {
        return jdbc.query("select * from operations where id = ?", OperationRepository::map, id).stream().findFirst();
    }

    /** The operation as one subscription sees it: another subscription's does not exist for it. */
    public Optional<Operation> find(String subscriptionId, UUID id) {
        return jdbc.query("select * from operations where id = ? and subscription_key = ?", OperationRepository::map,
                id, subscriptionId.toLowerCase(Locale.ROOT)).stream().findFirst();
    }

    public Optional<Claim> claimDue(Instant now, Instant leaseUntil) {
        return jdbc.query("update operations set next_attempt_at = ?, attempts = attempts + 1"
                        + " where id = (select id from operations where status = 'InProgress' and next_attempt_at <= ?"
                        + " order by next_attempt_at limit 1 for update skip locked)"
                        + " returning id, resource_key, kind, start_time",
                (rs, i) -> new Claim(rs.getObject("id", UUID.class), rs.getString("resource_key"),
                        Operation.Kind.valueOf(rs.getString("kind")), rs.getTimestamp("start_time").toInstant()),
                Timestamp.from(leaseUntil), Timestamp.from(now)).stream().findFirst();
    }

    /** Gives a claimed operation back to the queue, due again at {@code next}, with why it must wait. */
    public void reschedule(UUID id, Instant next, String lastError) {
        jdbc.update("update operations set next_attempt_at = ?, last_error = ? where id = ? and status = 'InProgress'",
                Timestamp.from(next), lastError, id);
    }

    /** Ends every unfinished operation of a group (it is being deleted). */
    public void cancelAll(String resourceKey, Instant now) {
        jdbc.update("update operations set status = 'Canceled', end_time = ?, error_code = 'OperationCanceled',"
                        + " error_message = 'The container group was deleted.', next_attempt_at = null"
                        + " where resource_key = ? and status = 'InProgress'", Timestamp.from(now), resourceKey);
    }

    public Optional<Instant> nextDue() {
        List<Timestamp> due = jdbc.query("select min(next_attempt_at) from operations where status = 'InProgress'",
                (rs, i) -> rs.getTimestamp(1));
        return due.isEmpty() || due.getFirst() == null ? Optional.empty() : Optional.of(due.getFirst().toInstant());
    }

    private static Operation map(ResultSet rs, int row) throws SQLException {
        Timestamp end = rs.getTimestamp("end_time");
        return new Operation(rs.getObject("id", UUID.class), rs.getString("subscription_key"), rs.getString("location"),
                rs.getString("resource_key"), Operation.Kind.valueOf(rs.getString("kind")),
                Operation.Status.valueOf(rs.getString("status")), rs.getTimestamp("start_time").toInstant(),
                end == null ? null : end.toInstant(), rs.getString("error_code"), rs.getString("error_message"));
    }
}
