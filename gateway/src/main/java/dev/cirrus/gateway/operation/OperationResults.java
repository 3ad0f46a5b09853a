package dev.cirrus.gateway.operation;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The operations the gateway answered with 202 + Location, so that the Location URL can be polled
 * ({@code /subscriptions/{sub}/operationresults/{id}}).
 */
@Repository
public class OperationResults {

    /** A deletion that a service refuses is retried, never failed: an operation runs until it succeeds. */
    public enum Status { InProgress, Succeeded }

    /** One operation: what it did to which resource, and how far it got. */
    public record Operation(String id, String subscriptionId, String operation, String resourceId, Status status) {
    }

    private final JdbcTemplate jdbc;

    OperationResults(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records an operation that already finished; call inside the transaction that did its work. */
    public String recordSucceeded(String subscriptionId, String operation, String resourceId, Instant at) {
        String id = UUID.randomUUID().toString();
        jdbc.update("insert into operation_results(id, subscription_id, operation, resource_id, status, started_at, "
                        + "ended_at) values (?,?,?,?,?,?,?)",
                id, subscriptionId, operation, resourceId, Status.Succeeded.name(), Timestamp.from(at),
                Timestamp.from(at));
        return id;
    }

    /** Records an operation that has started; call inside the transaction that started it. */
    public String recordInProgress(String subscriptionId, String operation, String resourceId, Instant at) {
        String id = UUID.randomUUID().toString();
        jdbc.update("insert into operation_results(id, subscription_id, operation, resource_id, status, started_at) "
                        + "values (?,?,?,?,?,?)",
                id, subscriptionId, operation, resourceId, Status.InProgress.name(), Timestamp.from(at));
        return id;
    }

    /** Marks an operation finished; call inside the transaction that finished its work. */
    public void succeed(String id, Instant at) {
        jdbc.update("update operation_results set status = ?, ended_at = ? where id = ?", Status.Succeeded.name(),
                Timestamp.from(at), id);
    }

    public Optional<Operation> find(String subscriptionId, String id) {
        List<Operation> found = jdbc.query("select id, subscription_id, operation, resource_id, status "
                        + "from operation_results where id = ? and subscription_id = ?",
                (rs, i) -> new Operation(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        Status.valueOf(rs.getString(5))),
                id.toLowerCase(Locale.ROOT), subscriptionId);
        return found.stream().findFirst();
    }
}
