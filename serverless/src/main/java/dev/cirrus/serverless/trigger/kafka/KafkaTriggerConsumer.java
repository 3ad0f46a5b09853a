package dev.cirrus.serverless.trigger.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.cirrus.serverless.function.FunctionDefinition;
import dev.cirrus.serverless.function.RetryPolicy;
import dev.cirrus.serverless.runtime.AppDefinition;
import dev.cirrus.serverless.runtime.AppDirectory;
import dev.cirrus.serverless.runtime.FunctionHost;
import dev.cirrus.serverless.runtime.Invocation;
import dev.cirrus.serverless.runtime.KafkaOutput;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The consumer of one Kafka-triggered function, on its own thread. One message is one execution (cardinality
 * one); its offset is committed only after the message is done (the execution succeeded, or every attempt failed
 * and the message is on the poison topic): at least once, so a crash or a stop repeats the message in flight.
 * A failed execution is tried again after the retry policy's pause, up to its attempts; then the message, with
 * its key, value and headers plus {@code cirrus-poison-*} headers saying why, goes to {@code {topic}-poison}
 * and the consumer moves on.
 */
final class KafkaTriggerConsumer {

    private static final Logger log = LoggerFactory.getLogger(KafkaTriggerConsumer.class);

    /** What a consumer is started from; a different spec for the same function replaces the consumer. */
    record Spec(String appName, String functionName, String topic, String consumerGroup, String autoOffsetReset,
                RetryPolicy retry, Duration functionTimeout) {
    }

    private final Spec spec;
    private final AppDirectory directory;
    private final FunctionHost host;
    private final KafkaOutput output;
    private final ObjectMapper json;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Thread thread;

