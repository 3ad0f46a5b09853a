package dev.cirrus.plumbing.events;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

import dev.cirrus.contracts.events.CloudEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Consumes topics and applies each event at most once: the event id goes into the inbox table in the same
 * transaction as the handler's effect, and an id already there is skipped. Offsets are committed only after the
 * effects, so a consumer that dies mid-batch re-reads from its last commit: nothing is skipped, nothing applied twice.
 *
 * <p>If a handler fails (say the database is down), the partition is rewound to the failed record and retried after
 * a pause; other partitions go on.
 *
 * <p>A consumer may name the event types it applies ({@code relevant}): any other event of its topics is passed over
 * without a transaction and without an inbox row (its offset is committed all the same), so a busy topic of which it
 * needs a few types does not fill its inbox.
 */
public class InboxConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InboxConsumer.class);

    private final String name;
    private final Collection<String> topics;
    private final String bootstrapServers;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final EventHandler handler;
    private final Predicate<String> relevant;
    // the meter cirrus.inbox.events{consumer, outcome}: applied, duplicate (already in the inbox), passed-over (a type
    // the consumer does not apply), in Micrometer's global registry (Spring Boot adds its registry to it)
    private final io.micrometer.core.instrument.Counter applied;
    private final io.micrometer.core.instrument.Counter duplicates;
    private final io.micrometer.core.instrument.Counter passedOver;
    private volatile boolean running;
    private KafkaConsumer<String, String> consumer;
    private Thread thread;

    /**
     * @param name the consumer group and the inbox's consumer name; one per kind of effect
     */
    public InboxConsumer(String name, Collection<String> topics, String bootstrapServers, JdbcTemplate jdbc,
                         TransactionTemplate tx, ObjectMapper json, EventHandler handler) {
        this(name, topics, bootstrapServers, jdbc, tx, json, type -> true, handler);
    }

    /**
     * @param name the consumer group and the inbox's consumer name; one per kind of effect
     * @param relevant the event types the handler applies; others are passed over with no inbox row
     */
    public InboxConsumer(String name, Collection<String> topics, String bootstrapServers, JdbcTemplate jdbc,
                         TransactionTemplate tx, ObjectMapper json, Predicate<String> relevant,
                         EventHandler handler) {
        this.relevant = relevant;
        this.name = name;
        this.applied = inboxCounter(name, "applied");
        this.duplicates = inboxCounter(name, "duplicate");
        this.passedOver = inboxCounter(name, "passed-over");
        this.topics = List.copyOf(topics);
        this.bootstrapServers = bootstrapServers;
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.handler = handler;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, name);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, name + "-" + ProcessHandle.current().pid());
        consumer = new KafkaConsumer<>(p);
        thread = Thread.ofPlatform().name("inbox-" + name).daemon(true).start(this::loop);
    }

    private void loop() {
        try {
            consumer.subscribe(topics);
            while (running) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(250));
                if (records.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                boolean failed = false;
                for (TopicPartition partition : records.partitions()) {
                    for (ConsumerRecord<String, String> record : records.records(partition)) {
                        try {
                            apply(record);
                            done.put(partition, new OffsetAndMetadata(record.offset() + 1));
                        } catch (RuntimeException e) {
                            log.warn("inbox {}: applying {} failed ({}); retrying", name, record.offset(), e.toString());
                            consumer.seek(partition, record.offset());
                            failed = true;
                            break;
                        }
                    }
                }
                if (!done.isEmpty()) {
                    consumer.commitSync(done);
                }
                if (failed) {
                    Thread.sleep(1000);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            // the consumer dies without committing the offsets of unfinished work: a restart re-reads it
            log.error("inbox {} stopped", name, e);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(2));
            } catch (RuntimeException ignored) {
                // already closing
            }
        }
    }

    private void apply(ConsumerRecord<String, String> record) {
        CloudEvent event;
        try {
            event = json.readValue(record.value(), CloudEvent.class);
        } catch (JacksonException | NullPointerException e) {
            log.error("inbox {}: skipping a record that is not a CloudEvent at {}-{}@{}: {}", name, record.topic(),
                    record.partition(), record.offset(), e.toString());
            return;
        }
        if (!relevant.test(event.type())) {
            passedOver.increment();
            return;
        }
        Boolean fresh = tx.execute(status -> {
            int inserted = jdbc.update("insert into inbox(consumer, event_id, event_type) values (?,?,?) on conflict do nothing",
                    name, event.id(), event.type());
            if (inserted == 1) {
                handler.handle(event);
            }
            return inserted == 1;
        });
        (Boolean.TRUE.equals(fresh) ? applied : duplicates).increment();
    }

    private static io.micrometer.core.instrument.Counter inboxCounter(String consumer, String outcome) {
        return io.micrometer.core.instrument.Counter.builder("cirrus.inbox.events")
                .description("Events an inbox consumer read, by what it did with them")
                .tag("consumer", consumer).tag("outcome", outcome)
                .register(io.micrometer.core.instrument.Metrics.globalRegistry);
    }

    /** True while the consumer thread runs. */
    public boolean alive() {
        return thread != null && thread.isAlive();
    }

    @Override
    public synchronized void close() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
