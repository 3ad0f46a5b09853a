package dev.cirrus.gateway.portal;

import static dev.cirrus.gateway.support.Gateway.errorCode;
import static dev.cirrus.gateway.support.Gateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import dev.cirrus.testkit.TestInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The portal's page and its live event view against the shared Kafka broker: the page is served without a token,
 * the events need one and a role at {@code /}, an event published on a lifecycle topic reaches the buffer and the
 * Server-Sent Events stream, filtered by topic, type and resource.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PortalEventsTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withKafka(registry, "gateway_portal");
    }

    static final KafkaProducer<String, String> producer = producer();

    static KafkaProducer<String, String> producer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void closeTheProducer() {
        producer.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    static String publish(String topic, String type, String subject) throws Exception {
        CloudEvent event = CloudEvent.of("compute-vm", type, subject, Instant.now(),
                Gateway.JSON.createObjectNode().put("name", "portal-vm"));
        producer.send(new ProducerRecord<>(topic, event.key(), Gateway.JSON.writeValueAsString(event))).get();
        return event.id();
    }

    @Test
    void thePortalPageAndItsAssetsAreServedWithoutAToken() {
        Gateway anonymous = new Gateway(port);
        for (String path : List.of("/portal", "/portal/")) {
            HttpResponse<String> page = anonymous.get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(page.body()).contains("<title>Cirrus portal</title>").contains("id=\"sign-in-form\"");
        }
        assertThat(anonymous.get("/portal/portal.js").body()).contains("/cirrus/placement/hosts");
        assertThat(anonymous.get("/portal/portal.css").statusCode()).isEqualTo(200);
    }

    @Test
    void theEventsNeedATokenAndARoleAtTheRoot() {
        HttpResponse<String> anonymous = new Gateway(port).get("/cirrus/events/stream");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(errorCode(anonymous)).isEqualTo("AuthenticationFailed");

        Gateway admin = Gateway.admin(port, data);
        JsonNode principal = json(admin.send("POST", "/cirrus/servicePrincipals", "{\"displayName\":\"no-role\"}"));
        Gateway nobody = Gateway.as(port, principal.path("tenantId").asString(), principal.path("clientId").asString(),
                principal.path("clientSecret").asString());
        for (String path : List.of("/cirrus/events", "/cirrus/events/stream")) {
            HttpResponse<String> refused = nobody.get(path);
            assertThat(refused.statusCode()).as(path).isEqualTo(403);
            assertThat(errorCode(refused)).isEqualTo("AuthorizationFailed");
        }
    }

    @Test
    void anEventOnALifecycleTopicReachesTheBufferFilteredByTopicTypeAndResource() throws Exception {
        Gateway admin = Gateway.admin(port, data);
        String subject = "/subscriptions/" + UUID.randomUUID() + "/resourceGroups/rg/providers/Microsoft.Compute/"
                + "virtualMachines/buffered";
        // the feed reads from the latest offsets once its subscription is assigned: publish until it is seen
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            publish(Topics.COMPUTE_VM, EventTypes.VM_STARTED, subject);
            assertThat(json(admin.get("/cirrus/events?resource=" + subject.substring(subject.lastIndexOf('/') - 20)))
                    .path("value").findValuesAsString("subject")).contains(subject);
        });
        String otherSubject = subject.replace("buffered", "other");
        publish(Topics.PLACEMENT, EventTypes.VM_MIGRATED, otherSubject);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(json(admin.get("/cirrus/events?resource=OTHER")).path("value").findValuesAsString("subject"))
                        .contains(otherSubject));

        JsonNode byTopic = json(admin.get("/cirrus/events?topic=" + Topics.PLACEMENT));
        assertThat(byTopic.path("value").findValuesAsString("topic")).containsOnly(Topics.PLACEMENT);
        assertThat(byTopic.path("value").findValuesAsString("subject")).contains(otherSubject).doesNotContain(subject);
        JsonNode byType = json(admin.get("/cirrus/events?type=VirtualMachineStarted"));
        assertThat(byType.path("value").findValuesAsString("type")).containsOnly(EventTypes.VM_STARTED);
        JsonNode event = byType.path("value").valueStream().filter(e -> e.path("subject").asString().equals(subject))
                .findFirst().orElseThrow();
        assertThat(event.path("topic").asString()).isEqualTo(Topics.COMPUTE_VM);
        assertThat(event.path("data").path("name").asString()).isEqualTo("portal-vm");
    }

    @Test
    void theStreamSendsTheBufferedEventsThenEachNewOneAsItArrives() throws Exception {
        Gateway admin = Gateway.admin(port, data);
        String marker = "stream-" + UUID.randomUUID();
        String subject = "/subscriptions/" + UUID.randomUUID() + "/resourceGroups/rg/providers/Microsoft.Compute/"
                + "virtualMachines/" + marker;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            publish(Topics.COMPUTE_VM, EventTypes.VM_CREATED, subject);
            assertThat(admin.get("/cirrus/events?resource=" + marker).body()).contains(marker);
        });

        List<String> lines = new CopyOnWriteArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<Stream<String>>> response = http.sendAsync(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/cirrus/events/stream?resource=" + marker))
                .header("Authorization", "Bearer " + admin.token()).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> streaming = response.get();
        assertThat(streaming.statusCode()).isEqualTo(200);
        assertThat(streaming.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        Thread reader = Thread.ofVirtual().start(() -> streaming.body().forEach(lines::add));
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lines)
                    .anyMatch(l -> l.startsWith("data:") && l.contains(marker) && l.contains(EventTypes.VM_CREATED)));
            String live = publish(Topics.COMPUTE_VM, EventTypes.VM_DELETED, subject);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lines)
                    .anyMatch(l -> l.startsWith("data:") && l.contains(live) && l.contains(EventTypes.VM_DELETED)));
            assertThat(lines).contains("event:lifecycle");
            assertThat(lines).filteredOn(l -> l.startsWith("data:")).allMatch(l -> l.contains(marker));
        } finally {
            reader.interrupt();
            http.shutdownNow();
        }
    }
}
