package dev.cirrus.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import dev.cirrus.embedded.EmbeddedKafkaServer;
import dev.cirrus.embedded.EmbeddedPostgresServer;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.TransportConfig;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Real PostgreSQL and Kafka servers for tests, started at most once per test JVM and shared by its tests.
 *
 * <p>Where they come from, in this order:
 * <ol>
 *   <li>environment variables, so that one PostgreSQL and one Kafka can serve a whole build:
 *       {@code CIRRUS_TEST_POSTGRES_URL} (e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres}, a database the
 *       user may create databases from), {@code CIRRUS_TEST_POSTGRES_USER}, {@code CIRRUS_TEST_POSTGRES_PASSWORD}
 *       and {@code CIRRUS_TEST_KAFKA_BOOTSTRAP_SERVERS};</li>
 *   <li>Testcontainers, when a Docker daemon answers and already has the image locally (no registry need be
 *       reachable: a daemon started for the container tests, without these images, changes nothing);</li>
 *   <li>servers embedded in the test JVM: zonky's PostgreSQL and an in-JVM KRaft broker.</li>
 * </ol>
 * Every test gets its own database ({@link PostgresEndpoint#newDatabase(String)}), so tests sharing a server never
 * see each other's rows.
 */
public final class TestInfrastructure {

    static final String POSTGRES_IMAGE = "postgres:16.6-alpine";
    static final String KAFKA_IMAGE = "apache/kafka:4.1.1";

    private static PostgresEndpoint postgres;
    private static String kafka;
    private static Boolean docker;

    private TestInfrastructure() {
    }

    /** Where the PostgreSQL server is, and how to get a fresh database on it. */
    public record PostgresEndpoint(String adminUrl, String username, String password, String source) {
        private static final AtomicInteger SEQUENCE = new AtomicInteger();

        /** Creates an empty database with a unique name and returns its JDBC URL. */
        public String newDatabase(String prefix) {
            String name = (prefix + "_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet())
                    .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
            try (Connection c = DriverManager.getConnection(adminUrl, username, password);
                 Statement s = c.createStatement()) {
                s.execute("create database " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("could not create test database " + name, e);
            }
            return adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + name;
        }
    }

    public static synchronized PostgresEndpoint postgres() {
        if (postgres == null) {
            String url = System.getenv("CIRRUS_TEST_POSTGRES_URL");
            if (url != null && !url.isBlank()) {
                postgres = new PostgresEndpoint(url, env("CIRRUS_TEST_POSTGRES_USER", "postgres"),
                        env("CIRRUS_TEST_POSTGRES_PASSWORD", "postgres"), "environment");
            } else if (dockerAvailable() && imagePresent(POSTGRES_IMAGE)) {
                PostgreSQLContainer container = new PostgreSQLContainer(POSTGRES_IMAGE);
                container.start();
                postgres = new PostgresEndpoint(container.getJdbcUrl(), container.getUsername(),
                        container.getPassword(), "testcontainers");
            } else {
                EmbeddedPostgresServer server = EmbeddedPostgresServer.start(null, 0);
                Runtime.getRuntime().addShutdownHook(new Thread(server::close));
                postgres = new PostgresEndpoint(server.jdbcUrl("postgres"), EmbeddedPostgresServer.USER,
                        EmbeddedPostgresServer.PASSWORD, "embedded");
            }
        }
        return postgres;
    }

    /** The bootstrap servers of the shared Kafka broker. */
    public static synchronized String kafkaBootstrapServers() {
        if (kafka == null) {
            String servers = System.getenv("CIRRUS_TEST_KAFKA_BOOTSTRAP_SERVERS");
            if (servers != null && !servers.isBlank()) {
                kafka = servers;
            } else if (dockerAvailable() && imagePresent(KAFKA_IMAGE)) {
                KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
                container.start();
                kafka = container.getBootstrapServers();
            } else {
                EmbeddedKafkaServer server = EmbeddedKafkaServer.start(null, 0);
                Runtime.getRuntime().addShutdownHook(new Thread(server::close));
                kafka = server.bootstrapServers();
            }
        }
        return kafka;
    }

    /**
     * True when a Docker daemon answers (Testcontainers can run). Asked over the daemon's API directly, as
     * {@link #imagePresent} is: Testcontainers' own client would first start (and so pull) its reaper image, which
     * cannot be pulled where no registry is reachable.
     */
    public static synchronized boolean dockerAvailable() {
        if (docker == null) {
            docker = dockerGet("/_ping");
        }
        return docker;
    }

    /** True when the Docker daemon has the image locally, so Testcontainers need not pull it. */
    static boolean imagePresent(String image) {
        return dockerGet("/images/" + image + "/json");
    }

    /** True when the daemon Testcontainers would use answers the GET with 200. */
    private static boolean dockerGet(String path) {
        try {
            TransportConfig transport = DockerClientFactory.instance().getTransportConfig();
            try (DockerHttpClient http = new ZerodepDockerHttpClient.Builder().dockerHost(transport.getDockerHost())
                    .sslConfig(transport.getSslConfig()).connectionTimeout(Duration.ofSeconds(3))
                    .responseTimeout(Duration.ofSeconds(10)).build();
                 DockerHttpClient.Response response = http.execute(DockerHttpClient.Request.builder()
                         .method(DockerHttpClient.Request.Method.GET).path(path).build())) {
                return response.getStatusCode() == 200;
            }
        } catch (Throwable e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
