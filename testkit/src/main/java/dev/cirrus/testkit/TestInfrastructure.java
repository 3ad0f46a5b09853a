package dev.cirrus.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import dev.cirrus.embedded.EmbeddedKafkaServer;
import dev.cirrus.embedded.EmbeddedPostgresServer;
import org.testcontainers.DockerClientFactory;
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
 *   <li>Testcontainers, when a Docker daemon answers;</li>
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
            } else if (dockerAvailable()) {
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
            } else if (dockerAvailable()) {
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

    /** True when a Docker daemon answers (Testcontainers can run). */
    public static synchronized boolean dockerAvailable() {
        if (docker == null) {
            boolean answers;
            try {
                answers = DockerClientFactory.instance().isDockerAvailable();
            } catch (Throwable e) {
                answers = false;
            }
            docker = answers;
        }
        return docker;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
