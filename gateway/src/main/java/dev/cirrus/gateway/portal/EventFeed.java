package dev.cirrus.gateway.portal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import dev.cirrus.contracts.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Feeds the {@link EventBuffer} from every lifecycle topic ({@link Topics#ALL}): a consumer of its own (a group of
 * one, from the latest offsets: the portal shows what happens from the gateway's start on, nothing is committed),
 * on its own thread. Topics created later are picked up within seconds. Off when
 * {@code cirrus.kafka.bootstrap-servers} is empty.
 */
@Component
class EventFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventFeed.class);

    private final String bootstrap;
    private final EventBuffer buffer;
    private final ObjectMapper json;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile Thread thread;

    EventFeed(@Value("${cirrus.kafka.bootstrap-servers:}") String bootstrap, EventBuffer buffer, ObjectMapper json) {
        this.bootstrap = bootstrap;
        this.buffer = buffer;
        this.json = json;
    }

    @Override
    public void start() {
        if (bootstrap == null || bootstrap.isBlank()) {
            return;
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "gateway-portal-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "3000");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> c = new KafkaConsumer<>(props);
        List<String> topics = new ArrayList<>(Topics.ALL);
        c.subscribe(topics);
        consumer = c;
        Thread t = new Thread(() -> run(c), "gateway-portal-events");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void run(KafkaConsumer<String, String> c) {
        try {
            while (true) {
                for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(500))) {
                    buffer.add(seen(record));
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            log.warn("the portal's event feed stopped: {}", e.toString());
        } finally {
            c.close(Duration.ofSeconds(2));
        }
    }

    EventBuffer.Seen seen(ConsumerRecord<String, String> record) {
        try {
            JsonNode event = json.readTree(record.value());
            return new EventBuffer.Seen(record.topic(), event.path("id").asString(null),
                    event.path("type").asString(null), event.path("subject").asString(record.key()),
                    event.path("source").asString(null), event.path("time").asString(null),
                    event.path("data").isMissingNode() ? null : event.path("data"));
        } catch (RuntimeException e) {
            return new EventBuffer.Seen(record.topic(), null, null, record.key(), null, null, record.value());
        }
    }

    @Override
    public void stop() {
        KafkaConsumer<String, String> c = consumer;
        Thread t = thread;
        if (c != null) {
            c.wakeup();
            consumer = null;
        }
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    @Override
    public boolean isRunning() {
        return consumer != null;
    }
}
