package dev.cirrus.launcher;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.LoggerFactory;

/**
 * The command-line entry of the local run ({@code ./cirrus up} runs it): {@code up} starts the platform in the
 * foreground, supervises it and stops it on Ctrl-C; {@code status} shows its processes; {@code reset} wipes the
 * data folder. See {@link LauncherArguments} for the
 * options and {@link Platform} for the same thing as an API.
 */
public final class Launcher {

    static final String LOG_FILE_PROPERTY = "cirrus.launcher.log-file";

    private Launcher() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("events")) {
            // the Kafka client's chatter goes to a file; the console shows only the events
            System.setProperty(LOG_FILE_PROPERTY,
                    java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "cirrus-events.log").toString());
            System.setProperty("logback.configurationFile", "dev/cirrus/launcher/logback-cli.xml");
            EventTail.run(List.of(args).subList(1, args.length), System.out);
            return;
        }
        LauncherArguments parsed;
        try {
            parsed = LauncherArguments.parse(List.of(args), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("cirrus: " + e.getMessage());
            System.err.print(LauncherArguments.USAGE);
            System.exit(2);
            return;
        }
        switch (parsed.command()) {
            case HELP -> System.out.print(LauncherArguments.USAGE);
            case RESET -> System.exit(reset(parsed.config(), System.out, System.err));
            case STATUS -> System.out.print(StatusFile.render(parsed.config().dataDir()));
            case UP -> up(parsed.config());
        }
    }

    static int reset(PlatformConfig config, PrintStream out, PrintStream err) {
        try {
            DataFolder.ResetOutcome outcome = DataFolder.reset(config.dataDir());
            out.println(outcome == DataFolder.ResetOutcome.WIPED
                    ? "Wiped " + config.dataDir() + ": the next start begins with empty databases and topics."
                    : "Nothing to wipe: " + config.dataDir() + " does not exist.");
            return 0;
        } catch (PlatformStartException e) {
            err.println("cirrus: " + e.getMessage());
            return 1;
        }
    }

    private static void up(PlatformConfig config) {
        // before anything logs: the embedded servers' chatter goes to a file, the console keeps the essentials
        System.setProperty(LOG_FILE_PROPERTY, DataFolder.logDir(config.dataDir()).resolve("launcher.log").toString());
        System.setProperty("logback.configurationFile", "dev/cirrus/launcher/logback-cli.xml");
        // initialise logging here, before PostgreSQL and Kafka start logging from two threads at once
        LoggerFactory.getILoggerFactory();

        AtomicReference<RunningPlatform> running = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        stopOnSignals(running, stopped);

        System.out.println("Starting Cirrus: services from " + config.repoRoot() + ", data in " + config.dataDir());
        RunningPlatform platform;
        try {
            platform = Platform.start(config, line -> System.out.println("  " + line));
        } catch (PlatformStartException e) {
            System.err.println();
            System.err.println("cirrus: the platform did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        running.set(platform);
        System.out.println();
        System.out.print(platform.stats().toText());
        System.out.println();
        System.out.println("Press Ctrl-C to stop everything.");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Ctrl-C and SIGTERM stop the platform in order (services, then Kafka, then PostgreSQL) before the JVM exits.
     * Handling the signal here, rather than only in a shutdown hook, matters: the embedded PostgreSQL registers its
     * own shutdown hook, and hooks run all at once, so PostgreSQL would stop under services still writing to it.
     */
    private static void stopOnSignals(AtomicReference<RunningPlatform> running, CountDownLatch stopped) {
        AtomicBoolean stopping = new AtomicBoolean();
        sun.misc.SignalHandler handler = signal -> {
            if (stopping.getAndSet(true)) {
                return; // one stop is under way (a terminal's Ctrl-C may arrive twice through wrappers)
            }
            RunningPlatform platform = running.get();
            if (platform != null) {
                System.out.println();
                System.out.println("Stopping Cirrus: services, then Kafka, then PostgreSQL ...");
                try {
                    platform.close();
                    System.out.println("Stopped. Data kept in " + platform.dataDir());
                } catch (RuntimeException e) {
                    System.err.println("cirrus: " + e.getMessage());
                }
            }
            stopped.countDown();
            // 128 + signal number, as shells report a process ended by a signal
            System.exit(128 + signal.getNumber());
        };
        for (String name : List.of("INT", "TERM")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), handler);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // the JVM or the OS keeps this signal: the platform's shutdown hook still stops everything
            }
        }
    }
}
