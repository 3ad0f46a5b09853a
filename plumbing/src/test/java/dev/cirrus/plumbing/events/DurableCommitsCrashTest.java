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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.embedded.EmbeddedPostgresServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
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
 *
 * <p>Where the time goes (2 cores): a writer JVM's start (~1.5 s), a PostgreSQL restart with its crash recovery
 * (1–3 s) and a Kafka JVM's start with its log recovery (10–15 s). Only what was killed is restarted, on the same
 * data directory and ports; the next round's writer is started while the current one is under load and takes over
 * the moment it is killed (retrying until PostgreSQL answers, when PostgreSQL was killed too), and a
 * killed broker comes back while the next rounds run (the writers' relays retry until it does; it is up again before
 * it is killed again and before the final check). A round kills after a random number of further acknowledgements,
 * which the test polls every few milliseconds: no fixed pauses.
 *
 * <p>The check can fail: {@link #theCheckFindsTheAcknowledgedWritesThatAServerAcknowledgingBeforeItsCommitsAreOnDiskLoses}
 * runs the same rounds against a server that acknowledges commits before they are on disk and requires that the
 * check reports lost acknowledged writes.
 */
@Tag("scenario") // slow (kills PostgreSQL servers): runs in the second Maven run of ./cirrus test (root pom.xml)
class DurableCommitsCrashTest {

    private static final int ROUNDS = 20;
    private static final String TOPIC = "cirrus.crash-test";
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Duration POLL = Duration.ofMillis(5);

    @TempDir
    Path dir;

    private final Random random = new Random();
    private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    private final List<Process> children = new CopyOnWriteArrayList<>();
    private EmbeddedPostgresServer postgres;
    private boolean losingRecentCommits;
    private volatile Process kafka;
    private int pgPort;
    private int kafkaPort;
    private int controllerPort;

    @AfterEach
    void killWhatIsLeft() {
        children.forEach(Process::destroyForcibly);
        killPostgres();
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void everyAcknowledgedWriteAndExactlyTheCommittedEventsSurviveKillsOfEveryProcess() throws Exception {
        pgPort = freePort();
        kafkaPort = freePort();
        controllerPort = freePort();
        long t0 = System.nanoTime();
        // the broker's JVM starts while PostgreSQL is initialised and migrated
        CompletableFuture<Void> kafkaUp = startKafkaInBackground();
        startPostgres();
        String url = postgres.jdbcUrl("crash");
        var ds = new DriverManagerDataSource(url, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
        createSchema(ds);
        kafkaUp.join();
        long started = System.nanoTime();
        System.out.printf("set-up: %d ms%n", (started - t0) / 1_000_000);

        int postgresKills = 0;
        int kafkaKills = 0;
        Process writer = startWriter(url, 0, false);
        // the next round's writer starts (JVM, pool, relay) while this round's is under load, and writes once told
        Process standby = startWriter(url, 1_000_000L, true);
        for (int round = 0; round < ROUNDS; round++) {
            awaitFurtherAcknowledgements(5 + random.nextInt(36));
            boolean all = round % 5 == 0;
            boolean killPostgres = all || random.nextBoolean();
            // a broker restart costs a JVM start and a log recovery: every fifth round, with everything else
            boolean killKafka = all;
            if (killKafka) {
                kafkaUp.join(); // the previous restart is complete: it is killed up and serving
            }
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
            if (round + 1 < ROUNDS) {
                // the standby takes over at once; while PostgreSQL recovers it retries until PostgreSQL answers
                writer = standby;
                go(writer);
                if (round + 2 < ROUNDS) {
                    standby = startWriter(url, (round + 2) * 1_000_000L, true);
                }
            }
            if (killPostgres) {
                startPostgres();
            }
            if (killKafka) {
                long restartFrom = System.nanoTime();
                int r = round;
                kafkaUp = startKafkaInBackground().thenRun(() -> System.out.printf(
                        "Kafka killed in round %d serves again after %d ms%n", r,
                        (System.nanoTime() - restartFrom) / 1_000_000));
            }
            System.out.printf("round %d: killed the writer%s%s; %d writes acknowledged so far, %d ms since the start%n",
                    round, killPostgres ? ", PostgreSQL" : "", killKafka ? ", Kafka" : "", acknowledged.size(),
                    (System.nanoTime() - started) / 1_000_000);
        }
        kafkaUp.join();

        // after the crashes: the relay publishes what was committed and not yet published
        var jdbc = new JdbcTemplate(ds);
        OutboxRelay relay = new OutboxRelay(jdbc, new TransactionTemplate(new DataSourceTransactionManager(ds)),
                bootstrap(), Duration.ofMillis(50));
        try (relay) {
            relay.start(new Outbox(jdbc, JSON));
            await().pollInterval(Duration.ofMillis(50)).atMost(Duration.ofSeconds(30)).until(() -> relay.backlog() == 0);
        }
        Set<Long> committed = committed(jdbc);
        Set<Long> published = readEvents();
        System.out.printf("rounds and check: %d ms; %d acknowledged, %d committed, %d published%n",
                (System.nanoTime() - started) / 1_000_000, acknowledged.size(), committed.size(), published.size());

        assertThat(postgresKills).isGreaterThan(ROUNDS / 5);
        assertThat(kafkaKills).isEqualTo(ROUNDS / 5);
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ROUNDS * 5);
        assertThat(lostAcknowledged(committed)).as("every acknowledged write is committed").isEmpty();
        assertThat(published).as("every event is a committed write's").isSubsetOf(committed);
        assertThat(committed).as("no committed write's event is missing").isSubsetOf(published);
        assertThat(jdbc.queryForObject("select count(*) from outbox", Long.class)).isEqualTo(committed.size());
    }

    /**
     * The same harness against a server that acknowledges a commit before its WAL is written
     * ({@link EmbeddedPostgresServer#startLosingRecentCommitsOnCrashForTests}: {@code synchronous_commit=off}, and
     * the last, partly filled WAL page written only every 10 s): the writer and then every PostgreSQL process are
     * SIGKILLed right after acknowledgements, so the latest acknowledged commits are only in the dead server's
     * memory, and the check must report them. Kafka is not needed for that finding: the writer's relay retries into
     * the void.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theCheckFindsTheAcknowledgedWritesThatAServerAcknowledgingBeforeItsCommitsAreOnDiskLoses() throws Exception {
        pgPort = freePort();
        kafkaPort = freePort();
        losingRecentCommits = true;
        startPostgres();
        String url = postgres.jdbcUrl("crash");
        var ds = new DriverManagerDataSource(url, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
        createSchema(ds);

        List<Integer> lostPerRound = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            Process writer = startWriter(url, round * 1_000_000L, false);
            awaitFurtherAcknowledgements(30);
            writer.destroyForcibly();
            killPostgres();
            writer.waitFor();
            startPostgres();
            Set<Long> lost = lostAcknowledged(committed(new JdbcTemplate(ds)));
            lostPerRound.add(lost.size() - lostPerRound.stream().mapToInt(Integer::intValue).sum());
        }
        System.out.printf("acknowledged writes lost per round: %s of %d acknowledged%n", lostPerRound,
                acknowledged.size());

        assertThat(lostAcknowledged(committed(new JdbcTemplate(ds))))
                .as("the check reports acknowledged writes that are not committed").isNotEmpty();
    }

    private void createSchema(DriverManagerDataSource ds) {
        Flyway.configure().dataSource(ds).locations("classpath:db/plumbing").load().migrate();
        new JdbcTemplate(ds).execute("create table crash_items(id bigint primary key)");
    }

    /** Waits (polling every few milliseconds, so that the kill that follows falls at a random moment of a write). */
    private void awaitFurtherAcknowledgements(int n) {
        int target = acknowledged.size() + n;
        await().pollDelay(Duration.ZERO).pollInterval(POLL).atMost(Duration.ofSeconds(30))
                .until(() -> acknowledged.size() >= target);
    }

    private static Set<Long> committed(JdbcTemplate jdbc) {
        return new HashSet<>(jdbc.queryForList("select id from crash_items", Long.class));
    }

    /** The check's first finding: acknowledged writes that are not committed. */
    private Set<Long> lostAcknowledged(Set<Long> committed) {
        Set<Long> lost = new HashSet<>(acknowledged);
        lost.removeAll(committed);
        return lost;
    }

    private Process startWriter(String url, long firstId, boolean standby) throws IOException {
        Process writer = java(CrashWriter.class, url, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD,
                bootstrap(), TOPIC, Long.toString(firstId), standby ? "standby" : "now");
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

    /** Tells a standby writer to start writing. */
    private static void go(Process standby) throws IOException {
        standby.getOutputStream().write("GO\n".getBytes(StandardCharsets.US_ASCII));
        standby.getOutputStream().flush();
    }

    /** Starts the broker's JVM; the future completes once it serves. */
    private CompletableFuture<Void> startKafkaInBackground() {
        CompletableFuture<Void> up = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).name("crash-kafka-start").start(() -> {
            try {
                startKafka();
                up.complete(null);
            } catch (Throwable e) {
                up.completeExceptionally(e);
            }
        });
        return up;
    }

    private void startKafka() throws IOException {
        Process k = java(CrashKafka.class, dir.resolve("kafka").toString(), Integer.toString(kafkaPort),
                Integer.toString(controllerPort));
        kafka = k;
        var in = new BufferedReader(new InputStreamReader(k.getInputStream(), StandardCharsets.UTF_8));
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
        postgres = losingRecentCommits
                ? EmbeddedPostgresServer.startLosingRecentCommitsOnCrashForTests(dir.resolve("postgres"), pgPort)
                : EmbeddedPostgresServer.start(dir.resolve("postgres"), pgPort);
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
                // not this JVM's children: the JDK would poll their end every 300 ms and more; /proc is at hand
                await().pollDelay(Duration.ZERO).pollInterval(POLL).atMost(Duration.ofSeconds(10))
                        .until(() -> all.stream().noneMatch(DurableCommitsCrashTest::running));
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

    /** Alive and not a zombie (a killed process whose new parent has not reaped it yet). */
    private static boolean running(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return p.isAlive();
        }
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

    /** The item ids of every event on the topic, read to its end (duplicates of a re-sent event count once). */
    private Set<Long> readEvents() {
        Set<Long> ids = new HashSet<>();
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            // the partitions assigned directly: no consumer group to join (its coordinator may still be loading
            // after the broker's restarts); read up to the end offsets as they are now, after the relay drained
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(TOPIC, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the topic was not read to its end " + end + " within 30 s");
                }
                for (var r : consumer.poll(Duration.ofMillis(200))) {
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
