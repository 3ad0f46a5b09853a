package dev.cirrus.plumbing.events;

import java.nio.file.Path;

import dev.cirrus.embedded.EmbeddedKafkaServer;

/**
 * The platform's Kafka broker (the same embedded KRaft broker the launcher runs) alone in a child process, for
 * {@link DurableCommitsCrashTest} to kill. Arguments: log directory, port, controller port.
 */
public final class CrashKafka {

    private CrashKafka() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedKafkaServer kafka = EmbeddedKafkaServer.create(Path.of(args[0]), Integer.parseInt(args[1]),
                Integer.parseInt(args[2]), 3);
        long main = System.currentTimeMillis();
        kafka.start();
        long ready = System.currentTimeMillis();
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        // where a restart's time goes (JVM start and class loading, then the broker's recovery and start)
        System.err.printf("crash-kafka: main() %d ms after the JVM started, broker ready %d ms later%n",
                main - jvmStart, ready - main);
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
