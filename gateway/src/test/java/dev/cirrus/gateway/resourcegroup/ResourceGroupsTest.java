package dev.cirrus.gateway.resourcegroup;

import static dev.cirrus.gateway.support.Gateway.errorCode;
import static dev.cirrus.gateway.support.Gateway.errorMessage;
import static dev.cirrus.gateway.support.Gateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import dev.cirrus.testkit.TestInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Resource groups through the gateway's REST API, as a client sees them, with the rows and events they leave. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ResourceGroupsTest {

    static final String V = "?api-version=2021-04-01";

    /** every service: a group deletion sweeps their lists (this one answers 200 without resources) */
    static final dev.cirrus.gateway.support.FakeService services = dev.cirrus.gateway.support.FakeService.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withKafka(registry, "gateway_rg");
        for (String module : new String[] {"compute-vm", "compute-container", "app-service", "serverless", "billing"}) {
            registry.add("cirrus.gateway.services." + module, () -> services.url().toString());
        }
        registry.add("cirrus.gateway.resource-group-deletion.poll-interval", () -> "200ms");
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    @Autowired
    JdbcTemplate jdbc;

    Gateway gateway;
    /** every test works in its own subscription, so lists and counts are its own */
    String sub;

    @BeforeEach
    void freshSubscription() {
        gateway = Gateway.admin(port, data);
        sub = gateway.newSubscription();
    }

    String group(String name) {
        return "/subscriptions/" + sub + "/resourcegroups/" + name;
    }

    @Test
    void creatingAGroupAnswers201AndTheGroupInArmShape() {
        HttpResponse<String> created = gateway.put(group("Demo-RG") + V,
                "{\"location\":\"West US\",\"tags\":{\"env\":\"dev\",\"team\":\"a\"}}");

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = json(created);
        assertThat(body.path("id").asString()).isEqualTo("/subscriptions/" + sub + "/resourceGroups/Demo-RG");
        assertThat(body.path("name").asString()).isEqualTo("Demo-RG");
        assertThat(body.path("type").asString()).isEqualTo("Microsoft.Resources/resourceGroups");
        assertThat(body.path("location").asString()).isEqualTo("westus");
        assertThat(body.path("tags").path("env").asString()).isEqualTo("dev");
        assertThat(body.path("tags").path("team").asString()).isEqualTo("a");
        assertThat(body.has("managedBy")).isFalse();
        assertThat(body.path("properties").path("provisioningState").asString()).isEqualTo("Succeeded");
        assertThat(created.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));

        HttpResponse<String> read = gateway.get("/subscriptions/" + sub + "/resourceGroups/demo-rg" + V);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(json(read)).isEqualTo(body);
    }

    @Test
    void aSecondPutAnswers200AndKeepsTheCasingLastSupplied() {
        gateway.put(group("demo") + V, "{\"location\":\"westus\",\"tags\":{\"a\":\"1\"}}");

        HttpResponse<String> updated = gateway.put("/subscriptions/" + sub + "/resourceGroups/DEMO" + V,
                "{\"location\":\"West us\",\"tags\":{\"b\":\"2\"},\"managedBy\":\"/subscriptions/" + sub + "/x\"}");

        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(json(updated).path("name").asString()).isEqualTo("DEMO");
        assertThat(json(updated).path("id").asString()).endsWith("/resourceGroups/DEMO");
        assertThat(json(updated).path("tags").properties()).hasSize(1);
        assertThat(json(updated).path("tags").path("b").asString()).isEqualTo("2");
        assertThat(json(updated).path("managedBy").asString()).isEqualTo("/subscriptions/" + sub + "/x");
        assertThat(json(gateway.get(group("Demo") + V)).path("name").asString()).isEqualTo("DEMO");
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void theLocationOfAGroupCannotChange() {
        gateway.put(group("pinned") + V, "{\"location\":\"westus\"}");

        HttpResponse<String> moved = gateway.put(group("pinned") + V, "{\"location\":\"eastus\"}");

        assertThat(moved.statusCode()).isEqualTo(409);
        assertThat(errorCode(moved)).isEqualTo("InvalidResourceGroupLocation");
        assertThat(errorMessage(moved)).isEqualTo("Invalid resource group location 'eastus'. "
                + "The Resource group already exists in location 'westus'.");
        assertThat(json(gateway.get(group("pinned") + V)).path("location").asString()).isEqualTo("westus");
    }

    @Test
    void headTellsWhetherAGroupExists() {
        gateway.put(group("here") + V, "{\"location\":\"westus\"}");

        HttpResponse<String> present = gateway.send("HEAD", group("HERE") + V, null);
        HttpResponse<String> absent = gateway.send("HEAD", group("elsewhere") + V, null);

        assertThat(present.statusCode()).isEqualTo(204);
        assertThat(absent.statusCode()).isEqualTo(404);
        assertThat(absent.headers().firstValue("x-ms-request-id")).isPresent();
    }

    @Test
    void patchReplacesTheTagsAndKeepsTheRest() {
        gateway.put(group("tagged") + V, "{\"location\":\"westus\",\"tags\":{\"a\":\"1\",\"b\":\"2\"},"
                + "\"managedBy\":\"owner\"}");

        HttpResponse<String> patched = gateway.send("PATCH", group("tagged") + V, "{\"tags\":{\"c\":\"3\"}}");

        assertThat(patched.statusCode()).isEqualTo(200);
        JsonNode body = json(patched);
        assertThat(body.path("tags").properties()).hasSize(1);
        assertThat(body.path("tags").path("c").asString()).isEqualTo("3");
        assertThat(body.path("managedBy").asString()).isEqualTo("owner");
        assertThat(body.path("location").asString()).isEqualTo("westus");
        assertThat(json(gateway.get(group("tagged") + V)).path("tags")).isEqualTo(body.path("tags"));
    }

    @Test
    void patchOfAMissingGroupIs404() {
        HttpResponse<String> response = gateway.send("PATCH", group("ghost") + V, "{\"tags\":{}}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(errorCode(response)).isEqualTo("ResourceGroupNotFound");
    }

    @Test
    void deleteAnswers202WithALocationThatReportsSuccessAndTheGroupIsGone() {
        gateway.put(group("doomed") + V, "{\"location\":\"westus\"}");

        HttpResponse<String> accepted = gateway.send("DELETE", group("Doomed") + V, null);

        assertThat(accepted.statusCode()).isEqualTo(202);
        URI location = URI.create(accepted.headers().firstValue("Location").orElseThrow());
        assertThat(location.getScheme() + "://" + location.getAuthority()).isEqualTo("http://127.0.0.1:" + port);
        assertThat(location.getPath()).startsWith("/subscriptions/" + sub + "/operationresults/");
        assertThat(location.getQuery()).isEqualTo("api-version=2021-04-01");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                gateway.get(location.getRawPath() + "?" + location.getRawQuery()).statusCode()).isEqualTo(200));

        HttpResponse<String> gone = gateway.get(group("doomed") + V);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(errorCode(gone)).isEqualTo("ResourceGroupNotFound");
        assertThat(errorMessage(gone)).isEqualTo("Resource group 'doomed' could not be found.");
        assertThat(rows()).isZero();
    }

    @Test
    void deletingAGroupThatDoesNotExistIs404() {
        HttpResponse<String> response = gateway.send("DELETE", group("never") + V, null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(errorCode(response)).isEqualTo("ResourceGroupNotFound");
    }

    @Test
    void theListShowsTheGroupsOfTheSubscriptionOnly() {
        assertThat(json(gateway.get("/subscriptions/" + sub + "/resourcegroups" + V)).path("value").size()).isZero();
        gateway.put(group("b-group") + V, "{\"location\":\"westus\"}");
        gateway.put(group("A-group") + V, "{\"location\":\"eastus\"}");
        gateway.put("/subscriptions/" + gateway.newSubscription() + "/resourcegroups/other" + V, "{\"location\":\"westus\"}");

        HttpResponse<String> list = gateway.get("/subscriptions/" + sub.toUpperCase() + "/resourceGroups" + V);

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(json(list).path("value").valueStream().map(g -> g.path("name").asString()).toList())
                .containsExactly("A-group", "b-group");
        assertThat(json(list).has("nextLink")).isFalse();
    }

    @Test
    void everyWriteLeavesItsEventInTheOutboxAndOnKafka() {
        gateway.put(group("Evented") + V, "{\"location\":\"westus\",\"tags\":{\"k\":\"v\"}}");
        gateway.send("PATCH", group("evented") + V, "{\"tags\":{}}");
        gateway.send("DELETE", group("evented") + V, null);

        String key = ("/subscriptions/" + sub + "/resourceGroups/Evented").toLowerCase();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.queryForList(
                "select event_type from outbox where record_key = ? order by seq", String.class, key))
                .containsExactly(EventTypes.RESOURCE_GROUP_WRITTEN, EventTypes.RESOURCE_GROUP_WRITTEN,
                        EventTypes.RESOURCE_GROUP_DELETED));

        List<ConsumerRecord<String, String>> published = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(Topics.RESOURCES));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(r.key())) {
                        published.add(r);
                    }
                });
                assertThat(published).hasSize(3);
            });
        }
        JsonNode first = Gateway.JSON.readTree(published.getFirst().value());
        assertThat(first.path("type").asString()).isEqualTo(EventTypes.RESOURCE_GROUP_WRITTEN);
        assertThat(first.path("source").asString()).isEqualTo("/cirrus/gateway");
        assertThat(first.path("subject").asString()).isEqualTo("/subscriptions/" + sub + "/resourceGroups/Evented");
        assertThat(first.path("data").path("subscriptionId").asString()).isEqualTo(sub);
        assertThat(first.path("data").path("name").asString()).isEqualTo("Evented");
        assertThat(first.path("data").path("location").asString()).isEqualTo("westus");
        assertThat(first.path("data").path("tags").path("k").asString()).isEqualTo("v");
        JsonNode last = Gateway.JSON.readTree(published.getLast().value());
        assertThat(last.path("type").asString()).isEqualTo(EventTypes.RESOURCE_GROUP_DELETED);
        assertThat(last.path("data").path("name").asString()).isEqualTo("evented");
    }

    @Test
    void everyAnswerCarriesRequestIdsAndEchoesTheClientsIds() {
        HttpResponse<String> ok = gateway.send("PUT", group("ids") + V, "{\"location\":\"westus\"}",
                "x-ms-client-request-id", "client-42", "x-ms-correlation-request-id", "corr-42");
        HttpResponse<String> error = gateway.get(group("ids-missing") + V);
        HttpResponse<String> noVersion = gateway.get(group("ids"));

        for (HttpResponse<String> response : List.of(ok, error, noVersion)) {
            String requestId = response.headers().firstValue("x-ms-request-id").orElseThrow();
            assertThat(UUID.fromString(requestId)).isNotNull();
            String correlation = response.headers().firstValue("x-ms-correlation-request-id").orElseThrow();
            assertThat(correlation).isNotBlank();
        }
        assertThat(ok.headers().firstValue("x-ms-correlation-request-id")).hasValue("corr-42");
        assertThat(ok.headers().firstValue("x-ms-client-request-id")).hasValue("client-42");
        assertThat(UUID.fromString(error.headers().firstValue("x-ms-correlation-request-id").orElseThrow())).isNotNull();
        assertThat(error.headers().firstValue("x-ms-client-request-id")).isEmpty();
        assertThat(ok.headers().firstValue("x-ms-request-id")).isNotEqualTo(error.headers().firstValue("x-ms-request-id"));
    }

    @Test
    void aMissingApiVersionIsRefusedWithArmsMessage() {
        HttpResponse<String> response = gateway.get(group("x"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(errorCode(response)).isEqualTo("MissingApiVersionParameter");
        assertThat(errorMessage(response))
                .isEqualTo("The api-version query parameter (?api-version=) is required for all requests.");
    }

    @Test
    void aMalformedApiVersionIsRefused() {
        for (String version : List.of("2021-4-01", "latest", "2021-02-30", "2021-04-01-gamma")) {
            HttpResponse<String> response = gateway.get(group("x") + "?api-version=" + version);

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(errorCode(response)).isEqualTo("InvalidApiVersionParameter");
            assertThat(errorMessage(response)).startsWith("The api-version '" + version + "' is invalid.");
        }
        assertThat(gateway.get(group("x") + "?api-version=2014-04-01-preview").statusCode()).isEqualTo(404);
        assertThat(gateway.get(group("x") + "?API-VERSION=2021-04-01").statusCode()).isEqualTo(404);
        // two supported versions under two casings of the parameter: which one? ARM refuses both
        HttpResponse<String> twice = gateway.get(group("x") + "?api-version=2021-04-01&API-Version=2022-09-01");
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(errorMessage(twice)).startsWith("The api-version '2021-04-01,2022-09-01' is invalid.");
    }

    @Test
    void aSubscriptionIdThatIsNotAGuidIsRefused() {
        HttpResponse<String> response = gateway.put("/subscriptions/my-sub/resourcegroups/rg" + V,
                "{\"location\":\"westus\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(errorCode(response)).isEqualTo("InvalidSubscriptionId");
        assertThat(errorMessage(response)).contains("'my-sub'");
        assertThat(jdbc.queryForObject("select count(*) from resource_groups where name_key = 'rg' "
                + "and subscription_id = 'my-sub'", Integer.class)).isZero();
    }

    /** A request that must be refused: what it sends, and the status and error code the client must see. */
    record BadInput(String description, String method, String path, String body, String contentType, int status,
                    String code, String query) {
        BadInput(String description, String method, String path, String body, String contentType, int status,
                 String code) {
            this(description, method, path, body, contentType, status, code, V);
        }

        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Arguments> badInputs() {
        String tooManyTags = IntStream.range(0, 51).mapToObj(i -> "\"t" + i + "\":\"v\"")
                .collect(Collectors.joining(",", "{\"location\":\"westus\",\"tags\":{", "}}"));
        String oversized = "{\"location\":\"westus\",\"tags\":{\"big\":\"" + "x".repeat(4 * 1024 * 1024) + "\"}}";
        String rg = "/resourcegroups/bad-input";
        return Stream.of(
                new BadInput("malformed JSON", "PUT", rg, "{\"location\": ", null, 400, "InvalidRequestContent"),
                new BadInput("a body that is not an object", "PUT", rg, "[\"westus\"]", null, 400, "InvalidRequestContent"),
                new BadInput("no body", "PUT", rg, "", null, 400, "InvalidRequestContent"),
                new BadInput("location of the wrong type", "PUT", rg, "{\"location\":5}", null, 400, "InvalidRequestContent"),
                new BadInput("tags of the wrong type", "PUT", rg, "{\"location\":\"westus\",\"tags\":[\"a\"]}", null, 400, "InvalidRequestContent"),
                new BadInput("a tag value of the wrong type", "PUT", rg, "{\"location\":\"westus\",\"tags\":{\"a\":1}}", null, 400, "InvalidRequestContent"),
                new BadInput("managedBy of the wrong type", "PUT", rg, "{\"location\":\"westus\",\"managedBy\":{}}", null, 400, "InvalidRequestContent"),
                new BadInput("a missing location", "PUT", rg, "{\"tags\":{}}", null, 400, "LocationRequired"),
                new BadInput("a blank location", "PUT", rg, "{\"location\":\" \"}", null, 400, "LocationRequired"),
                new BadInput("a location that is no region name", "PUT", rg, "{\"location\":\"west-us!\"}", null, 400, "LocationNotAvailableForResourceGroup"),
                new BadInput("a name with a character ARM forbids", "PUT", "/resourcegroups/bad*name", "{\"location\":\"westus\"}", null, 400, "InvalidResourceGroupName"),
                new BadInput("a name with a space", "PUT", "/resourcegroups/bad%20name", "{\"location\":\"westus\"}", null, 400, "InvalidResourceGroupName"),
                new BadInput("a name ending with a period", "PUT", "/resourcegroups/bad.", "{\"location\":\"westus\"}", null, 400, "InvalidResourceGroupName"),
                new BadInput("a name of 91 characters", "PUT", "/resourcegroups/" + "n".repeat(91), "{\"location\":\"westus\"}", null, 400, "InvalidResourceGroupName"),
                new BadInput("51 tags", "PUT", rg, tooManyTags, null, 400, "InvalidTag"),
                new BadInput("a tag name with a reserved character", "PUT", rg, "{\"location\":\"westus\",\"tags\":{\"a/b\":\"v\"}}", null, 400, "InvalidTagNameCharacters"),
                new BadInput("a tag value over 256 characters", "PUT", rg, "{\"location\":\"westus\",\"tags\":{\"a\":\"" + "v".repeat(257) + "\"}}", null, 400, "InvalidTag"),
                new BadInput("a body over 4 MB", "PUT", rg, oversized, null, 413, "RequestEntityTooLarge"),
                new BadInput("a body that is not JSON", "PUT", rg, "location=westus", "application/x-www-form-urlencoded", 415, "UnsupportedMediaType"),
                new BadInput("a method resource groups do not have", "POST", rg, "{\"location\":\"westus\"}", null, 405, "MethodNotAllowed"),
                new BadInput("a PUT on the list", "PUT", "/resourcegroups", "{\"location\":\"westus\"}", null, 405, "MethodNotAllowed"),
                new BadInput("an unknown path under the subscription", "PUT", "/unknownThings/x", "{\"location\":\"westus\"}", null, 404, "NotFound"),
                new BadInput("a PATCH with a location of the wrong type", "PATCH", "/resourcegroups/existing", "{\"location\":1}", null, 400, "InvalidRequestContent"),
                new BadInput("a PATCH with tags of the wrong type", "PATCH", "/resourcegroups/existing", "{\"tags\":\"a\"}", null, 400, "InvalidRequestContent"),
                new BadInput("an api-version the resource type does not support", "PUT",
                        "/resourceGroups/existing/providers/Microsoft.Web/sites/app1", "{\"kind\":\"functionapp\"}", null, 400,
                        "NoRegisteredProviderFound"),
                new BadInput("an api-version the listed type does not support", "GET",
                        "/providers/microsoft.logic/workflows", null, null, 400, "NoRegisteredProviderFound",
                        "?api-version=2018-01-01"),
                new BadInput("an api-version Microsoft.Resources does not support on a group", "PUT", rg,
                        "{\"location\":\"westus\"}", null, 400, "InvalidApiVersionParameter", "?api-version=2013-01-01"),
                new BadInput("an api-version Microsoft.Resources does not support on the group list", "GET",
                        "/resourcegroups", null, null, 400, "InvalidApiVersionParameter", "?api-version=2024-09-01"),
                new BadInput("an api-version Microsoft.Resources does not support on a group's DELETE", "DELETE",
                        "/resourcegroups/existing", null, null, 400, "InvalidApiVersionParameter",
                        "?api-version=2021-05-01"),
                new BadInput("an api-version Microsoft.Resources does not support on /resources", "GET",
                        "/resources", null, null, 400, "InvalidApiVersionParameter", "?api-version=2023-11-01"),
                new BadInput("an api-version Microsoft.Resources does not support on a group's /resources", "GET",
                        "/resourcegroups/existing/resources", null, null, 400, "InvalidApiVersionParameter",
                        "?api-version=2013-01-01"),
                new BadInput("an api-version Microsoft.Resources does not support on the providers", "GET",
                        "/providers", null, null, 400, "InvalidApiVersionParameter", "?api-version=2013-01-01"),
                new BadInput("an api-version Microsoft.Resources does not support on a provider's registration",
                        "POST", "/providers/Microsoft.Web/register", null, null, 400, "InvalidApiVersionParameter",
                        "?api-version=2013-01-01"),
                new BadInput("an api-version Microsoft.Resources does not support on the subscription", "GET",
                        "", null, null, 400, "InvalidApiVersionParameter", "?api-version=2013-01-01"),
                new BadInput("a PATCH that moves the group", "PATCH", "/resourcegroups/existing", "{\"location\":\"eastus\"}", null, 409, "InvalidResourceGroupLocation"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputIsAnArmErrorAndChangesNothing(BadInput input) {
        gateway.put(group("existing") + V, "{\"location\":\"westus\"}");
        String existingBefore = gateway.get(group("existing") + V).body();
        long outboxBefore = outboxRows();

        HttpResponse<String> response = input.contentType() == null
                ? gateway.send(input.method(), "/subscriptions/" + sub + input.path() + input.query(), input.body())
                : gateway.send(input.method(), "/subscriptions/" + sub + input.path() + input.query(), input.body(),
                "Content-Type", input.contentType());

        assertThat(response.statusCode()).isEqualTo(input.status());
        assertThat(errorCode(response)).isEqualTo(input.code());
        assertThat(errorMessage(response)).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\"trace\"");
        assertThat(response.headers().firstValue("x-ms-request-id")).isPresent();
        assertThat(rows()).isEqualTo(1);
        assertThat(outboxRows()).isEqualTo(outboxBefore);
        assertThat(gateway.get(group("existing") + V).body()).isEqualTo(existingBefore);
    }

    @Test
    void pathsOutsideArmAreArmErrorsToo() {
        HttpResponse<String> response = gateway.get("/no/such/thing");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(errorCode(response)).isEqualTo("NotFound");
        assertThat(response.headers().firstValue("x-ms-request-id")).isPresent();
    }

    @Test
    void theGatewayReportsItsHealthForProbes() {
        assertThat(gateway.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        HttpResponse<String> readiness = gateway.get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"UP\"");
    }

    private int rows() {
        return jdbc.queryForObject("select count(*) from resource_groups where subscription_id = ?", Integer.class, sub);
    }

    private long outboxRows() {
        return jdbc.queryForObject("select count(*) from outbox", Long.class);
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties p = new Properties();
        p.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "gateway-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        return new KafkaConsumer<>(p);
    }

    @Test
    void theResourceIndexFollowsTheVmLifecycleEvents() throws Exception {
        assertThat(gateway.put(group("Evented-VMs") + V, "{\"location\":\"westus\"}").statusCode()).isEqualTo(201);
        String vm = "/subscriptions/" + sub + "/resourceGroups/Evented-VMs/providers/Microsoft.Compute/virtualMachines/ev1";
        tools.jackson.databind.node.ObjectNode data = Gateway.JSON.createObjectNode()
                .put("subscriptionId", sub).put("resourceGroup", "Evented-VMs").put("name", "ev1")
                .put("location", "westus").put("vmId", UUID.randomUUID().toString()).put("vmSize", "Standard_B1s")
                .put("provisioningState", "Creating");
        Properties config = new Properties();
        config.put(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafkaBootstrapServers());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(config,
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            // a scale set's instance is part of its set, not a VM of the group: not indexed
            String instance = "/subscriptions/" + sub + "/resourceGroups/Evented-VMs/providers/Microsoft.Compute/"
                    + "virtualMachineScaleSets/ss/virtualMachines/0";
            var instanceStarted = dev.cirrus.contracts.events.CloudEvent.of("compute-vm", EventTypes.VM_STARTED,
                    instance, java.time.Instant.now(), data.deepCopy().put("name", "0"));
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.COMPUTE_VM,
                    instanceStarted.key(), Gateway.JSON.writeValueAsString(instanceStarted))).get();
            var created = dev.cirrus.contracts.events.CloudEvent.of("compute-vm", EventTypes.VM_CREATED, vm,
                    java.time.Instant.now(), data);
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.COMPUTE_VM, created.key(),
                    Gateway.JSON.writeValueAsString(created))).get();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(json(gateway.get(
                    group("Evented-VMs") + "/resources" + V)).path("value").findValuesAsString("id")).containsExactly(vm));

            var deleted = dev.cirrus.contracts.events.CloudEvent.of("compute-vm", EventTypes.VM_DELETED, vm,
                    java.time.Instant.now(), data);
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.COMPUTE_VM, deleted.key(),
                    Gateway.JSON.writeValueAsString(deleted))).get();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(json(gateway.get(
                    group("Evented-VMs") + "/resources" + V)).path("value").size()).isZero());
        }
    }

    @Test
    void theResourceIndexFollowsTheContainerClusterAndAppServicePlanLifecycleEvents() throws Exception {
        assertThat(gateway.put(group("Evented-All") + V, "{\"location\":\"westus\"}").statusCode()).isEqualTo(201);
        String prefix = "/subscriptions/" + sub + "/resourceGroups/Evented-All/providers/";
        Map<String, String> topicOf = Map.of(
                EventTypes.CONTAINER_GROUP_STARTED, Topics.COMPUTE_CONTAINER,
                EventTypes.CONTAINER_GROUP_DELETED, Topics.COMPUTE_CONTAINER,
                EventTypes.MANAGED_CLUSTER_WRITTEN, Topics.COMPUTE_CONTAINER,
                EventTypes.MANAGED_CLUSTER_DELETED, Topics.COMPUTE_CONTAINER,
                EventTypes.APP_SERVICE_PLAN_WRITTEN, Topics.APP_SERVICE,
                EventTypes.APP_SERVICE_PLAN_DELETED, Topics.APP_SERVICE,
                EventTypes.VM_STARTED, Topics.COMPUTE_VM,
                EventTypes.VM_DELETED, Topics.COMPUTE_VM);
        Properties config = new Properties();
        config.put(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafkaBootstrapServers());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(config,
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            java.util.function.BiConsumer<String, String[]> publish = (type, resource) -> {
                var data = Gateway.JSON.createObjectNode().put("subscriptionId", sub)
                        .put("resourceGroup", "Evented-All").put("name", resource[1]).put("location", "westus");
                var event = dev.cirrus.contracts.events.CloudEvent.of("test", type, prefix + resource[0] + "/"
                        + resource[1], java.time.Instant.now(), data);
                try {
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topicOf.get(type),
                            event.key(), Gateway.JSON.writeValueAsString(event))).get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            String[] aci = {"Microsoft.ContainerInstance/containerGroups", "aci1"};
            String[] aks = {"Microsoft.ContainerService/managedClusters", "aks1"};
            String[] plan = {"Microsoft.Web/serverFarms", "plan1"};
            String[] vm = {"Microsoft.Compute/virtualMachines", "vm1"};
            publish.accept(EventTypes.CONTAINER_GROUP_STARTED, aci);
            publish.accept(EventTypes.MANAGED_CLUSTER_WRITTEN, aks);
            publish.accept(EventTypes.APP_SERVICE_PLAN_WRITTEN, plan);
            publish.accept(EventTypes.VM_STARTED, vm);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode listed = json(gateway.get(group("Evented-All") + "/resources" + V)).path("value");
                assertThat(listed.findValuesAsString("type")).containsExactlyInAnyOrder(aci[0], aks[0], plan[0],
                        vm[0]);
                assertThat(listed.findValuesAsString("id")).contains(prefix + aci[0] + "/aci1",
                        prefix + aks[0] + "/aks1", prefix + plan[0] + "/plan1", prefix + vm[0] + "/vm1");
                assertThat(listed.findValuesAsString("location")).containsOnly("westus");
            });

            publish.accept(EventTypes.CONTAINER_GROUP_DELETED, aci);
            publish.accept(EventTypes.MANAGED_CLUSTER_DELETED, aks);
            publish.accept(EventTypes.APP_SERVICE_PLAN_DELETED, plan);
            publish.accept(EventTypes.VM_DELETED, vm);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(json(gateway.get(
                    group("Evented-All") + "/resources" + V)).path("value").size()).isZero());
        }
    }
}
