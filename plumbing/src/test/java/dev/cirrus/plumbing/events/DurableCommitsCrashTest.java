package dev.cirrus.plumbing.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.embedded.EmbeddedPostgresServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Acknowledged writes and their events survive a crash of everything. A writer ({@link CrashWriter}: the real outbox
 * and relay) acknowledges writes under a steady load while PostgreSQL (embedded, as the launcher runs it), Kafka
 * ({@link CrashKafka}, its own JVM) and the writer's JVM are killed with SIGKILL at random moments: the writer in every
 * round, PostgreSQL in a random half of the rounds, and all three together in every fifth. After the rounds,
 * with the relay left to drain: every acknowledged write is in the database, every event on Kafka is a committed
 * write's, and no committed write's event is missing.
 */
class DurableCommitsCrashTest {

    private static final int ROUNDS = 20;
    private static final String TOPIC = "cirrus.crash-test";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private final Random random = new Random();
    private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    private final List<Process> children = new ArrayList<>();
    private EmbeddedPostgresServer postgres;
    private Process kafka;
    private int pgPort;
    private int kafkaPort;
    private int controllerPort;

    @AfterEach
    void killWhatIsLeft() {
        children.forEach(Process::destroyForcibly);
        killPostgres();
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void everyAcknowledgedWriteAndExactlyTheCommittedEventsSurviveKillsOfEveryProcess() throws Exception {
        pgPort = freePort();
        kafkaPort = freePort();
        controllerPort = freePort();
        startPostgres();
        String url = postgres.jdbcUrl("crash");
        var ds = new DriverManagerDataSource(url, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
        Flyway.configure().dataSource(ds).locations("classpath:db/plumbing").load().migrate();
        new JdbcTemplate(ds).execute("create table crash_items(id bigint primary key)");
        startKafka();

        long started = System.nanoTime();
        int postgresKills = 0;
        int kafkaKills = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long before = acknowledged.size();
            Process writer = startWriter(url, round * 1_000_000L);
            // a steady load: let it acknowledge some writes, then crash at a random moment
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= before + 5);
            Thread.sleep(random.nextInt(400));
            boolean all = round % 5 == 0;
            boolean killPostgres = all || random.nextBoolean();
            // a broker restart costs a JVM start and a log recovery: every fifth round, with everything else
            boolean killKafka = all;
            writer.destroyForcibly();
            if (killPostgres) {
                killPostgres();
                postgresKills++;
            }
            if (killKafka) {
                kafka.destroyForcibly();
                kafka.waitFor();
                kafkaKills++;
            }
            writer.waitFor();
            if (killPostgres) {
                startPostgres();
            }
            if (killKafka) {
                startKafka();
            }
            System.out.printf("round %d: killed the writer%s%s; %d writes acknowledged so far, %d ms since the start%n",
                    round, killPostgres ? ", PostgreSQL" : "", killKafka ? ", Kafka" : "", acknowledged.size(),
                    (System.nanoTime() - started) / 1_000_000);
        }

        // after the crashes: the relay publishes what was committed and not yet published
        var jdbc = new JdbcTemplate(ds);
        OutboxRelay relay = new OutboxRelay(jdbc, new TransactionTemplate(new DataSourceTransactionManager(ds)),
                bootstrap(), Duration.ofMillis(50));
        try (relay) {
            relay.start(new Outbox(jdbc, JSON));
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.backlog() == 0);
        }
        Set<Long> committed = new HashSet<>(jdbc.queryForList("select id from crash_items", Long.class));
        Set<Long> published = readEvents(committed.size());

        assertThat(postgresKills).isGreaterThan(ROUNDS / 5);
        assertThat(kafkaKills).isEqualTo(ROUNDS / 5);
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ROUNDS * 5);
        assertThat(committed).as("every acknowledged write is committed").containsAll(acknowledged);
        assertThat(published).as("every event is a committed write's").isSubsetOf(committed);
        assertThat(committed).as("no committed write's event is missing").isSubsetOf(published);
        assertThat(jdbc.queryForObject("select count(*) from outbox", Long.class)).isEqualTo(committed.size());
    }

    private Process startWriter(String url, long firstId) throws IOException {
        Process writer = java(CrashWriter.class, url, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD,
                bootstrap(), TOPIC, Long.toString(firstId));
        Thread.ofPlatform().daemon(true).start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("ACK ")) {
                        acknowledged.add(Long.parseLong(line.substring(4)));
                    }
                }
            } catch (IOException e) {
                // the writer was killed mid-line: what it printed before is already counted
            }
        });
        return writer;
    }

    private void startKafka() throws IOException {
        kafka = java(CrashKafka.class, dir.resolve("kafka").toString(), Integer.toString(kafkaPort),
                Integer.toString(controllerPort));
        var in = new BufferedReader(new InputStreamReader(kafka.getInputStream(), StandardCharsets.UTF_8));
        List<String> output = new ArrayList<>();
        for (String line = in.readLine(); ; line = in.readLine()) {
            if (line == null) {
                throw new IllegalStateException("the Kafka child exited before it was ready: "
                        + String.join("\n", output.subList(Math.max(0, output.size() - 30), output.size())));
            }
            output.add(line);
            if (line.equals("READY")) {
                break;
            }
        }
        // keep draining its output so that it never blocks on a full pipe
        Thread.ofPlatform().daemon(true).start(() -> {
            try {
                in.transferTo(java.io.Writer.nullWriter());
            } catch (IOException e) {
                // killed
            }
        });
    }

    private void startPostgres() {
        postgres = EmbeddedPostgresServer.start(dir.resolve("postgres"), pgPort);
        postgres.ensureDatabase("crash");
    }

    /** SIGKILL to the postmaster and every PostgreSQL process under it, as a crash would end them. */
    private void killPostgres() {
        Path pidFile = dir.resolve("postgres").resolve("postmaster.pid");
        if (postgres == null || !Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().strip());
            ProcessHandle.of(pid).ifPresent(postmaster -> {
                List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
                all.add(postmaster);
                all.forEach(ProcessHandle::destroyForcibly);
                all.forEach(p -> p.onExit().join());
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            postgres.close(); // frees zonky's lock on the data directory; the server is gone already
        } catch (RuntimeException e) {
            // pg_ctl stop finds no server: expected after a kill
        }
        postgres = null;
    }

    private Process java(Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                // Kafka's log cleaner takes a 128 MB buffer: the launcher gives the broker 512 MB
                main == CrashKafka.class ? "-Xmx448m" : "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        Path log = Path.of("target", main.getSimpleName() + ".log");
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        children.add(p);
        return p;
    }

    private String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    /** The item ids of every event on the topic (duplicates of a re-sent event count once). */
    private Set<Long> readEvents(int expected) {
        Set<Long> ids = new HashSet<>();
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "crash-check",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long quietSince = System.nanoTime();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline
                    && (ids.size() < expected || System.nanoTime() - quietSince < Duration.ofSeconds(1).toNanos())) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    quietSince = System.nanoTime();
                }
                for (var r : records) {
                    CloudEvent event = JSON.readValue(r.value(), CloudEvent.class);
                    ids.add(event.data().get("id").asLong());
                }
            }
        }
        return ids;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
