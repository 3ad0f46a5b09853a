package dev.cirrus.serverless.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The Kafka output binding and the poison topic: records sent with acks=all and waited for, so an execution is
 * only a success once its output is on the broker.
 */
@Component
public class KafkaOutput {

    private final String bootstrapServers;
    private volatile KafkaProducer<byte[], byte[]> producer;

    KafkaOutput(@Value("${cirrus.kafka.bootstrap-servers:}") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** The platform's Kafka, which Kafka triggers consume from too. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public boolean available() {
        return !bootstrapServers.isBlank();
    }

    public void send(String topic, String key, String value) {
        send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8)));
    }

    /** Sends one record and waits until the broker has it (acks=all). */
    public void send(ProducerRecord<byte[], byte[]> record) {
        String topic = record.topic();
        if (!available()) {
            throw new IllegalStateException("no Kafka configured (cirrus.kafka.bootstrap-servers)");
        }
        try {
            producer().send(record).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending to " + topic);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not send to Kafka topic " + topic + ": " + e.getMessage());
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    Properties props = new Properties();
                    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
                    props.put(ProducerConfig.ACKS_CONFIG, "all");
                    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
                    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
                    producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
                }
            }
        }
        return producer;
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(2));
        }
    }
}
