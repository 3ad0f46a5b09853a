package dev.cirrus.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.cirrus.contracts.events.Topics;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.TestInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Restart safety: the billing service runs as a separate process (its own JVM, the test's class path) against the
 * test PostgreSQL and Kafka, is killed with SIGKILL in the middle of a stream, more events arrive while it is down,
 * and it is started again. The totals must equal the independent reference of {@link ExactnessTest} exactly.
 */
@Tag("scenario") // slow: runs in the second Maven run of ./cirrus test (root pom.xml)
class KillRestartTest {

    static final JsonMapper json = JsonMapper.builder().build();
    static final JsonMapper exact = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    Process billing;

    @AfterEach
    void stop() {
        if (billing != null) {
            billing.destroyForcibly();
        }
    }

    @Test
    void billingKilledMidStreamAndRestartedEndsWithTheReferenceTotals() throws Exception {
        ExactnessTest.Model model = ExactnessTest.generate(4242L, 10_000);
        String sub = UUID.randomUUID().toString();
        // the child process runs on the real clock: the recorded month is moved back 31 days, to 1-31 October 2026, so
        // that the model's "now" (1 December) becomes 31 October 00:00, the end of the period asked for (1-30 October)
        List<Map<String, Object>> events = ExactnessTest.materialise(model, sub, Duration.ofDays(31));
        String bootstrap = TestInfrastructure.kafkaBootstrapServers();
        String db = TestInfrastructure.postgres().newDatabase("billing_kill");
        String group = "billing-kill-" + UUID.randomUUID();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Set<String> ids = new HashSet<>();
        try (KafkaProducer<String, String> producer = ExactnessTest.producer()) {
            startGroupAtTheEnd(bootstrap, group);   // the group reads this test's events, not earlier tests'
            int half = events.size() / 2;
            send(producer, events.subList(0, half), ids);

            billing = start(db, bootstrap, group, port);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> applied(db) > half / 3);
            long before = applied(db);
            billing.destroyForcibly();   // SIGKILL
            assertThat(billing.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(billing.exitValue()).isEqualTo(137);
            assertThat(before).isLessThan(ids.size());

            // the rest of the stream, and a tenth of it again, arrive while billing is down
            send(producer, events.subList(half, events.size()), ids);
            send(producer, events.subList(0, events.size() / 10), ids);
        }
        billing = start(db, bootstrap, group, port);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() -> applied(db) == ids.size());

        HttpResponse<String> response = ServiceCredentials.httpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/subscriptions/" + sub + "/providers/Microsoft.CostManagement/costs"
                        + "?api-version=2024-08-01&startDate=2026-10-01&endDate=2026-10-30")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode costs = exact.readTree(response.body()).get("properties");
        assertThat(costs.get("totalCost").decimalValue()).isEqualByComparingTo(ExactnessTest.shown(model.total()));
    }

    static void send(KafkaProducer<String, String> producer, List<Map<String, Object>> events, Set<String> ids)
            throws Exception {
        for (Map<String, Object> e : events) {
            Map<String, Object> event = new LinkedHashMap<>(e);
            String topic = (String) event.remove("_topic");
            ids.add((String) event.get("id"));
            producer.send(new ProducerRecord<>(topic, ((String) event.get("subject")).toLowerCase(),
                    json.writeValueAsString(event)));
        }
        producer.flush();
    }

    static void startGroupAtTheEnd(String bootstrap, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (var d : admin.describeTopics(List.of(Topics.COMPUTE_VM, Topics.COMPUTE_CONTAINER, Topics.APP_SERVICE,
                    Topics.SERVERLESS)).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
                d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS)
                    .forEach((tp, info) -> offsets.put(tp, new OffsetAndMetadata(info.offset())));
            admin.alterConsumerGroupOffsets(group, offsets).all().get(30, TimeUnit.SECONDS);
        }
    }

    Process start(String db, String bootstrap, String group, int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createTempFile("billing-kill", ".log");
        return new ProcessBuilder(java, "-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                BillingApplication.class.getName(), "--server.port=" + port,
                "--cirrus.service-credential=" + ServiceCredentials.value(), "--spring.datasource.url=" + db,
                "--spring.datasource.username=" + TestInfrastructure.postgres().username(),
                "--spring.datasource.password=" + TestInfrastructure.postgres().password(),
                "--cirrus.kafka.bootstrap-servers=" + bootstrap, "--cirrus.billing.meter.consumer-group=" + group,
                "--cirrus.billing.meter.max-poll-records=500",
                "--cirrus.billing.price-sheet=classpath:prices/exactness-price-sheet.yaml")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static long applied(String db) throws Exception {
        try (Connection c = DriverManager.getConnection(db, TestInfrastructure.postgres().username(),
                TestInfrastructure.postgres().password());
             ResultSet rs = c.createStatement().executeQuery(
                     "select count(*) from inbox where consumer = 'billing-meter'")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return -1;   // not migrated yet
        }
    }
}
