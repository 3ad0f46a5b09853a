package dev.cirrus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL and Kafka are supervised like the services, on a real run (PostgreSQL, Kafka and compute-container as
 * a child process): their end is reported within about a second, they are started again on the same data and port,
 * {@code ./cirrus status} shows them with their restarts, and the service recovers by itself.
 */
@Tag("scenario") // slow: runs in the second Maven run of ./cirrus test (root pom.xml)
class SupervisedServersTest {

    private static final Path REPO = PlatformConfig.locateRepoRoot(Path.of(""));

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> progress = new CopyOnWriteArrayList<>();

    private RunningPlatform start(Path data) {
        return Platform.start(PlatformConfig.builder()
                .repoRoot(REPO)
                .dataDir(data)
                .ports(PortPlan.freePorts())
                .services(ServiceModule.COMPUTE_CONTAINER)
                .readinessTimeout(Duration.ofSeconds(180))
                .build(), progress::add);
    }

    @Test
    void aKilledPostgresqlIsReportedAtOnceRestartedOnItsDataAndPortAndTheServiceAnswersAgainWithoutARestart()
            throws Exception {
        Path data = tmp.resolve("data");
        try (RunningPlatform platform = start(data)) {
            int port = platform.config().ports().postgres();
            long service = platform.pid(ServiceModule.COMPUTE_CONTAINER).orElseThrow();
            assertThat(healthy(platform)).isTrue();
            try (Connection c = DriverManager.getConnection(platform.jdbcUrl(ServiceModule.COMPUTE_CONTAINER),
                    "postgres", "postgres")) {
                c.createStatement().execute("create table kept (note text); insert into kept values ('before the kill')");
            }
            long before = platform.postgresPid().orElseThrow();
            assertThat(StatusFile.render(data)).containsPattern("postgresql +running +" + before + " +" + port + " +0 ");

            ProcessHandle.of(before).orElseThrow().destroyForcibly(); // kill -9 of the postmaster alone
            long killedAt = System.nanoTime();

            await().pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(3)).until(() -> progress.stream()
                    .anyMatch(line -> line.startsWith("postgresql (pid " + before + ") exited unexpectedly; "
                            + "restarting it in 1.0 s (crash 1 within PT2M)")));
            Duration noticedAfter = Duration.ofNanos(System.nanoTime() - killedAt);
            System.out.println("PostgreSQL's end reported after " + noticedAfter.toMillis() + " ms");
            assertThat(noticedAfter).isLessThan(Duration.ofMillis(1500));

            await().atMost(Duration.ofSeconds(90)).until(() -> progress.stream()
                    .anyMatch(line -> line.startsWith("postgresql is running again")));
            long after = platform.postgresPid().orElseThrow();
            assertThat(after).isNotEqualTo(before);
            assertThat(StatusFile.render(data)).containsPattern("postgresql +running +" + after + " +" + port + " +1 ");
            try (Connection c = DriverManager.getConnection(platform.jdbcUrl(ServiceModule.COMPUTE_CONTAINER),
                    "postgres", "postgres")) {
                ResultSet rs = c.createStatement().executeQuery("select note from kept");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("before the kill");
            }

            // the service's pool reconnects by itself: it answers again, and it is the same process
            await().atMost(Duration.ofSeconds(30)).until(() -> healthy(platform));
            assertThat(platform.pid(ServiceModule.COMPUTE_CONTAINER)).hasValue(service);
            assertThat(progress).noneMatch(line -> line.startsWith("compute-container (pid"));
        }
    }

    @Test
    void aKafkaBrokerThatEndsIsReportedAtOnceRestartedOnItsLogAndShownByStatus() throws Exception {
        Path data = tmp.resolve("data");
        try (RunningPlatform platform = start(data)) {
            String bootstrap = platform.kafkaBootstrapServers();
            long launcher = ProcessHandle.current().pid();
            send(bootstrap, "before the end");
            assertThat(StatusFile.render(data)).containsPattern("kafka +running +" + launcher + " +\\d+ +0 ");

            platform.haltKafkaForTests();
            long endedAt = System.nanoTime();

            await().pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(3)).until(() -> progress.stream()
                    .anyMatch(line -> line.startsWith("kafka (pid " + launcher + ") exited unexpectedly; "
                            + "restarting it in 1.0 s (crash 1 within PT2M)")));
            Duration noticedAfter = Duration.ofNanos(System.nanoTime() - endedAt);
            System.out.println("Kafka's end reported after " + noticedAfter.toMillis() + " ms");
            assertThat(noticedAfter).isLessThan(Duration.ofMillis(1500));

            await().atMost(Duration.ofSeconds(90)).until(() -> progress.stream()
                    .anyMatch(line -> line.startsWith("kafka is running again")));
            assertThat(StatusFile.render(data)).containsPattern("kafka +running +" + launcher + " +"
                    + platform.config().ports().kafka() + " +1 ");
            send(bootstrap, "after the restart");
            assertThat(records(bootstrap)).containsExactly("before the end", "after the restart");
            assertThat(healthy(platform)).isTrue();
        }
    }

    /**
     * The service's overall health: its {@code db} indicator borrows a connection from the service's pool and asks
     * PostgreSQL whether it is valid, so it is UP (200) only while the pool reaches PostgreSQL.
     */
    private HttpResponse<String> health(RunningPlatform platform) throws Exception {
        URI uri = platform.serviceUrl(ServiceModule.COMPUTE_CONTAINER).resolve("/actuator/health");
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private boolean healthy(RunningPlatform platform) throws Exception {
        HttpResponse<String> r = health(platform);
        return r.statusCode() == 200 && r.body().contains("\"UP\"");
    }

    private static final String TOPIC = "cirrus.launcher.supervision";

    private static void send(String bootstrap, String value) throws Exception {
        try (var producer = new KafkaProducer<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.send(new ProducerRecord<>(TOPIC, 0, "k", value)).get();
        }
    }

    private static List<String> records(String bootstrap) {
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            TopicPartition p0 = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(p0));
            consumer.seekToBeginning(List.of(p0));
            long end = consumer.endOffsets(List.of(p0)).get(p0);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(p0) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
        }
        return values;
    }
}
