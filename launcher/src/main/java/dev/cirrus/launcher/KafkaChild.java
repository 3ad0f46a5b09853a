package dev.cirrus.launcher;

import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

import dev.cirrus.embedded.EmbeddedKafkaServer;
import org.apache.kafka.metadata.BrokerState;

/**
 * The Kafka broker as the {@link Supervisor} sees it. It runs inside the launcher's JVM, so its pid is the
 * launcher's and its end is its broker state leaving the living ones ({@link EmbeddedKafkaServer#brokerAlive()},
 * polled by {@link Liveness}).
 */
final class KafkaChild implements Supervisor.Child {

    private final EmbeddedKafkaServer kafka;
    private final IntFunction<String> logTail;
    private final CompletableFuture<Void> exit;

    KafkaChild(EmbeddedKafkaServer kafka, IntFunction<String> logTail) {
        this.kafka = kafka;
        this.logTail = logTail;
        this.exit = Liveness.endOf(kafka::brokerAlive, () -> { });
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public CompletableFuture<?> onExit() {
        return exit;
    }

    /** A broker has no exit code. */
    @Override
    public int exitCode() {
        return -1;
    }

    @Override
    public boolean alive() {
        return kafka.brokerAlive();
    }

    @Override
    public boolean ready() {
        return kafka.brokerState() == BrokerState.RUNNING;
    }

    @Override
    public String logTail(int lines) {
        return logTail.apply(lines);
    }

    @Override
    public void kill() {
        kafka.stop();
    }
}
