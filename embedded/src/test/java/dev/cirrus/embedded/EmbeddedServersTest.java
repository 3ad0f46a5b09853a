package dev.cirrus.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedServersTest {

    @Test
    void postgresKeepsItsDataAcrossARestartOnTheSameDirectory(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir.resolve("pg"), 0)) {
            pg.ensureDatabase("kept");
            try (var c = DriverManager.getConnection(pg.jdbcUrl("kept"), "postgres", "postgres")) {
                c.createStatement().execute("create table t(v text); insert into t values ('survives')");
            }
        }
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir.resolve("pg"), 0)) {
            try (var c = DriverManager.getConnection(pg.jdbcUrl("kept"), "postgres", "postgres")) {
                var rs = c.createStatement().executeQuery("select v from t");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("survives");
            }
        }
    }

    @Test
    void postgresCommitsAreDurableAndGroupedAndItListensOnLoopbackOnly() throws Exception {
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(null, 0);
             var c = DriverManager.getConnection(pg.jdbcUrl("postgres"), "postgres", "postgres")) {
            Map<String, String> expected = Map.of("fsync", "on", "synchronous_commit", "on",
                    "full_page_writes", "on", "commit_delay", "200", "commit_siblings", "3",
                    "listen_addresses", "127.0.0.1");
            for (var e : expected.entrySet()) {
                var rs = c.createStatement().executeQuery("show " + e.getKey());
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void kafkaKeepsItsRecordsAcrossARestartOnTheSamePortAndDirectory(@TempDir Path dir) {
        EmbeddedKafkaServer kafka = EmbeddedKafkaServer.create(dir.resolve("kafka"), 0, 1);
        kafka.start();
        try (var producer = new KafkaProducer<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.send(new ProducerRecord<>("t", "k", "before-restart")).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        kafka.stop();
        kafka.start();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "g");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (var consumer = new KafkaConsumer<String, String>(props)) {
            consumer.subscribe(List.of("t"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String seen = null;
            while (seen == null && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    seen = r.value();
                }
            }
            assertThat(seen).isEqualTo("before-restart");
        } finally {
            kafka.close();
        }
    }

    @Test
    void theTestOnlyServerThatLosesRecentCommitsAcknowledgesBeforeWritingAndTheDefaultOneDoesNot() throws Exception {
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.startLosingRecentCommitsOnCrashForTests(null, 0);
             var c = DriverManager.getConnection(pg.jdbcUrl("postgres"), "postgres", "postgres")) {
            Map<String, String> expected = Map.of("synchronous_commit", "off", "wal_writer_delay", "10s",
                    "fsync", "on");
            for (var e : expected.entrySet()) {
                var rs = c.createStatement().executeQuery("show " + e.getKey());
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void aBrokerThatEndsBehindItsOwnersBackIsNoLongerAliveAndStartsAgainOnItsLog(@TempDir Path dir) {
        EmbeddedKafkaServer kafka = EmbeddedKafkaServer.create(dir.resolve("kafka"), 0, 1);
        try {
            assertThat(kafka.brokerAlive()).isFalse();
            kafka.start();
            assertThat(kafka.brokerAlive()).isTrue();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> kafka.brokerState() == org.apache.kafka.metadata.BrokerState.RUNNING);

            kafka.haltBrokerBehindItsOwnersBack();

            assertThat(kafka.brokerAlive()).isFalse();
            assertThat(kafka.running()).isTrue();
            kafka.stop();
            kafka.start();
            assertThat(kafka.brokerAlive()).isTrue();
        } finally {
            kafka.close();
        }
    }
}
