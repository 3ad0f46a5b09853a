package dev.cirrus.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (zonky's bundled binaries) run from a JVM. It works as root because zonky starts the
 * server inside a user namespace ({@code unshare -U}). With a data directory it keeps its data across restarts;
 * without one it uses a fresh temporary directory. Commits are durable (fsync, synchronous commit and full-page
 * writes on) and the server listens on loopback only.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";
    /** How long a commit waits for others to share its WAL flush, when {@link #COMMIT_SIBLINGS} are in flight. */
    static final int COMMIT_DELAY_MICROS = 200;
    static final int COMMIT_SIBLINGS = 3;

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts a server.
     *
     * @param dataDirectory where the cluster lives; {@code null} for a throw-away one
     * @param port          the port to listen on; 0 for any free port
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
        return start(dataDirectory, port, false);
    }

    /**
     * Test-only, never for the platform: a server that acknowledges commits BEFORE they are on disk
     * ({@code synchronous_commit=off}), with the WAL writer writing the last, partly filled WAL page only every
     * 10 s ({@code wal_writer_delay}, and {@code wal_writer_flush_after} too large to trigger a flush). A SIGKILL of
     * every PostgreSQL process then loses the latest acknowledged commits: what a crash test must be able to see
     * ({@code plumbing}'s {@code DurableCommitsCrashTest}).
     */
    public static EmbeddedPostgresServer startLosingRecentCommitsOnCrashForTests(Path dataDirectory, int port) {
        return start(dataDirectory, port, true);
    }

    private static EmbeddedPostgresServer start(Path dataDirectory, int port, boolean asynchronousCommits) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // durable commits: an answer or an outbox event may depend on a commit, so a commit is on disk
                    // before it is acknowledged, in every mode (zonky passes -F, fsync off, before these settings;
                    // a later setting on the command line wins). Group commit keeps it cheap: a committing
                    // transaction waits commit_delay microseconds for others when commit_siblings more are open,
                    // and one WAL flush then makes them all durable.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("commit_delay", Integer.toString(COMMIT_DELAY_MICROS))
                    .setServerConfig("commit_siblings", Integer.toString(COMMIT_SIBLINGS))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "300");
            if (asynchronousCommits) {
                builder.setServerConfig("synchronous_commit", "off")
                        .setServerConfig("wal_writer_delay", "10000ms")
                        .setServerConfig("wal_writer_flush_after", "1GB");
            }
            if (dataDirectory != null) {
                Files.createDirectories(dataDirectory);
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            if (port > 0) {
                builder.setPort(port);
            }
            return new EmbeddedPostgresServer(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start", e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** Creates the database unless it exists. */
    public void ensureDatabase(String database) {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
             Statement s = c.createStatement()) {
            var rs = s.executeQuery("select 1 from pg_database where datname = '" + database + "'");
            if (!rs.next()) {
                s.execute("create database " + database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database, e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
