package dev.cirrus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import java.util.ArrayList;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's own mechanics on a real run: PostgreSQL, Kafka and one real service (compute-container, the
 * template every service copies) as a child process. The whole platform with all seven services is what the
 * system tests start.
 */
@Tag("scenario") // slow: runs in the second Maven run of ./cirrus test (root pom.xml)
class PlatformTest {

    private static final Path REPO = PlatformConfig.locateRepoRoot(Path.of(""));

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    private PlatformConfig.Builder oneService(Path data) {
        return PlatformConfig.builder()
                .repoRoot(REPO)
                .dataDir(data)
                .ports(PortPlan.freePorts())
                .services(ServiceModule.COMPUTE_CONTAINER)
                .readinessTimeout(Duration.ofSeconds(120));
    }

    @Test
    void aStartedPlatformAnswersOnItsEndpointsAndLeavesNoProcessBehindWhenClosed() throws Exception {
        Path data = tmp.resolve("data");
        long servicePid;
        long postgresPid;
        PortPlan ports;
        List<String> progress = new ArrayList<>();
        try (RunningPlatform platform = Platform.start(oneService(data).build(), progress::add)) {
            ports = platform.config().ports();
            URI service = platform.serviceUrl(ServiceModule.COMPUTE_CONTAINER);
            assertThat(service).isEqualTo(URI.create("http://127.0.0.1:" + ports.http(ServiceModule.COMPUTE_CONTAINER)));
            assertThat(get(service.resolve("/actuator/health/readiness")).body()).contains("\"UP\"");

            assertThat(platform.gatewayUrl()).isEqualTo(URI.create("http://127.0.0.1:" + ports.http(ServiceModule.GATEWAY)));
            assertThat(platform.kafkaBootstrapServers()).isEqualTo("127.0.0.1:" + ports.kafka());
            assertThat(platform.placementTarget()).isEqualTo("127.0.0.1:" + ports.placementGrpc());
            assertThat(platform.postgresJdbcBaseUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + ports.postgres() + "/");
            try (Connection c = DriverManager.getConnection(platform.postgresJdbcBaseUrl() + "postgres", "postgres", "postgres")) {
                ResultSet rs = c.createStatement().executeQuery("select datname from pg_database order by datname");
                List<String> databases = new ArrayList<>();
                while (rs.next()) {
                    databases.add(rs.getString(1));
                }
                assertThat(databases).contains("gateway", "compute_vm", "compute_container", "app_service",
                        "serverless", "billing", "placement");
            }

            assertThat(progress).anyMatch(line -> line.startsWith("compute-container") && line.contains("ready"));
            assertThat(platform.logFile(ServiceModule.COMPUTE_CONTAINER)).isEqualTo(data.resolve("logs/compute-container.log"));
            assertThat(Files.readString(platform.logFile(ServiceModule.COMPUTE_CONTAINER))).contains("Started");

            RunStats stats = platform.stats();
            assertThat(stats.allHealthy()).isPositive();
            assertThat(stats.processes()).extracting(RunStats.ProcessStats::name)
                    .containsExactly("launcher+kafka", "postgresql", "compute-container");
            assertThat(stats.processes()).allSatisfy(p -> assertThat(p.rssKib()).isPresent());
            String json = Files.readString(data.resolve("run-stats.json"));
            assertThat(json).contains("\"startToAllHealthyMillis\"", "\"compute-container\"", "\"rssKib\"",
                    "\"gateway\": \"" + platform.gatewayUrl() + "\"");

            servicePid = platform.pid(ServiceModule.COMPUTE_CONTAINER).orElseThrow();
            postgresPid = platform.postgresPid().orElseThrow();
            assertThat(ProcessHandle.of(servicePid).orElseThrow().parent().map(ProcessHandle::pid))
                    .contains(ProcessHandle.current().pid());
        }

        assertThat(ProcessHandle.of(servicePid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(ProcessHandle.of(postgresPid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(ports.busy()).isEmpty();
        assertThat(DataFolder.reset(data)).isEqualTo(DataFolder.ResetOutcome.WIPED);
    }

    @Test
    void aRestartOnTheSameDataFolderKeepsTheDatabasesAndTheKafkaRecordsAndUsesTheClassArchive() throws Exception {
        Path data = tmp.resolve("data");
        Path archive = DataFolder.cdsDir(data, ServiceModule.COMPUTE_CONTAINER).resolve("app.jsa");
        try (RunningPlatform platform = Platform.start(oneService(data).classDataSharing(true).build())) {
            assertThat(archive).doesNotExist();
            try (Connection c = DriverManager.getConnection(platform.jdbcUrl(ServiceModule.COMPUTE_CONTAINER),
                    "postgres", "postgres")) {
                c.createStatement().execute("create table kept (note text); insert into kept values ('before restart')");
            }
            try (var producer = new KafkaProducer<String, String>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                producer.send(new ProducerRecord<>("cirrus.launcher.test", "k", "before restart")).get();
            }
        }

        // the service wrote its class archive when it stopped
        assertThat(archive).isNotEmptyFile();

        // a new run, on other ports even, finds everything again
        try (RunningPlatform platform = Platform.start(oneService(data).classDataSharing(true).build())) {
            assertThat(Files.readString(platform.logFile(ServiceModule.COMPUTE_CONTAINER)))
                    .contains("-XX:SharedArchiveFile=" + archive);
            try (Connection c = DriverManager.getConnection(platform.jdbcUrl(ServiceModule.COMPUTE_CONTAINER),
                    "postgres", "postgres")) {
                ResultSet rs = c.createStatement().executeQuery("select note from kept");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("before restart");
                ResultSet migrations = c.createStatement().executeQuery(
                        "select count(*) from flyway_schema_history where success");
                migrations.next();
                assertThat(migrations.getInt(1)).isPositive();
            }
            assertThat(recordsOf(platform.kafkaBootstrapServers(), "cirrus.launcher.test")).contains("before restart");
        }
    }

    @Test
    void aSecondPlatformAndAResetAreRefusedWhileAPlatformRunsOnTheDataFolder() {
        Path data = tmp.resolve("data");
        try (RunningPlatform platform = Platform.start(oneService(data).build())) {
            assertThatThrownBy(() -> Platform.start(oneService(data).build()))
                    .isInstanceOf(PlatformStartException.class)
                    .hasMessageContaining("already running on " + data);
            assertThatThrownBy(() -> DataFolder.reset(data))
                    .isInstanceOf(PlatformStartException.class)
                    .hasMessageContaining("already running");
            assertThat(platform.pid(ServiceModule.COMPUTE_CONTAINER)).isPresent();
        }
    }

    @Test
    void aServiceThatStopsAndStartsAgainAnswersAgain() throws Exception {
        try (RunningPlatform platform = Platform.start(oneService(tmp.resolve("data")).build())) {
            long before = platform.pid(ServiceModule.COMPUTE_CONTAINER).orElseThrow();

            platform.stopService(ServiceModule.COMPUTE_CONTAINER);
            assertThat(platform.pid(ServiceModule.COMPUTE_CONTAINER)).isEmpty();
            assertThat(ProcessHandle.of(before).filter(ProcessHandle::isAlive)).isEmpty();

            platform.startService(ServiceModule.COMPUTE_CONTAINER);
            assertThat(platform.pid(ServiceModule.COMPUTE_CONTAINER)).isPresent();
            assertThat(get(platform.serviceUrl(ServiceModule.COMPUTE_CONTAINER).resolve("/actuator/health/readiness"))
                    .statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aServiceKilledBehindTheLaunchersBackIsReportedAtOnceRestartedAndShownByStatus() throws Exception {
        Path data = tmp.resolve("data");
        List<String> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (RunningPlatform platform = Platform.start(oneService(data).build(), progress::add)) {
            long before = platform.pid(ServiceModule.COMPUTE_CONTAINER).orElseThrow();
            assertThat(StatusFile.render(data)).contains("Cirrus is running on").containsPattern(
                    "compute-container +running +" + before + " +" + platform.config().ports()
                            .http(ServiceModule.COMPUTE_CONTAINER) + " +0");

            ProcessHandle.of(before).orElseThrow().destroyForcibly();

            await().atMost(Duration.ofSeconds(5)).until(() -> progress.stream().anyMatch(line -> line.startsWith(
                    "compute-container (pid " + before + ") exited unexpectedly with code 137; restarting it in 1.0 s")));
            await().atMost(Duration.ofSeconds(120)).until(() -> progress.stream()
                    .anyMatch(line -> line.startsWith("compute-container is running again")));
            long after = platform.pid(ServiceModule.COMPUTE_CONTAINER).orElseThrow();
            assertThat(after).isNotEqualTo(before);
            assertThat(get(platform.serviceUrl(ServiceModule.COMPUTE_CONTAINER).resolve("/actuator/health/readiness"))
                    .statusCode()).isEqualTo(200);
            assertThat(StatusFile.render(data)).containsPattern("compute-container +running +" + after + " +\\d+ +1 ");
        }
        assertThat(StatusFile.render(data)).startsWith("Cirrus is not running on");
    }

    @Test
    void aServiceRefusesCallsWithoutThePlatformsCredentialAndListensOnLoopbackOnly() throws Exception {
        Path data = tmp.resolve("data");
        try (RunningPlatform platform = Platform.start(oneService(data).build())) {
            URI list = platform.serviceUrl(ServiceModule.COMPUTE_CONTAINER)
                    .resolve("/subscriptions/s/providers/Microsoft.ContainerInstance/containerGroups?api-version=2023-05-01");
            HttpResponse<String> refused = get(list);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).contains("\"AuthenticationFailed\"");
            HttpResponse<String> trusted = http.send(HttpRequest.newBuilder(list)
                    .header("X-Cirrus-Service-Credential", platform.serviceCredential()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(trusted.statusCode()).isNotEqualTo(401);

            assertThat(Files.readString(DataFolder.serviceCredentialFile(data)).strip())
                    .isEqualTo(platform.serviceCredential());
            // never on a command line (the log's first line is the service's command)
            assertThat(Files.readString(platform.logFile(ServiceModule.COMPUTE_CONTAINER)))
                    .doesNotContain(platform.serviceCredential());
            int port = platform.config().ports().http(ServiceModule.COMPUTE_CONTAINER);
            for (java.net.InetAddress address : nonLoopbackAddresses()) {
                try (var socket = new java.net.Socket()) {
                    assertThatThrownBy(() -> socket.connect(new java.net.InetSocketAddress(address, port), 2000))
                            .as("compute-container on " + address).isInstanceOf(java.io.IOException.class);
                }
            }
        }
    }

    private static List<java.net.InetAddress> nonLoopbackAddresses() throws java.net.SocketException {
        return java.net.NetworkInterface.networkInterfaces().filter(i -> {
            try {
                return i.isUp() && !i.isLoopback();
            } catch (java.net.SocketException e) {
                return false;
            }
        }).flatMap(java.net.NetworkInterface::inetAddresses)
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress()).toList();
    }

    @Test
    void aServiceThatCannotStartFailsTheStartWithTheEndOfItsLogAndEverythingStops() {
        Path data = tmp.resolve("data");
        PlatformConfig config = oneService(data)
                .jvmOptions(List.of("-Xmx160m", "-Dspring.config.import=file:/nonexistent/cirrus-broken.yml"))
                .build();

        assertThatThrownBy(() -> Platform.start(config))
                .isInstanceOf(PlatformStartException.class)
                .hasMessageContaining("compute-container exited with code")
                .hasMessageContaining("cirrus-broken.yml");

        assertThat(DataFolder.postmaster(data)).isEmpty();
        assertThat(config.ports().busy()).isEmpty();
        assertThat(DataFolder.reset(data)).isEqualTo(DataFolder.ResetOutcome.WIPED);
    }

    @Test
    void aPortInUseIsRefusedBeforeAnythingStarts() throws Exception {
        Path data = tmp.resolve("data");
        try (var taken = new ServerSocket(0)) {
            PlatformConfig config = oneService(data).ports(PortPlan.freePorts().with("kafka", taken.getLocalPort())).build();

            assertThatThrownBy(() -> Platform.start(config))
                    .isInstanceOf(PlatformStartException.class)
                    .hasMessageContaining("kafka " + taken.getLocalPort())
                    .hasMessageContaining("--port-offset");
        }
        assertThat(Files.exists(DataFolder.postgresDir(data))).isFalse();
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> recordsOf(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "launcher-test");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, String>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            }
        }
        return values;
    }
}
