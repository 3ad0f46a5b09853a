package dev.cirrus.launcher;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code ./cirrus events [TOPIC...] [--bootstrap=HOST:PORT | --port-offset=N]}: prints the lifecycle events of a
 * running platform from the beginning of the topics, one line per event ({@code topic key event-json}), until
 * Ctrl-C. Default topic: {@code cirrus.compute.vm}; {@code all} means every Cirrus topic.
 */
final class EventTail {

    static final List<String> ALL = List.of("cirrus.resources", "cirrus.compute.vm", "cirrus.compute.container",
            "cirrus.appservice", "cirrus.serverless", "cirrus.placement", "cirrus.billing", "cirrus.faults");

    record Options(List<String> topics, String bootstrap) {
    }

    private EventTail() {
    }

    static Options parse(List<String> args) {
        List<String> topics = new ArrayList<>();
        String bootstrap = null;
        int offset = 0;
        for (String arg : args) {
            if (arg.startsWith("--bootstrap=")) {
                bootstrap = arg.substring("--bootstrap=".length());
            } else if (arg.startsWith("--port-offset=")) {
                offset = Integer.parseInt(arg.substring("--port-offset=".length()));
            } else if (arg.startsWith("--")) {
                // options of the other commands (e.g. --repo=, --data=) do not concern a reader of the stream
                continue;
            } else if (arg.equals("all")) {
                topics.addAll(ALL);
            } else {
                topics.add(arg);
            }
        }
        if (topics.isEmpty()) {
            topics.add("cirrus.compute.vm");
        }
        return new Options(List.copyOf(topics),
                bootstrap != null ? bootstrap : "127.0.0.1:" + (PortPlan.DEFAULT_KAFKA_PORT + offset));
    }

    static void run(List<String> args, PrintStream out) {
        Options options = parse(args);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "cirrus-events-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
        AtomicBoolean stopping = new AtomicBoolean();
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            consumer.wakeup();
            try {
                main.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        System.err.println("cirrus: reading " + options.topics() + " from " + options.bootstrap() + " (Ctrl-C stops)");
        try (consumer) {
            consumer.subscribe(options.topics());
            while (!stopping.get()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    out.println(r.topic() + " " + r.key() + " " + r.value());
                }
                out.flush();
            }
        } catch (WakeupException e) {
            // Ctrl-C
        }
    }
}
