package dev.cirrus.systemtests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import dev.cirrus.contracts.events.CloudEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from its beginning as an outside consumer of the event stream would. */
final class EventStream implements AutoCloseable {

    record Received(String key, CloudEvent event) {
    }

    private final KafkaConsumer<String, String> consumer;
    private final List<Received> seen = new ArrayList<>();

    EventStream(String bootstrapServers, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "system-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(topic));
    }

    /** Polls once more and returns everything seen so far, in topic order per partition. */
    synchronized List<Received> poll() {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
            seen.add(new Received(r.key(), Arm.JSON.readValue(r.value(), CloudEvent.class)));
        }
        return List.copyOf(seen);
    }

    List<Received> about(String resourceId) {
        return poll().stream().filter(r -> r.event().subject().equalsIgnoreCase(resourceId)).toList();
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
