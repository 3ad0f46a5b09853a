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
        kafka.start();
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
