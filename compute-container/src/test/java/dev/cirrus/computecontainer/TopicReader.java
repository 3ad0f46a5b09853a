package dev.cirrus.computecontainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Reads a Kafka topic from its beginning, as a consumer of Cirrus's events would, keeping every record seen. */
public final class TopicReader implements AutoCloseable {

    /** One record: its key and its value, parsed. */
    public record Event(String key, String raw, JsonNode json) {
        public String type() {
            return json.path("type").stringValue();
        }

        public JsonNode data() {
            return json.path("data");
        }
    }

    private final KafkaConsumer<String, String> consumer;
    private final List<Event> seen = new ArrayList<>();
    private final ObjectMapper json = JsonMapper.builder().build();

    public TopicReader(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "compute-container-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                // the topic appears when the service's relay first runs: notice it quickly
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        consumer.subscribe(List.of(topic));
    }

    /** Polls once more and returns every record seen so far whose key is {@code key}, in topic order. */
    public synchronized List<Event> events(String key) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(300))) {
            seen.add(new Event(r.key(), r.value(), json.readTree(r.value())));
        }
        return seen.stream().filter(e -> key.equals(e.key())).toList();
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
