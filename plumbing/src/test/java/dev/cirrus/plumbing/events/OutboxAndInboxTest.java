package dev.cirrus.plumbing.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.embedded.EmbeddedKafkaServer;
import dev.cirrus.testkit.TestInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The delivery guarantees of the outbox and the inbox, on a real PostgreSQL and a real Kafka broker of this test's
 * own (so that it can be stopped and started again).
 */
class OutboxAndInboxTest {

    static EmbeddedKafkaServer kafka;
    static final ObjectMapper json = JsonMapper.builder().build();

    JdbcTemplate jdbc;
    TransactionTemplate tx;
    Outbox outbox;
    OutboxRelay relay;
    final List<AutoCloseable> closeables = new ArrayList<>();
    String topic;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaServer.create(null, 0, 3);
        kafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @BeforeEach
    void database() throws Exception {
        var pg = TestInfrastructure.postgres();
        var ds = new DriverManagerDataSource(pg.newDatabase("plumbing"), pg.username(), pg.password());
        Flyway.configure().dataSource(ds).locations("classpath:db/plumbing").load().migrate();
        jdbc = new JdbcTemplate(ds);
        jdbc.execute("create table effects(id bigserial primary key, event_id text, resource text, n int)");
        tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        outbox = new Outbox(jdbc, json);
        relay = new OutboxRelay(jdbc, tx, kafka.bootstrapServers(), Duration.ofMillis(200));
        closeables.add(relay);
        topic = "test." + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
    }

    @AfterEach
    void close() throws Exception {
        kafka.start();
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    @Test
    void anEventIsPublishedIfAndOnlyIfItsTransactionCommits() {
        try {
            tx.executeWithoutResult(s -> {
                outbox.append(topic, event("/r/rolled-back", 1));
                throw new IllegalStateException("the state change fails");
            });
        } catch (IllegalStateException expected) {
            // rolled back
        }
        tx.executeWithoutResult(s -> outbox.append(topic, event("/r/committed", 1)));
        relay.start(outbox);

        List<CloudEvent> seen = readAll(topic, 1, Duration.ofSeconds(30));
        assertThat(seen).extracting(CloudEvent::subject).containsExactly("/r/committed");
        assertThat(jdbc.queryForObject("select count(*) from outbox", Integer.class)).isEqualTo(1);
        assertThat(readAll(topic, 2, Duration.ofSeconds(2))).hasSize(1);
    }

    @Test
    void publishedEventsAreDeletedOnceTheRetentionHasPassedAndUnpublishedOnesNever() {
        OutboxRelay keepingAnHour = new OutboxRelay(jdbc, tx, kafka.bootstrapServers(), Duration.ofMillis(200),
                Duration.ofHours(1));
        closeables.add(keepingAnHour);
        tx.executeWithoutResult(s -> {
            outbox.append(topic, event("/r/old-1", 1));
            outbox.append(topic, event("/r/old-2", 1));
            outbox.append(topic, event("/r/recent", 1));
        });
        assertThat(keepingAnHour.publishOnce().published()).isEqualTo(3);
        tx.executeWithoutResult(s -> outbox.append(topic, event("/r/unpublished", 1)));
        // two were published two hours ago; the unpublished row is as old, and still must stay
        jdbc.update("update outbox set published_at = now() - interval '2 hours' where payload like '%/r/old-%'");
        jdbc.update("update outbox set created_at = now() - interval '3 hours' where payload like '%/r/unpublished%'");

        assertThat(keepingAnHour.purgePublished()).isEqualTo(2);

        assertThat(jdbc.queryForList("select payload from outbox order by seq", String.class))
                .hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("/r/recent"))
                .anySatisfy(p -> assertThat(p).contains("/r/unpublished"));
        assertThat(keepingAnHour.purgePublished()).isZero();
        assertThat(keepingAnHour.backlog()).isEqualTo(1);
    }

    @Test
    void eventsWrittenWhileKafkaIsDownAllArriveInOrderPerResourceAndAreAppliedOnceWhenItReturns() {
        kafka.stop();
        relay.start(outbox);
        for (int n = 0; n < 10; n++) {
            for (int r = 0; r < 6; r++) {
                int seq = n;
                String resource = "/subscriptions/s/resourceGroups/g/providers/X/y/r" + r;
                tx.executeWithoutResult(s -> outbox.append(topic, event(resource, seq)));
            }
        }
        // the relay keeps trying while the broker is away; nothing is marked as published
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> relay.backlog() == 60);

