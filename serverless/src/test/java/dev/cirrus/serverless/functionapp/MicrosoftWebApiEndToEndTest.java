package dev.cirrus.serverless.functionapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import dev.cirrus.serverless.support.EndToEndTest;
import dev.cirrus.testkit.TestInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Microsoft.Web calls the official SDKs make, in Azure's shapes and status codes, through this service's API. */
class MicrosoftWebApiEndToEndTest extends EndToEndTest {

    private static final String HELLO = "[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\",\"authLevel\":\"function\"},"
            + "{\"type\":\"http\",\"direction\":\"out\",\"name\":\"$return\"}]";
    private static final String HELLO_CODE = "module.exports = async () => ({ status: 200, body: 'hello' });";

    @Test
    void aSitePutAnswers200WhenItCreatesAndWhenItUpdatesWithAnEtagThatIfMatchChecks() throws Exception {
        String app = unique("put");
        HttpResponse<String> created = send("PUT", site(app) + API, "{\"kind\":\"functionapp\",\"location\":\"westeurope\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String etag = JSON.readTree(created.body()).get("etag").asString();
        assertThat(created.headers().firstValue("ETag")).hasValue(etag);

        HttpResponse<String> stale = send("PUT", site(app) + API, "{\"kind\":\"functionapp\",\"location\":\"westeurope\","
                + "\"tags\":{\"a\":\"b\"}}", "If-Match", "\"not-the-etag\"");
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(JSON.readTree(stale.body()).get("error").get("code").asString()).isEqualTo("PreconditionFailed");
        assertThat(send("PUT", site(app) + API, "{\"kind\":\"functionapp\",\"location\":\"westeurope\"}",
                "If-None-Match", "*").statusCode()).isEqualTo(412);

        HttpResponse<String> updated = send("PUT", site(app) + API, "{\"kind\":\"functionapp\",\"location\":\"westeurope\","
                + "\"tags\":{\"a\":\"b\"}}", "If-Match", etag);
        assertThat(updated.statusCode()).isEqualTo(200);
        JsonNode site = JSON.readTree(updated.body());
        assertThat(site.get("etag").asString()).isNotEqualTo(etag);
        assertThat(site.get("tags").get("a").asString()).isEqualTo("b");
        assertThat(site.get("properties").get("defaultHostName").asString())
                .isEqualTo(app + ".azurewebsites.localhost:8080");
        assertThat(send("DELETE", site(app) + API, null, "If-Match", etag).statusCode()).isEqualTo(412);
        assertThat(send("GET", site(app) + API, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aLocationGivenByItsDisplayNameIsTheSameRegionAndAnUnknownOneIsRefused() throws Exception {
        String app = createApp(unique("loc"));
        HttpResponse<String> display = send("PUT", site(app) + API, "{\"kind\":\"functionapp\",\"location\":\"West Europe\"}");
        assertThat(display.statusCode()).as(display.body()).isEqualTo(200);
        assertThat(JSON.readTree(display.body()).get("location").asString()).isEqualTo("westeurope");
        HttpResponse<String> moved = send("PUT", site(app) + API, "{\"kind\":\"functionapp\",\"location\":\"eastus\"}");
        assertThat(moved.statusCode()).isEqualTo(409);

        String other = unique("mars");
        HttpResponse<String> mars = send("PUT", site(other) + API, "{\"kind\":\"functionapp\",\"location\":\"marsnorth\"}");
        assertThat(mars.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(mars.body()).get("error").get("code").asString()).isEqualTo("LocationNotAvailableForResourceType");
        assertThat(send("GET", site(other) + API, null).statusCode()).isEqualTo(404);
        HttpResponse<String> created = send("PUT", site(other) + API, "{\"kind\":\"functionapp\",\"location\":\"Korea Central\"}");
        assertThat(JSON.readTree(created.body()).get("location").asString()).isEqualTo("koreacentral");
    }

    @Test
    void sitesAreListedByGroupAndBySubscriptionInPagesLinkedByNextLink() throws Exception {
        List<String> inGroup = List.of(createApp(unique("l1")), createApp(unique("l2")), createApp(unique("l3")));
        String elsewhere = unique("l4");
        assertThat(send("PUT", "/subscriptions/" + sub + "/resourceGroups/rg2/providers/Microsoft.Web/sites/" + elsewhere + API,
                "{\"kind\":\"functionapp\",\"location\":\"westeurope\"}").statusCode()).isEqualTo(200);

        JsonNode first = JSON.readTree(send("GET", "/subscriptions/" + sub + "/resourceGroups/rg1/providers/Microsoft.Web/sites"
                + API + "&$top=2", null).body());
        assertThat(first.get("value")).hasSize(2);
        String next = first.get("nextLink").asString();
        assertThat(next).contains("$skiptoken=").contains("api-version=2023-12-01");
        JsonNode second = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(next)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(second.get("value")).hasSize(1);
        assertThat(second.has("nextLink")).isFalse();
        List<String> names = new ArrayList<>();
        first.get("value").forEach(v -> names.add(v.get("name").asString()));
        second.get("value").forEach(v -> names.add(v.get("name").asString()));
        assertThat(names).containsExactlyInAnyOrderElementsOf(inGroup);

        JsonNode all = JSON.readTree(send("GET", "/subscriptions/" + sub + "/providers/Microsoft.Web/sites" + API, null).body());
        assertThat(all.get("value")).extracting(v -> v.get("name").asString()).contains(elsewhere).containsAll(inGroup);

        HttpResponse<String> garbled = send("GET", "/subscriptions/" + sub + "/providers/Microsoft.Web/sites" + API
                + "&$skiptoken=bm9wZQ", null);
        assertThat(garbled.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(garbled.body()).get("error").get("target").asString()).isEqualTo("$skiptoken");
    }

    @Test
    void webConfigIsReadReplacedAndPatchedAndABadValueIsRefusedNamingIt() throws Exception {
        String app = createApp(unique("web"));
        JsonNode config = JSON.readTree(send("GET", site(app) + "/config/web" + API, null).body());
        assertThat(config.get("name").asString()).isEqualTo("web");
        assertThat(config.get("type").asString()).isEqualTo("Microsoft.Web/sites/config");
        assertThat(config.get("properties").get("alwaysOn").asBoolean()).isFalse();
        assertThat(config.get("properties").get("minTlsVersion").asString()).isEqualTo("1.2");

        JsonNode patched = JSON.readTree(send("PATCH", site(app) + "/config/web" + API,
                "{\"properties\":{\"alwaysOn\":true,\"functionAppScaleLimit\":7}}").body());
        assertThat(patched.get("properties").get("alwaysOn").asBoolean()).isTrue();
        assertThat(patched.get("properties").get("functionAppScaleLimit").asInt()).isEqualTo(7);
        JsonNode replaced = JSON.readTree(send("PUT", site(app) + "/config/web" + API,
                "{\"properties\":{\"http20Enabled\":true}}").body());
        assertThat(replaced.get("properties").get("http20Enabled").asBoolean()).isTrue();
        assertThat(replaced.get("properties").get("alwaysOn").asBoolean()).isFalse();
        JsonNode siteView = JSON.readTree(send("GET", site(app) + API, null).body());
        assertThat(siteView.get("properties").get("siteConfig").get("http20Enabled").asBoolean()).isTrue();
        assertThat(siteView.get("properties").get("siteConfig").get("functionAppScaleLimit").asInt()).isEqualTo(7);

        HttpResponse<String> bad = send("PATCH", site(app) + "/config/web" + API, "{\"properties\":{\"minTlsVersion\":\"9\"}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("error").get("target").asString()).isEqualTo("properties.minTlsVersion");
        HttpResponse<String> huge = send("PATCH", site(app) + "/config/web" + API,
                "{\"properties\":{\"functionAppScaleLimit\":99999999999999999999999}}");
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(huge.body()).get("error").get("target").asString()).isEqualTo("properties.functionAppScaleLimit");
    }

    @Test
    void aScaleLimitTooLargeForAnyNumberIsA400AndChangesNothing() throws Exception {
        String app = createApp(unique("big"));
        String before = send("GET", site(app) + API, null).body();
        for (String method : List.of("PUT", "PATCH")) {
            HttpResponse<String> response = send(method, site(app) + API, "{\"kind\":\"functionapp\",\"location\":\"westeurope\","
                    + "\"properties\":{\"siteConfig\":{\"functionAppScaleLimit\":99999999999999999999999}}}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            JsonNode error = JSON.readTree(response.body()).get("error");
            assertThat(error.get("code").asString()).isEqualTo("InvalidParameter");
            assertThat(error.get("target").asString()).isEqualTo("properties.siteConfig.functionAppScaleLimit");
        }
        assertThat(JSON.readTree(send("GET", site(app) + API, null).body()).get("etag"))
                .isEqualTo(JSON.readTree(before).get("etag"));
    }

    @Test
    void functionKeysSecretsAndHostKeysHaveTheShapesTheSdksReadAndNamedKeysCanBeAddedAndDeleted() throws Exception {
        String app = createApp(unique("keys"));
        assertThat(putFunction(app, "hello", HELLO, HELLO_CODE).statusCode()).isEqualTo(201);

        JsonNode keys = JSON.readTree(send("POST", site(app) + "/functions/hello/listkeys" + API, null).body());
        String defaultKey = keys.get("default").asString();
        assertThat(keys.get("properties").get("default").asString()).isEqualTo(defaultKey);
        assertThat(putFunction(app, "hello", HELLO, HELLO_CODE).statusCode()).as("a replacing PUT").isEqualTo(201);
        assertThat(JSON.readTree(send("POST", site(app) + "/functions/hello/listkeys" + API, null).body())
                .get("default").asString()).isEqualTo(defaultKey);

        JsonNode secrets = JSON.readTree(send("POST", site(app) + "/functions/hello/listsecrets" + API, null).body());
        assertThat(secrets.get("key").asString()).isEqualTo(defaultKey);
        assertThat(secrets.get("trigger_url").asString())
                .isEqualTo("http://" + app + ".azurewebsites.localhost:8080/api/hello?code=" + defaultKey);
        JsonNode function = JSON.readTree(send("GET", site(app) + "/functions/hello" + API, null).body());
        assertThat(function.get("properties").get("invoke_url_template").asString())
                .isEqualTo("http://" + app + ".azurewebsites.localhost:8080/api/hello");

        HttpResponse<String> added = send("PUT", site(app) + "/functions/hello/keys/ci" + API, "{\"name\":\"ci\"}");
        assertThat(added.statusCode()).isEqualTo(201);
        String ciKey = JSON.readTree(added.body()).get("value").asString();
        assertThat(send("GET", "/functions/" + app + "/api/hello?code=" + ciKey, null).body()).isEqualTo("hello");
        String chosen = "chosen-key-value-0123456789abcdefghij";
        HttpResponse<String> replaced = send("PUT", site(app) + "/functions/hello/keys/ci" + API,
                "{\"name\":\"ci\",\"value\":\"" + chosen + "\"}");
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(send("GET", "/functions/" + app + "/api/hello?code=" + ciKey, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/functions/" + app + "/api/hello?code=" + chosen, null).statusCode()).isEqualTo(200);
        assertThat(send("DELETE", site(app) + "/functions/hello/keys/ci" + API, null).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/functions/" + app + "/api/hello?code=" + chosen, null).statusCode()).isEqualTo(401);
        assertThat(send("PUT", site(app) + "/functions/hello/keys/bad%20name" + API, "{}").statusCode()).isEqualTo(400);
        assertThat(send("PUT", site(app) + "/functions/hello/keys/short" + API, "{\"value\":\"abc\"}").statusCode()).isEqualTo(400);

        HttpResponse<String> hostKey = send("PUT", site(app) + "/host/default/functionKeys/shared" + API, "{}");
        assertThat(hostKey.statusCode()).isEqualTo(201);
        String shared = JSON.readTree(hostKey.body()).get("value").asString();
        assertThat(send("GET", "/functions/" + app + "/api/hello?code=" + shared, null).statusCode()).isEqualTo(200);
        assertThat(send("PUT", site(app) + "/host/default/systemKeys/webhook" + API, "{}").statusCode()).isEqualTo(201);
        JsonNode hostKeys = JSON.readTree(send("POST", site(app) + "/host/default/listkeys" + API, null).body());
        assertThat(hostKeys.get("masterKey").asString()).isNotBlank();
        assertThat(hostKeys.get("functionKeys").get("shared").asString()).isEqualTo(shared);
        assertThat(hostKeys.get("functionKeys").has("default")).isTrue();
        assertThat(hostKeys.get("systemKeys").has("webhook")).isTrue();
        assertThat(send("DELETE", site(app) + "/host/default/functionKeys/shared" + API, null).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/functions/" + app + "/api/hello?code=" + shared, null).statusCode()).isEqualTo(401);
        assertThat(send("DELETE", site(app) + "/host/default/masterKey/_master" + API, null).statusCode()).isEqualTo(400);
        assertThat(send("PUT", site(app) + "/host/default/otherKeys/x" + API, "{}").statusCode()).isEqualTo(400);

        assertThat(send("POST", site(app) + "/syncfunctiontriggers" + API, null).statusCode()).isEqualTo(204);
        assertThat(send("DELETE", site(app) + "/functions/hello" + API, null).statusCode()).isEqualTo(204);
        assertThat(send("DELETE", site(app) + "/functions/hello" + API, null).statusCode()).isEqualTo(204);
    }

    @Test
    void geoRegionsAndFunctionAppStacksDescribeWhatThisServiceRuns() throws Exception {
        JsonNode regions = JSON.readTree(send("GET", "/subscriptions/" + sub + "/providers/Microsoft.Web/geoRegions" + API
                + "&sku=Dynamic&linuxWorkersEnabled=true", null).body());
        assertThat(regions.get("value")).extracting(r -> r.get("name").asString())
                .contains("West Europe", "Korea Central", "East US", "West US");
        assertThat(regions.get("value").get(0).get("type").asString()).isEqualTo("Microsoft.Web/geoRegions");

        JsonNode stacks = JSON.readTree(send("GET", "/providers/Microsoft.Web/functionAppStacks" + API, null).body());
        assertThat(stacks.get("value")).extracting(s -> s.get("name").asString()).containsExactly("node");
        JsonNode settings = stacks.get("value").get(0).get("properties").get("majorVersions").get(0)
                .get("minorVersions").get(0).get("stackSettings");
        assertThat(settings.get("windowsRuntimeSettings").get("appSettingsDictionary").get("FUNCTIONS_WORKER_RUNTIME")
                .asString()).isEqualTo("node");
        JsonNode linux = JSON.readTree(send("GET", "/providers/Microsoft.Web/functionAppStacks" + API + "&stackOsType=Linux",
                null).body());
        assertThat(linux.get("value").get(0).get("properties").get("majorVersions").get(0).get("minorVersions").get(0)
                .get("stackSettings").has("windowsRuntimeSettings")).isFalse();
        assertThat(send("GET", "/providers/Microsoft.Web/functionAppStacks" + API + "&stackOsType=Mac", null).statusCode())
                .isEqualTo(400);
    }

    @Test
    void everyLifecycleTransitionOfAnAppIsPublishedWithItsState() throws Exception {
        String app = createApp(unique("events"));
        send("PATCH", site(app) + API, "{\"tags\":{\"team\":\"a\"}}");
        send("POST", site(app) + "/stop" + API, null);
        send("POST", site(app) + "/stop" + API, null);
        send("POST", site(app) + "/start" + API, null);
        assertThat(send("DELETE", site(app) + API, null).statusCode()).isEqualTo(200);

        List<JsonNode> events = new ArrayList<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("cirrus.serverless"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    JsonNode event = JSON.readTree(r.value());
                    if (event.path("subject").asString().equals(site(app))) {
                        events.add(event);
                    }
                });
                return events.size() >= 5;
            });
        }
        assertThat(events).extracting(e -> e.get("type").asString()).containsExactly(
                "Microsoft.Web.FunctionAppCreated", "Microsoft.Web.FunctionAppUpdated", "Microsoft.Web.FunctionAppStopped",
                "Microsoft.Web.FunctionAppStarted", "Microsoft.Web.FunctionAppDeleted");
        assertThat(events).extracting(e -> e.get("data").get("state").asString())
                .containsExactly("Running", "Running", "Stopped", "Running", "Deleted");
        assertThat(events.get(1).get("data").get("tags").get("team").asString()).isEqualTo("a");
        assertThat(events.get(0).get("data").get("location").asString()).isEqualTo("westeurope");
        assertThat(events.get(0).get("data").get("etag").asString()).isNotEqualTo(events.get(1).get("data").get("etag").asString());
    }
}
