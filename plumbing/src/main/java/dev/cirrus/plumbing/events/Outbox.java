package dev.cirrus.plumbing.events;

import java.sql.Timestamp;

import dev.cirrus.contracts.events.CloudEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.ObjectMapper;

/**
 * Writes events into the outbox table, in the transaction that writes the state change: an event exists if and
 * only if that transaction commits. {@link OutboxRelay} publishes them afterwards.
 */
public class Outbox {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private volatile Runnable onCommit = () -> { };

    public Outbox(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Appends an event; must run inside the transaction of the state change it reports. */
    public void append(String topic, CloudEvent event) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("outbox writes belong in the transaction of the state change");
        }
        jdbc.update("insert into outbox(event_id, topic, record_key, event_type, payload, created_at) values (?,?,?,?,?,?)",
                event.id(), topic, event.key(), event.type(), json.writeValueAsString(event),
                Timestamp.from(event.time()));
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    onCommit.run();
                }
            });
        }
    }

    /** Lets the relay wake up as soon as a transaction with events commits, instead of waiting for its next poll. */
    void onCommit(Runnable wakeUp) {
        this.onCommit = wakeUp;
    }
}
