package dev.cirrus.billing.meter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import dev.cirrus.billing.BillingProperties;
import dev.cirrus.billing.price.PriceSheet;
import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.Topics;
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
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The meter: consumes every lifecycle topic billing prices (inbox consumer {@value #NAME}; Kafka consumer group
 * {@code cirrus.billing.meter.consumer-group}, by default the same) and applies
 * each poll batch in ONE database transaction:
 *
 * <ol>
 *   <li>each record is read into a {@link Reading} ({@link EventReader}; a record that is not a CloudEvent is a
 *       rejection);</li>
 *   <li>the batch's event ids go into the inbox in one statement; only the ids seen for the first time are applied
 *       (a redelivery after a crash, or the same event published twice, changes nothing);</li>
 *   <li>transitions, execution sums and rejections are written set-wise ({@link MeterLedger});</li>
 *   <li>the transaction commits, then the Kafka offsets are committed.</li>
 * </ol>
 *
 * A crash anywhere before step 4's database commit leaves nothing; after it, the batch is re-read and skipped by the
 * inbox. If the database fails, every partition of the batch is rewound and the batch retried after a pause.
 * Because transitions are stored (not folded into running state) and sums commute, the meters are a function of the
 * set of events: their order across or within batches does not matter.
 */
@Component("meter")
class MeterConsumer implements SmartLifecycle, HealthIndicator {

    /** The inbox consumer of the meter (and its default Kafka consumer group). */
    static final String NAME = "billing-meter";
    static final List<String> TOPICS = List.of(Topics.COMPUTE_VM, Topics.COMPUTE_CONTAINER, Topics.APP_SERVICE,
            Topics.SERVERLESS);

    private static final Logger log = LoggerFactory.getLogger(MeterConsumer.class);

    // numbers as BigDecimal: requested vCPU and memory are exact decimals (1.5), never doubles
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final String bootstrapServers;
    private final TransactionTemplate tx;
    private final MeterLedger ledger;
    private final EventReader reader;
    private final int maxPollRecords;
    private final String group;
    private volatile boolean running;
    private volatile Thread thread;
    private KafkaConsumer<String, String> consumer;

    MeterConsumer(// unset only in a run without Kafka: then nothing is metered, and health says so
                  @Value("${cirrus.kafka.bootstrap-servers:}") String bootstrapServers,
                  TransactionTemplate tx, MeterLedger ledger, PriceSheet prices, BillingProperties properties) {
        this.bootstrapServers = bootstrapServers;
        this.tx = tx;
        this.ledger = ledger;
        this.reader = new EventReader(prices, properties.vm().billStarting());
        this.maxPollRecords = properties.meter().maxPollRecords();
        this.group = properties.meter().consumerGroup();
    }

    @Override
    public synchronized void start() {
        if (bootstrapServers.isBlank()) {
            log.warn("cirrus.kafka.bootstrap-servers is not set: usage is not metered");
            return;
        }
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, NAME + "-" + ProcessHandle.current().pid());
        consumer = new KafkaConsumer<>(p);
        running = true;
        thread = Thread.ofPlatform().name(NAME).daemon(true).start(this::loop);
        log.info("meter consuming {} from {}", TOPICS, bootstrapServers);
    }

    private void loop() {
        try {
            consumer.subscribe(TOPICS);
            long pause = 500;
            while (running) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(250));
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    apply(records);
                    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
                    for (TopicPartition tp : records.partitions()) {
                        next.put(tp, new OffsetAndMetadata(records.records(tp).getLast().offset() + 1));
                    }
                    consumer.commitSync(next);
                    pause = 500;
                } catch (RuntimeException e) {
                    log.warn("meter: applying a batch of {} failed ({}); retrying in {} ms", records.count(), e.toString(),
                            pause);
                    for (TopicPartition tp : records.partitions()) {
                        consumer.seek(tp, records.records(tp).getFirst().offset());
                    }
                    Thread.sleep(pause);
                    pause = Math.min(pause * 2, 10_000);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            // offsets of unfinished work are not committed: a restart re-reads it
            log.error("meter stopped", e);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(2));
            } catch (RuntimeException ignored) {
                // already closing
            }
        }
    }

    /** Reads and applies one poll batch in one transaction. */
    void apply(ConsumerRecords<String, String> records) {
        List<MeterLedger.Entry> entries = new ArrayList<>(records.count());
        List<MeterLedger.Entry> unreadable = new ArrayList<>();
        List<String> unreadableReasons = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            CloudEvent event;
            try {
                event = JSON.readValue(record.value(), CloudEvent.class);
            } catch (JacksonException | NullPointerException | IllegalArgumentException e) {
                unreadable.add(new MeterLedger.Entry(record.topic(), record.partition(), record.offset(), null, null,
                        null, record.value(), null));
                unreadableReasons.add("not a CloudEvent: " + e.getMessage());
                continue;
            }
            if (event == null) {
                unreadable.add(new MeterLedger.Entry(record.topic(), record.partition(), record.offset(), null, null,
                        null, record.value(), null));
                unreadableReasons.add("not a CloudEvent: empty record");
                continue;
            }
            Reading reading;
            try {
                reading = reader.read(event);
            } catch (RuntimeException e) {
                reading = new Reading.Rejected("cannot be read: " + e);
            }
            entries.add(new MeterLedger.Entry(record.topic(), record.partition(), record.offset(), event.id(),
                    event.type(), event.subject(), record.value(), reading));
        }
        tx.executeWithoutResult(status -> {
            Set<String> fresh = ledger.claim(NAME, entries);
            Set<String> applied = new HashSet<>();
            List<Reading.Transition> transitions = new ArrayList<>();
            List<String> transitionIds = new ArrayList<>();
            List<Reading.Executions> executions = new ArrayList<>();
            List<MeterLedger.Entry> rejected = new ArrayList<>(unreadable);
            List<String> reasons = new ArrayList<>(unreadableReasons);
            for (MeterLedger.Entry e : entries) {
                if (!fresh.contains(e.eventId()) || !applied.add(e.eventId())) {
                    continue;
                }
                switch (e.reading()) {
                    case Reading.Transition t -> {
                        transitions.add(t);
                        transitionIds.add(e.eventId());
                        if (t.problem() != null) {
                            rejected.add(e);
                            reasons.add(t.problem());
                        }
                    }
                    case Reading.Executions x -> executions.add(x);
                    case Reading.Rejected r -> {
                        rejected.add(e);
                        reasons.add(r.reason());
                    }
                    case Reading.NotMetered n -> log.debug("not metered: {}", n.why());
                }
            }
            ledger.transitions(transitions, transitionIds);
            ledger.executions(executions);
            ledger.rejections(rejected, reasons);
            if (!rejected.isEmpty()) {
                log.warn("meter: {} event(s) rejected, first: {}", rejected.size(), reasons.getFirst());
            }
        });
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public Health health() {
        if (bootstrapServers.isBlank()) {
            return Health.unknown().withDetail("reason", "cirrus.kafka.bootstrap-servers is not set").build();
        }
        Thread t = thread;
        if (t == null || !t.isAlive()) {
            return Health.down().withDetail("consumer", NAME).build();
        }
        return Health.up().withDetail("consumer", NAME).withDetail("topics", TOPICS).build();
    }
}