        kafka.start();
        InboxConsumer consumer = consumer("applier", e -> applyEffect(e));
        consumer.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from effects") == 60);
        assertThat(count("select count(distinct event_id) from effects")).isEqualTo(60);
        for (int r = 0; r < 6; r++) {
            List<Integer> order = jdbc.queryForList("select n from effects where resource = ? order by id",
                    Integer.class, "/subscriptions/s/resourceGroups/g/providers/X/y/r" + r);
            assertThat(order).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.backlog() == 0);
    }

    @Test
    void aConsumerThatNamesItsEventTypesAppliesThoseAndLeavesNoInboxRowForTheOthers() {
        relay.start(outbox);
        tx.executeWithoutResult(s -> {
            for (int n = 0; n < 6; n++) {
                CloudEvent e = event("/r/" + n, n);
                outbox.append(topic, n % 2 == 0 ? e
                        : CloudEvent.of("test", "Test.Executed", e.subject(), e.time(), e.data()));
            }
        });
        String name = "picky-" + topic;
        InboxConsumer picky = new InboxConsumer(name, List.of(topic), kafka.bootstrapServers(), jdbc, tx, json,
                "Test.Happened"::equals, this::applyEffect);
        closeables.add(picky);
        picky.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from effects") == 3);
        assertThat(jdbc.queryForList("select n from effects order by n", Integer.class)).containsExactly(0, 2, 4);
        // the other three were read too (same topic, same polls): they never get a row
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> count("select count(*) from inbox where consumer = '" + name + "'") == 3);
        assertThat(jdbc.queryForList("select event_type from inbox where consumer = ?", String.class, name))
                .hasSize(3).containsOnly("Test.Happened");
    }

    @Test
    void aConsumerKilledMidBatchAndRestartedSkipsNothingAndAppliesNothingTwice() {
        relay.start(outbox);
        for (int n = 0; n < 100; n++) {
            int seq = n;
            tx.executeWithoutResult(s -> outbox.append(topic, event("/r/" + (seq % 7), seq)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> relay.backlog() == 0);

        AtomicBoolean crashed = new AtomicBoolean();
        InboxConsumer first = consumer("killed", e -> {
            if (count("select count(*) from effects") == 37 && crashed.compareAndSet(false, true)) {
                throw new SimulatedCrash(); // the process dies here: effects so far are committed, offsets are not
            }
            applyEffect(e);
        });
        first.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> crashed.get() && !first.alive());
        assertThat(count("select count(*) from effects")).isEqualTo(37);

        InboxConsumer second = consumer("killed", this::applyEffect);
        second.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from effects") == 100);
        // and nothing more arrives afterwards: no event is applied a second time
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> count("select count(*) from effects") == 100);
        assertThat(count("select count(distinct event_id) from effects")).isEqualTo(100);
        assertThat(count("select count(*) from inbox where consumer = 'killed-" + topic + "'")).isEqualTo(100);
    }

    static final class SimulatedCrash extends Error {
    }

    private void applyEffect(CloudEvent e) {
        jdbc.update("insert into effects(event_id, resource, n) values (?,?,?)", e.id(), e.subject(),
                e.data().get("n").asInt());
    }

    private InboxConsumer consumer(String name, EventHandler handler) {
        InboxConsumer c = new InboxConsumer(name + "-" + topic, List.of(topic), kafka.bootstrapServers(), jdbc, tx, json,
                handler);
        closeables.add(c);
        return c;
    }

    private int count(String sql) {
        Integer n = jdbc.queryForObject(sql, Integer.class);
        return n == null ? 0 : n;
    }

    private static CloudEvent event(String subject, int n) {
        return CloudEvent.of("test", "Test.Happened", subject, Instant.now(), json.valueToTree(Map.of("n", n)));
    }

    private static List<CloudEvent> readAll(String topic, int expected, Duration max) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<CloudEvent> seen = new ArrayList<>();
        try (var c = new KafkaConsumer<String, String>(p)) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + max.toNanos();
            while (System.nanoTime() < deadline && seen.size() < expected) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    seen.add(json.readValue(r.value(), CloudEvent.class));
                }
            }
        }
        return seen;
    }
}
