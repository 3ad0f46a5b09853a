package dev.cirrus.serverless.trigger.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import dev.cirrus.serverless.support.EndToEndTest;
import dev.cirrus.testkit.TestInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class KafkaTriggerEndToEndTest extends EndToEndTest {

    final KafkaProducer<String, String> producer = producer();

    @AfterEach
    void closeProducer() {
        producer.close(Duration.ofSeconds(2));
    }

    static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    void produce(String topic, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    /** Reads the topic from its start until {@code count} records have come. */
    static List<ConsumerRecord<String, String>> read(String topic, int count) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= count;
            });
        }
        return records;
    }

    /** Reads the topic from its start until a record matches. */
    static ConsumerRecord<String, String> readUntil(String topic, java.util.function.Predicate<ConsumerRecord<String, String>> wanted) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (wanted.test(r)) {
                        found.add(r);
                    }
                });
                return !found.isEmpty();
            });
        }
        return found.get(0);
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static long committedOffset(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                    .mapToLong(e -> e.getValue().offset()).sum();
        }
    }

    JsonNode executions(String app, String fn) throws Exception {
        return JSON.readTree(send("GET", site(app) + "/functions/" + fn + "/executions" + API, null).body()).get("value");
    }

    @Test
    void aMessageOnTheTopicRunsTheFunctionAndItsKafkaOutputBindingSendsTheResult() throws Exception {
        String app = createApp(unique("kafka"));
        String in = "orders-" + UUID.randomUUID();
        String out = "receipts-" + UUID.randomUUID();
        assertThat(putFunction(app, "receipt", "[{\"type\":\"kafkaTrigger\",\"direction\":\"in\",\"name\":\"event\","
                        + "\"topic\":\"" + in + "\",\"brokerList\":\"%BrokerList%\"},"
                        + "{\"type\":\"kafka\",\"direction\":\"out\",\"name\":\"receipt\",\"topic\":\"" + out + "\"}]",
                "module.exports = async function (context, event) {"
                        + " const order = JSON.parse(event.Value);"
                        + " context.log('order', order.id, 'from', event.Topic, 'key', event.Key);"
                        + " context.bindings.receipt = { orderId: order.id, total: order.qty * 2, key: event.Key }; };")
                .statusCode()).isEqualTo(201);

        produce(in, "customer-7", "{\"id\":\"o-1\",\"qty\":21}");

        List<ConsumerRecord<String, String>> receipts = read(out, 1);
        JsonNode receipt = JSON.readTree(receipts.get(0).value());
        assertThat(receipt.get("orderId").asString()).isEqualTo("o-1");
        assertThat(receipt.get("total").asInt()).isEqualTo(42);
        assertThat(receipt.get("key").asString()).isEqualTo("customer-7");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode executions = executions(app, "receipt");
            assertThat(executions).hasSize(1);
            assertThat(executions.get(0).get("trigger").asString()).isEqualTo("kafka");
            assertThat(executions.get(0).get("status").asString()).isEqualTo("Succeeded");
            assertThat(executions.get(0).get("logs").get(0).asString()).isEqualTo("order o-1 from " + in + " key customer-7");
        });
        // committed only after the execution: the group's offset is past the message
        await().atMost(Duration.ofSeconds(10)).until(() ->
                committedOffset("cirrus-functions." + app + ".receipt", in) == 1);
        // and the execution is published for billing like any other, saying kafka
        ConsumerRecord<String, String> published = readUntil("cirrus.serverless",
                r -> JSON.readTree(r.value()).path("data").path("name").asString().equals(app)
                        && JSON.readTree(r.value()).path("type").asString().equals("Microsoft.Web.FunctionExecuted"));
        JsonNode event = JSON.readTree(published.value());
        assertThat(event.get("subject").asString()).isEqualTo(site(app));
        assertThat(event.get("data").get("trigger").asString()).isEqualTo("kafka");
        assertThat(event.get("data").get("functionName").asString()).isEqualTo("receipt");
    }

    @Test
    void aMessageWhoseFunctionAlwaysThrowsGoesToThePoisonTopicAfterTheRetriesAndTheConsumerMovesOn() throws Exception {
        String app = createApp(unique("poison"));
        String in = "payments-" + UUID.randomUUID();
        assertThat(putFunction(app, "charge", "[{\"type\":\"kafkaTrigger\",\"direction\":\"in\",\"name\":\"event\",\"topic\":\"" + in + "\"}]",
                "module.exports = async function (context, event) {"
                        + " context.log('attempt', context.executionContext.retryContext.retryCount);"
                        + " throw new Error('card declined: ' + event.Value); };")
                .statusCode()).isEqualTo(201);

        // one key: one partition, so the two messages keep their order
        produce(in, "card-1", "first");
        produce(in, "card-1", "second");

        List<ConsumerRecord<String, String>> poisoned = read(in + "-poison", 2);
        assertThat(poisoned).extracting(ConsumerRecord::value).containsExactly("first", "second");
        assertThat(poisoned).extracting(ConsumerRecord::key).containsExactly("card-1", "card-1");
        ConsumerRecord<String, String> first = poisoned.get(0);
        assertThat(header(first, "cirrus-poison-topic")).isEqualTo(in);
        assertThat(header(first, "cirrus-poison-offset")).isEqualTo("0");
        assertThat(header(first, "cirrus-poison-attempts")).isEqualTo("3");
        assertThat(header(first, "cirrus-poison-consumer-group")).isEqualTo("cirrus-functions." + app + ".charge");
        assertThat(header(first, "cirrus-poison-error")).contains("card declined: first");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode executions = executions(app, "charge");
            // 3 attempts (kafka-max-attempts=3) of each message, every one a recorded failed kafka execution
            assertThat(executions).hasSize(6);
            assertThat(executions).allSatisfy(e -> {
                assertThat(e.get("trigger").asString()).isEqualTo("kafka");
                assertThat(e.get("status").asString()).isEqualTo("Failed");
            });
            assertThat(executions).extracting(e -> e.get("logs").get(0).asString())
                    .containsExactly("attempt 2", "attempt 1", "attempt 0", "attempt 2", "attempt 1", "attempt 0");
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> committedOffset("cirrus-functions." + app + ".charge", in) == 2);
    }

    @Test
    void aFailedAttemptIsRetriedWithTheFunctionsRetryPolicyAndASuccessIsNotPoisoned() throws Exception {
        String app = createApp(unique("retry"));
        String in = "flaky-" + UUID.randomUUID();
        String out = "done-" + UUID.randomUUID();
        assertThat(putFunctionJson(app, "flaky", "{\"bindings\":[{\"type\":\"kafkaTrigger\",\"direction\":\"in\",\"name\":\"event\","
                        + "\"topic\":\"" + in + "\",\"consumerGroup\":\"my-group\"},"
                        + "{\"type\":\"kafka\",\"direction\":\"out\",\"name\":\"$return\",\"topic\":\"" + out + "\"}],"
                        + "\"retry\":{\"strategy\":\"fixedDelay\",\"maxRetryCount\":4,\"delayInterval\":\"00:00:00.05\"}}",
                "module.exports = async function (context, event) {"
                        + " const retry = context.executionContext.retryContext;"
                        + " if (retry.retryCount < 3) throw new Error('not yet: ' + retry.retryCount + ' of ' + retry.maxRetryCount);"
                        + " return 'done after ' + retry.retryCount + ' retries'; };")
                .statusCode()).isEqualTo(201);

        produce(in, null, "job");

        assertThat(read(out, 1).get(0).value()).isEqualTo("done after 3 retries");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(executions(app, "flaky"))
                .extracting(e -> e.get("status").asString()).containsExactly("Succeeded", "Failed", "Failed", "Failed"));
        await().atMost(Duration.ofSeconds(10)).until(() -> committedOffset("my-group", in) == 1);
    }

    @Test
    void aStoppedAppLeavesItsMessagesUncommittedAndRunsThemOnceStartedAgain() throws Exception {
        String app = createApp(unique("paused"));
        String in = "events-" + UUID.randomUUID();
        String out = "handled-" + UUID.randomUUID();
        putFunction(app, "handle", "[{\"type\":\"kafkaTrigger\",\"direction\":\"in\",\"name\":\"event\",\"topic\":\"" + in + "\"},"
                        + "{\"type\":\"kafka\",\"direction\":\"out\",\"name\":\"$return\",\"topic\":\"" + out + "\"}]",
                "module.exports = async (context, event) => 'handled ' + event.Value;");
        produce(in, "k", "one");
        assertThat(read(out, 1).get(0).value()).isEqualTo("handled one");

        assertThat(send("POST", site(app) + "/stop" + API, null).statusCode()).isEqualTo(200);
        produce(in, "k", "two");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(executions(app, "handle")).hasSize(1);
            assertThat(committedOffset("cirrus-functions." + app + ".handle", in)).isEqualTo(1);
        });

        assertThat(send("POST", site(app) + "/start" + API, null).statusCode()).isEqualTo(200);
        // the output binding sends without a key: the two results may sit on different partitions
        assertThat(read(out, 2)).extracting(ConsumerRecord::value).containsExactlyInAnyOrder("handled one", "handled two");
        await().atMost(Duration.ofSeconds(10)).until(() -> committedOffset("cirrus-functions." + app + ".handle", in) == 2);
    }

    @Test
    void anInvalidKafkaTriggerOrRetryPolicyIsA400NamingTheBinding() throws Exception {
        String app = createApp(unique("kbad"));
        HttpResponse<String> noTopic = putFunction(app, "f",
                "[{\"type\":\"kafkaTrigger\",\"direction\":\"in\",\"name\":\"event\"}]", "module.exports = async () => 1;");
        assertThat(noTopic.statusCode()).isEqualTo(400);
        assertThat(noTopic.body()).contains("binding 'event'").contains("properties.config.bindings[0].topic");
        HttpResponse<String> many = putFunction(app, "f",
                "[{\"type\":\"kafkaTrigger\",\"direction\":\"in\",\"name\":\"event\",\"topic\":\"t\",\"cardinality\":\"many\"}]",
                "module.exports = async () => 1;");
        assertThat(many.statusCode()).isEqualTo(400);
        assertThat(many.body()).contains("cardinality");
        HttpResponse<String> forever = putFunctionJson(app, "f",
                "{\"bindings\":[{\"type\":\"kafkaTrigger\",\"direction\":\"in\",\"name\":\"event\",\"topic\":\"t\"}],"
                        + "\"retry\":{\"strategy\":\"fixedDelay\",\"maxRetryCount\":-1,\"delayInterval\":\"00:00:01\"}}",
                "module.exports = async () => 1;");
        assertThat(forever.statusCode()).isEqualTo(400);
        assertThat(forever.body()).contains("properties.config.retry.maxRetryCount");
        assertThat(JSON.readTree(send("GET", site(app) + "/functions" + API, null).body()).get("value")).isEmpty();
    }
}
