package dev.cirrus.launcher;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import dev.cirrus.embedded.EmbeddedPostgresServer;

/**
 * PostgreSQL as the {@link Supervisor} sees it: its postmaster, watched by pid ({@link Liveness}), and the server
 * processes under it, remembered at each poll so that those a killed postmaster leaves behind can be ended before
 * a new server starts on the same data directory (they still hold its shared memory, which a new postmaster
 * refuses to share).
 */
final class PostgresChild implements Supervisor.Child {

    private final ProcessHandle postmaster;
    private final String jdbcUrl;
    private final IntFunction<String> logTail;
    private final CompletableFuture<Void> exit;
    private volatile List<ProcessHandle> serverProcesses;

    PostgresChild(ProcessHandle postmaster, String jdbcUrl, IntFunction<String> logTail) {
        this.postmaster = postmaster;
        this.jdbcUrl = jdbcUrl;
        this.logTail = logTail;
        this.serverProcesses = postmaster.descendants().toList();
        this.exit = Liveness.endOf(this::alive, () -> serverProcesses = postmaster.descendants().toList());
    }

    @Override
    public long pid() {
        return postmaster.pid();
    }

    @Override
    public CompletableFuture<?> onExit() {
        return exit;
    }

    /** Unknown: the postmaster is {@code pg_ctl}'s child, not the launcher's. */
    @Override
    public int exitCode() {
        return -1;
    }

    @Override
    public boolean alive() {
        return Liveness.running(postmaster);
    }

    /** True when it accepts a connection and answers a query. */
    @Override
    public boolean ready() {
        Properties props = new Properties();
        props.setProperty("user", EmbeddedPostgresServer.USER);
        props.setProperty("password", EmbeddedPostgresServer.PASSWORD);
        props.setProperty("connectTimeout", "2");
        props.setProperty("socketTimeout", "2");
        try (Connection c = DriverManager.getConnection(jdbcUrl, props)) {
            return c.createStatement().execute("select 1");
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public String logTail(int lines) {
        return logTail.apply(lines);
    }

    /** SIGKILL to the postmaster and every server process it had. */
    @Override
    public void kill() {
        postmaster.destroyForcibly();
        endLeftovers(Duration.ofSeconds(5));
    }

    /** Ends the server processes a dead postmaster left behind and waits (up to {@code timeout}) until they are gone. */
    void endLeftovers(Duration timeout) {
        List<ProcessHandle> left = serverProcesses.stream().filter(Liveness::running).toList();
        left.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle p : left) {
            while (Liveness.running(p) && System.nanoTime() < deadline) {
                try {
                    TimeUnit.MILLISECONDS.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
