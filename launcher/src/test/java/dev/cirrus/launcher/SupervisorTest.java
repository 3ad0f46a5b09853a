package dev.cirrus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor with real child processes ({@link ExitingChild}), no platform. */
class SupervisorTest {

    @TempDir
    Path logs;

    private final List<String> reports = new CopyOnWriteArrayList<>();
    private final AtomicInteger changes = new AtomicInteger();
    private final List<Process> started = new CopyOnWriteArrayList<>();
    private Supervisor supervisor;

    @AfterEach
    void stop() {
        if (supervisor != null) {
            supervisor.close();
        }
        started.forEach(Process::destroyForcibly);
    }

    private Supervisor supervisor(RestartPolicy policy) {
        supervisor = new Supervisor(policy, Duration.ofSeconds(30), Clock.systemUTC(), reports::add,
                changes::incrementAndGet);
        return supervisor;
    }

    /** A child that lives {@code lifeMillis} and then exits with {@code code}; its output goes to a log file. */
    private Supervisor.Child child(long lifeMillis, int code) {
        Path log = logs.resolve("child-" + started.size() + ".log");
        try {
            Process p = new ProcessBuilder(PlatformConfig.currentJava().toString(), "-Xmx32m", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), ExitingChild.class.getName(),
                    Long.toString(lifeMillis), Integer.toString(code))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            started.add(p);
            return new Supervisor.Child() {
                @Override
                public long pid() {
                    return p.pid();
                }

                @Override
                public CompletableFuture<?> onExit() {
                    return p.onExit();
                }

                @Override
                public int exitCode() {
                    return p.exitValue();
                }

                @Override
                public boolean alive() {
                    return p.isAlive();
                }

                @Override
                public boolean ready() {
                    // a child that exits at once never gets to serve; a long-lived one serves while it lives
                    return lifeMillis > 0 && p.isAlive();
                }

                @Override
                public String logTail(int lines) {
                    return ServiceProcess.tail(log, lines);
                }

                @Override
                public void kill() {
                    p.destroyForcibly();
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aChildThatExitsUnexpectedlyIsReportedAtOnceAndStartedAgainAfterItsBackOff() {
        Supervisor s = supervisor(new RestartPolicy(Duration.ofMillis(300), Duration.ofSeconds(5), 5,
                Duration.ofMinutes(2)));
        Supervisor.Child first = child(0, 3);
        long firstPid = first.pid();

        s.watch("billing", first, () -> child(60_000, 0));

        await().atMost(Duration.ofSeconds(30)).until(() -> reports.stream().anyMatch(r -> r.contains("running again")));
        assertThat(reports.getFirst()).isEqualTo("billing (pid " + firstPid + ") exited unexpectedly with code 3; "
                + "restarting it in 0.3 s (crash 1 within PT2M)");
        Supervisor.Status status = s.statuses().get("billing");
        assertThat(status.state()).isEqualTo(Supervisor.State.RUNNING);
        assertThat(status.restarts()).isEqualTo(1);
        assertThat(status.pid()).isNotEqualTo(firstPid);
        assertThat(ProcessHandle.of(status.pid())).isPresent();
        assertThat(changes.get()).isGreaterThanOrEqualTo(4); // watched, crashed, starting, running
    }

    @Test
    void aChildThatKeepsCrashingIsStartedWithGrowingBackOffThenLeftDownWithTheTailOfItsLog() {
        Supervisor s = supervisor(new RestartPolicy(Duration.ofMillis(100), Duration.ofMillis(200), 4,
                Duration.ofMinutes(2)));
        Supplier<Supervisor.Child> crashing = () -> child(0, 7);

        s.watch("serverless", crashing.get(), crashing);

        await().atMost(Duration.ofSeconds(60)).until(() -> s.statuses().get("serverless").state()
                == Supervisor.State.DOWN);
        assertThat(reports).hasSize(4);
        assertThat(reports.get(0)).endsWith("restarting it in 0.1 s (crash 1 within PT2M)");
        // doubled, then capped at 0.2 s
        assertThat(reports.get(1)).endsWith("restarting it in 0.2 s (crash 2 within PT2M)")
                .contains("exited unexpectedly with code 7");
        assertThat(reports.get(2)).endsWith("restarting it in 0.2 s (crash 3 within PT2M)");
        assertThat(reports.get(3)).contains("it keeps crashing (4 times within PT2M), so it is left down")
                .contains("will exit with 7");
        assertThat(s.statuses().get("serverless").restarts()).isEqualTo(3);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> reports.size() == 4 && started.size() == 4);
    }

    @Test
    void aProcessStoppedOnPurposeIsNeitherReportedNorRestarted() {
        Supervisor s = supervisor(new RestartPolicy(Duration.ofMillis(50), Duration.ofMillis(50), 5,
                Duration.ofMinutes(2)));
        Supervisor.Child running = child(60_000, 0);
        s.watch("gateway", running, () -> child(60_000, 0));

        s.forget("gateway");
        running.kill();

        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3)).until(() -> !running.alive());
        assertThat(reports).isEmpty();
        assertThat(started).hasSize(1);
        assertThat(s.statuses()).doesNotContainKey("gateway");
    }

    @Test
    void aRestartThatFailsCountsAsACrashAndIsTriedAgainAfterTheBackOff() {
        Supervisor s = supervisor(new RestartPolicy(Duration.ofMillis(100), Duration.ofMillis(100), 5,
                Duration.ofMinutes(2)));
        AtomicInteger attempts = new AtomicInteger();
        s.watch("postgresql", child(0, 1), () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("port 5432 is still in use");
            }
            return child(60_000, 0);
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> reports.stream().anyMatch(r -> r.contains("running again")));
        assertThat(reports.get(1)).isEqualTo("postgresql could not be started again: port 5432 is still in use; "
                + "trying again in 0.1 s (crash 2 within PT2M)");
        assertThat(s.statuses().get("postgresql").state()).isEqualTo(Supervisor.State.RUNNING);
        assertThat(s.statuses().get("postgresql").restarts()).isEqualTo(2);
    }
}
