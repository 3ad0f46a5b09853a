package dev.cirrus.plumbing.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes the outbox to Kafka, oldest first, and marks what Kafka acknowledged.
 *
 * <p>Guarantees: every committed outbox row is published at least once (the relay keeps retrying while Kafka is
 * down); rows are sent in {@code seq} order through an idempotent producer with {@code acks=all}, so records of one
 * key (one resource) stay in order on their partition. If a send fails, every later send to that partition fails too
 * (the idempotent producer does not reorder), so the rows left unmarked form a suffix per key and are retried in
 * order. A crash between Kafka's acknowledgement and the marking re-sends a row: consumers deduplicate on the event
 * id ({@link InboxConsumer}).
 *
 * <p>Only one relay per database publishes at a time (a transaction-scoped advisory lock), so two instances of a
 * service do not interleave.
 *
 * <p>Published rows are kept for {@code retention} (to look at what a service sent), then deleted, at most once a
 * minute and in chunks of {@link #PURGE_CHUNK} rows, so the outbox does not grow with every event ever written.
 */
public class OutboxRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH = 500;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** Published rows deleted per statement: keeps each purge transaction short. */
    static final int PURGE_CHUNK = 5_000;
    private static final long PURGE_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final String bootstrapServers;
    private final Duration pollInterval;
    private final Duration retention;
    /** When the last purge ran (nanoTime); the first runs a minute after the start. */
    private long purgedAt = System.nanoTime();
    private final Semaphore wakeUp = new Semaphore(0);
    /** Events Kafka acknowledged since the start (the meter {@code cirrus.outbox.published}). */
    private final java.util.concurrent.atomic.AtomicLong published = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean running;
    private volatile boolean topicsReady;
    private KafkaProducer<String, String> producer;
    private Thread thread;

    public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate tx, String bootstrapServers, Duration pollInterval) {
        this(jdbc, tx, bootstrapServers, pollInterval, Duration.ofHours(1));
    }

    public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate tx, String bootstrapServers, Duration pollInterval,
                       Duration retention) {
        if (retention.isNegative()) {
            throw new IllegalArgumentException("the outbox retention must not be negative: " + retention);
        }
        this.jdbc = jdbc;
        this.tx = tx;
        this.bootstrapServers = bootstrapServers;
        this.pollInterval = pollInterval;
        this.retention = retention;
    }

    /** Starts publishing on a background thread; {@code outbox} commits wake it up at once. */
    public synchronized void start(Outbox outbox) {
        if (running) {
            return;
        }
        outbox.onCommit(this::wakeUp);
        running = true;
        thread = Thread.ofPlatform().name("outbox-relay").daemon(true).start(this::loop);
    }

    public void wakeUp() {
        wakeUp.release();
    }

    private void loop() {
        Duration backoff = Duration.ofMillis(200);
        while (running) {
            try {
                ensureTopics();
                Result r = publishOnce();
                if (System.nanoTime() - purgedAt >= PURGE_EVERY_NANOS) {
                    purgedAt = System.nanoTime();
                    purgePublished();
                }
                if (r.failed) {
                    sleep(backoff);
                    backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
                } else {
                    backoff = Duration.ofMillis(200);
                    if (r.published < BATCH) {
                        wakeUp.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                        wakeUp.drainPermits();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("outbox relay: {} (retrying in {} ms)", e.toString(), backoff.toMillis());
                sleep(backoff);
                backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
            }
        }
    }

    record Result(int published, boolean failed) {
    }

    /** One pass: publishes up to a batch of unpublished rows. Visible for tests. */
    Result publishOnce() {
        Result result = tx.execute(status -> {
            Boolean locked = jdbc.queryForObject("select pg_try_advisory_xact_lock(7311000001)", Boolean.class);
            if (!Boolean.TRUE.equals(locked)) {
                return new Result(0, false);
            }
            List<Row> rows = jdbc.query(
                    "select seq, topic, record_key, payload from outbox where published_at is null order by seq limit ?",
                    (rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)), BATCH);
            if (rows.isEmpty()) {
                return new Result(0, false);
            }
            KafkaProducer<String, String> p = producer();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            boolean failed = false;
            for (Row row : rows) {
                try {
                    ProducerRecord<String, String> record = new ProducerRecord<>(row.topic, row.key, row.payload);
                    record.headers().add("content-type", CloudEvent.CONTENT_TYPE.getBytes());
                    sent.add(p.send(record));
                } catch (RuntimeException e) {
                    log.warn("outbox relay: cannot send ({}); will retry", e.toString());
                    failed = true;
                    break;
                }
            }
            p.flush();
            List<Long> acknowledged = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                try {
                    sent.get(i).get();
                    acknowledged.add(rows.get(i).seq);
                } catch (ExecutionException e) {
                    failed = true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failed = true;
                    break;
                }
            }
            if (!acknowledged.isEmpty()) {
                jdbc.update("update outbox set published_at = now() where seq = any(?)",
                        ps -> ps.setArray(1, ps.getConnection().createArrayOf("bigint", acknowledged.toArray())));
            }
            if (failed) {
                log.warn("outbox relay: {} of {} events acknowledged; retrying the rest", acknowledged.size(), rows.size());
            }
            return new Result(acknowledged.size(), failed);
        });
        if (result == null) {
            return new Result(0, false);
        }
        published.addAndGet(result.published());
        return result;
    }

    /** Events Kafka acknowledged (and this relay marked) since the start. */
    public long published() {
        return published.get();
    }

    /**
     * Deletes the rows published longer than the retention ago, oldest first, chunk by chunk; returns how many.
     * Unpublished rows are never deleted. Visible for tests.
     */
    long purgePublished() {
        long deleted = 0;
        int n;
        do {
            n = jdbc.update("delete from outbox where seq in (select seq from outbox where published_at is not null"
                    + " and published_at < now() - make_interval(secs => ?) order by seq limit ?)",
                    retention.toMillis() / 1000.0, PURGE_CHUNK);
            deleted += n;
        } while (n == PURGE_CHUNK && running);
        if (deleted > 0) {
            log.debug("outbox relay: deleted {} events published more than {} ago", deleted, retention);
        }
        return deleted;
    }

    /** Number of outbox rows not yet acknowledged by Kafka. */
    public long backlog() {
        Long n = jdbc.queryForObject("select count(*) from outbox where published_at is null", Long.class);
        return n == null ? 0 : n;
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Map<String, Object> c = new HashMap<>();
            c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            c.put(ProducerConfig.ACKS_CONFIG, "all");
            c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
            c.put(ProducerConfig.LINGER_MS_CONFIG, 2);
            // bounded waits, so a Kafka outage turns into retries of the relay loop instead of a stuck thread
            c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3000);
            c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000);
            c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10000);
            c.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
            c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            c.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay-" + ProcessHandle.current().pid());
            producer = new KafkaProducer<>(c);
        }
        return producer;
    }

    /** Creates Cirrus's topics (3 partitions) if they are missing; retried until Kafka answers once. */
    private void ensureTopics() {
        if (topicsReady) {
            return;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000))) {
            Set<String> existing = admin.listTopics().names().get(5, TimeUnit.SECONDS);
            List<NewTopic> missing = Topics.ALL.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, 3, (short) 1)).toList();
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(5, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            topicsReady = true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Kafka not reachable to create topics: " + e);
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
            producer = null;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    private record Row(long seq, String topic, String key, String payload) {
    }
}