    KafkaTriggerConsumer(Spec spec, String bootstrapServers, AppDirectory directory, FunctionHost host,
                         KafkaOutput output, ObjectMapper json) {
        this.spec = spec;
        this.directory = directory;
        this.host = host;
        this.output = output;
        this.json = json;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, spec.consumerGroup());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "cirrus-fn-" + spec.appName() + "-" + spec.functionName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, spec.autoOffsetReset());
        // one message per poll: polling again is cheap (fetched data is buffered), and it bounds the time between
        // two polls by one message's attempts, which sets max.poll.interval.ms below
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        long perMessage = spec.retry().attempts() * (spec.functionTimeout().toMillis() + spec.retry().maxDelay().toMillis());
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, perMessage + 60_000));
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = Thread.ofPlatform().name("kafka-trigger-" + spec.appName() + "-" + spec.functionName())
                .daemon().unstarted(this::run);
    }

    /** False once the thread ended (stopped, or a Kafka error it could not get past): then it is replaced. */
    boolean alive() {
        return thread.isAlive();
    }

    Spec spec() {
        return spec;
    }

    void start() {
        thread.start();
    }

    /**
     * Asks the consumer to stop after the message in flight (its offset is committed only if it finished); the
     * consumer thread then closes the consumer, leaving the group.
     */
    void stop() {
        // no consumer.wakeup(): it would fail the commit of a message that just finished; the poll returns
        // within 500 ms anyway
        stopping.countDown();
    }

    void awaitStopped(Duration atMost) {
        try {
            thread.join(atMost);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean stopped() {
        return stopping.getCount() == 0;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(spec.topic()));
            while (!stopped()) {
                for (ConsumerRecord<byte[], byte[]> message : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition partition = new TopicPartition(message.topic(), message.partition());
                    if (!handle(message)) {
                        // not done (stopping, the app went away, the poison topic unreachable): read it again later
                        consumer.seek(partition, message.offset());
                        pause(Duration.ofSeconds(1));
                        break;
                    }
                    try {
                        consumer.commitSync(Map.of(partition, new OffsetAndMetadata(message.offset() + 1)));
                    } catch (CommitFailedException | RebalanceInProgressException e) {
                        // the partition moved to another consumer meanwhile: it will see the message again
                        log.info("offset {} of {} not committed ({}): the message may run again", message.offset(),
                                partition, e.getMessage());
                    }
                }
            }
        } catch (RuntimeException e) {
            // the next refresh of KafkaTriggers starts a new consumer; the uncommitted message runs again
            log.warn("Kafka trigger {}/{} stopped: {}", spec.appName(), spec.functionName(), e.toString());
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.debug("closing the consumer of {}/{}: {}", spec.appName(), spec.functionName(), e.getMessage());
            }
        }
    }

    /** Runs the message's attempts; true when it is done with (succeeded or poisoned). */
    private boolean handle(ConsumerRecord<byte[], byte[]> message) {
        RetryPolicy retry = spec.retry();
        String lastError = null;
        for (int attempt = 1; attempt <= retry.attempts(); attempt++) {
            if (attempt > 1 && pause(retry.delayBefore(attempt))) {
                return false;
            }
            if (stopped()) {
                return false;
            }
            AppDefinition definition = directory.byName(spec.appName()).orElse(null);
            FunctionDefinition function = definition == null || !definition.app().running() ? null
                    : definition.functions().stream().filter(f -> f.name().equalsIgnoreCase(spec.functionName()))
                    .findFirst().orElse(null);
            if (function == null || function.config().disabled()) {
                return false;
            }
            try {
                FunctionHost.Execution execution = host.execute(definition, function, invocation(function, message, attempt));
                if (!execution.outcome().status().isFailure()) {
                    return true;
                }
                lastError = execution.outcome().error();
            } catch (RuntimeException e) {
                // no instance could be had (the app is at its maximum, its worker runtime is unknown, the sandbox
                // would not start): a failed attempt like any other
                lastError = e.getMessage();
            }
        }
        return poison(message, lastError);
    }

    private Invocation invocation(FunctionDefinition function, ConsumerRecord<byte[], byte[]> message, int attempt) {
        ObjectNode event = json.createObjectNode();
        event.put("Offset", message.offset());
        event.put("Partition", message.partition());
        event.put("Topic", message.topic());
        event.put("Timestamp", Instant.ofEpochMilli(message.timestamp()).toString());
        event.put("Key", message.key() == null ? null : new String(message.key(), StandardCharsets.UTF_8));
        event.put("Value", message.value() == null ? null : new String(message.value(), StandardCharsets.UTF_8));
        ArrayNode headers = event.putArray("Headers");
        for (Header header : message.headers()) {
            headers.addObject().put("Key", header.key())
                    .put("Value", header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        String triggerName = function.config().trigger().name();
        ObjectNode bindings = json.createObjectNode();
        bindings.set(triggerName, event);
        ObjectNode bindingData = event.deepCopy();
        bindingData.putObject("retryContext").put("retryCount", attempt - 1).put("maxRetryCount", spec.retry().attempts() - 1);
        return new Invocation(UUID.randomUUID().toString(), triggerName, bindings, bindingData);
    }

    private boolean poison(ConsumerRecord<byte[], byte[]> message, String error) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(spec.topic() + "-poison", null, message.key(),
                message.value(), new RecordHeaders(message.headers().toArray()));
        record.headers().add("cirrus-poison-topic", bytes(message.topic()));
        record.headers().add("cirrus-poison-partition", bytes(Integer.toString(message.partition())));
        record.headers().add("cirrus-poison-offset", bytes(Long.toString(message.offset())));
        record.headers().add("cirrus-poison-consumer-group", bytes(spec.consumerGroup()));
        record.headers().add("cirrus-poison-function", bytes(spec.appName() + "/" + spec.functionName()));
        record.headers().add("cirrus-poison-attempts", bytes(Integer.toString(spec.retry().attempts())));
        String reason = error == null ? "unknown" : error;
        record.headers().add("cirrus-poison-error", bytes(reason.length() > 2000 ? reason.substring(0, 2000) : reason));
        try {
            output.send(record);
            log.info("message {}-{}@{} failed {} attempts of {}/{}: sent to {}", message.topic(), message.partition(),
                    message.offset(), spec.retry().attempts(), spec.appName(), spec.functionName(), record.topic());
            return true;
        } catch (IllegalStateException e) {
            log.warn("could not send a poison message to {}: {}", record.topic(), e.getMessage());
            return false;
        }
    }

    /** Waits, unless stopping; true when stopping. */
    private boolean pause(Duration duration) {
        try {
            return stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
