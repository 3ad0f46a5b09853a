package dev.cirrus.serverless.functionapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
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

class FunctionAppsEndToEndTest extends EndToEndTest {

    static final String HTTP_FUNCTION = "[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\",\"authLevel\":\"function\",\"methods\":[\"get\",\"post\"]},"
            + "{\"type\":\"http\",\"direction\":\"out\",\"name\":\"res\"}]";

    @Test
    void anHttpFunctionRunsRealJavaScriptWithKeysColdThenWarmAndItsExecutionsAreRecordedAndPublished() throws Exception {
        String app = createApp("hello-" + UUID.randomUUID().toString().substring(0, 8));
        assertThat(putFunction(app, "hello", HTTP_FUNCTION,
                "let calls = 0; module.exports = async function (context, req) { calls++; context.log('called', calls);"
                        + " context.res = { status: 200, body: { greeting: 'Hello, ' + (req.query.name || 'world'), calls } }; };")
                .statusCode()).isEqualTo(201);

        HttpResponse<String> anonymous = send("GET", "/functions/" + app + "/api/hello", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);

        String key = JSON.readTree(send("POST", site(app) + "/functions/hello/listkeys" + API, null).body()).get("default").asString();
        HttpResponse<String> first = send("GET", "/functions/" + app + "/api/hello?name=Ada&code=" + key, null);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(JSON.readTree(first.body()).get("greeting").asString()).isEqualTo("Hello, Ada");
        assertThat(first.headers().firstValue("x-cirrus-cold-start")).hasValue("true");

        String masterKey = JSON.readTree(send("POST", site(app) + "/host/default/listkeys" + API, null).body()).get("masterKey").asString();
        HttpResponse<String> second = send("POST", "/functions/" + app + "/api/hello", "{}", "x-functions-key", masterKey);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("x-cirrus-cold-start")).hasValue("false");
        assertThat(JSON.readTree(second.body()).get("calls").asInt()).isEqualTo(2);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode page = JSON.readTree(send("GET", site(app) + "/functions/hello/executions" + API, null).body());
            assertThat(page.get("value")).hasSize(2);
            assertThat(page.get("value").get(0).get("coldStart").asBoolean()).isFalse();
            assertThat(page.get("value").get(1).get("coldStart").asBoolean()).isTrue();
            assertThat(page.get("value").get(1).get("status").asString()).isEqualTo("Succeeded");
            assertThat(page.get("value").get(1).get("logs").get(0).asString()).isEqualTo("called 1");
        });
        JsonNode firstPage = JSON.readTree(send("GET", site(app) + "/executions" + API + "&$top=1", null).body());
        assertThat(firstPage.get("value")).hasSize(1);
        String next = firstPage.get("nextLink").asString();
        JsonNode secondPage = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(next)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(secondPage.get("value")).hasSize(1);
        assertThat(secondPage.get("value").get(0).get("coldStart").asBoolean()).isTrue();

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
                    if (event.path("data").path("name").asString().equals(app)
                            && event.path("type").asString().equals("Microsoft.Web.FunctionExecuted")) {
                        events.add(event);
                    }
                });
                return events.size() >= 2;
            });
        }
        JsonNode event = events.get(0);
        assertThat(event.get("type").asString()).isEqualTo("Microsoft.Web.FunctionExecuted");
        // the subject is the function APP's id, so billing meters it per app
        assertThat(event.get("subject").asString()).isEqualTo(site(app));
        assertThat(event.get("data").get("functionName").asString()).isEqualTo("hello");
        assertThat(event.get("data").get("location").asString()).isEqualTo("westeurope");
        assertThat(event.get("data").get("executionId").asString()).isNotBlank();
        assertThat(events).extracting(e -> e.get("data").get("coldStart").asBoolean()).contains(true, false);
        assertThat(event.get("data").path("serverFarmId").isNull() || event.get("data").path("serverFarmId").isMissingNode()).isTrue();
        assertThat(event.get("data").get("subscriptionId").asString()).isEqualTo(sub);
        assertThat(event.get("data").get("trigger").asString()).isEqualTo("http");
        assertThat(event.get("data").get("status").asString()).isEqualTo("Succeeded");
        assertThat(event.get("data").get("memoryMb").asInt()).isPositive();
    }

    @Test
    void anAppOnAConsumptionPlanFromAppServiceIsBilledPerExecutionAndAnAppOnADedicatedPlanThroughItsPlan()
            throws Exception {
        String consumptionPlan = "/subscriptions/" + sub + "/resourceGroups/rg1/providers/Microsoft.Web/serverfarms/"
                + unique("y1");
        String dedicatedPlan = "/subscriptions/" + sub + "/resourceGroups/rg1/providers/Microsoft.Web/serverfarms/"
                + unique("s1");
        // app-service announces its plans on cirrus.appservice (AppServicePlanData)
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(java.util.Map.of(
                "bootstrap.servers", TestInfrastructure.kafkaBootstrapServers()),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            for (String[] plan : List.of(new String[] {consumptionPlan, "Y1", "0"}, new String[] {dedicatedPlan, "S1", "1"})) {
                JsonNode data = JSON.valueToTree(new dev.cirrus.contracts.events.AppServicePlanData(sub, "rg1",
                        plan[0].substring(plan[0].lastIndexOf('/') + 1), "westeurope", plan[1],
                        Integer.parseInt(plan[2])));
                var event = dev.cirrus.contracts.events.CloudEvent.of("app-service",
                        dev.cirrus.contracts.events.EventTypes.APP_SERVICE_PLAN_WRITTEN, plan[0],
                        java.time.Instant.now(), data);
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("cirrus.appservice",
                        plan[0].toLowerCase(java.util.Locale.ROOT), JSON.writeValueAsString(event))).get();
            }
        }
        String onY1 = unique("ony1");
        String onS1 = unique("ons1");
        for (String[] app : List.of(new String[] {onY1, consumptionPlan}, new String[] {onS1, dedicatedPlan})) {
            HttpResponse<String> created = send("PUT", site(app[0]) + API, "{\"kind\":\"functionapp\",\"location\":"
                    + "\"westeurope\",\"properties\":{\"serverFarmId\":\"" + app[1] + "\"}}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            putFunction(app[0], "ping", "[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\","
                    + "\"authLevel\":\"anonymous\",\"methods\":[\"get\"]},{\"type\":\"http\",\"direction\":\"out\","
                    + "\"name\":\"$return\"}]", "module.exports = async () => ({ body: 'pong' });");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(JSON.readTree(
                send("GET", site(onY1) + API, null).body()).path("properties").path("sku").asString()).isEqualTo("Dynamic"));
        assertThat(JSON.readTree(send("GET", site(onS1) + API, null).body()).path("properties").path("sku").asString())
                .isEqualTo("Dedicated");

        assertThat(send("GET", "/functions/" + onY1 + "/api/ping", null).body()).isEqualTo("pong");
        assertThat(send("GET", "/functions/" + onS1 + "/api/ping", null).body()).isEqualTo("pong");

        java.util.Map<String, JsonNode> executed = new java.util.HashMap<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("cirrus.serverless"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    JsonNode event = JSON.readTree(r.value());
                    if (event.path("type").asString().equals("Microsoft.Web.FunctionExecuted")) {
                        executed.put(event.path("data").path("name").asString(), event.path("data"));
                    }
                });
                return executed.containsKey(onY1) && executed.containsKey(onS1);
            });
        }
        // billing meters an execution only when serverFarmId is absent (contracts FunctionExecutionData)
        assertThat(executed.get(onY1).path("serverFarmId").isNull()
                || executed.get(onY1).path("serverFarmId").isMissingNode()).isTrue();
        assertThat(executed.get(onS1).path("serverFarmId").asString()).isEqualTo(dedicatedPlan);

        // and the Consumption plan's limit: a functionTimeout over 10 minutes is refused on Y1 only
        byte[] twentyMinutes = zipOf("host.json", "{\"version\":\"2.0\",\"functionTimeout\":\"00:20:00\"}",
                "ping/function.json", "{\"bindings\":[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\","
                        + "\"authLevel\":\"anonymous\",\"methods\":[\"get\"]},{\"type\":\"http\",\"direction\":\"out\","
                        + "\"name\":\"$return\"}]}",
                "ping/index.js", "module.exports = async () => ({ body: 'pong' });");
        HttpResponse<String> onConsumption = sendBytes("POST", site(onY1) + "/extensions/zipdeploy" + API,
                twentyMinutes, "Content-Type", "application/zip");
        assertThat(onConsumption.statusCode()).isEqualTo(400);
        assertThat(onConsumption.body()).contains("InvalidHostJson").contains("00:10:00");
        HttpResponse<String> onDedicated = sendBytes("POST", site(onS1) + "/extensions/zipdeploy" + API,
                twentyMinutes, "Content-Type", "application/zip");
        assertThat(onDedicated.statusCode()).as(onDedicated.body()).isBetween(200, 202);
    }

    private static byte[] zipOf(String... namesAndContents) throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.ZipOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                out.putNextEntry(new java.util.zip.ZipEntry(namesAndContents[i]));
                out.write(namesAndContents[i + 1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void thePublishingProfileNamesTheKuduHostAndCredentialsThatReallyDeployAndNoSettingIsSticky() throws Exception {
        String app = createApp(unique("publish"));
        HttpResponse<String> profile = send("POST", site(app) + "/publishxml" + API, "{\"format\":\"WebDeploy\"}");
        assertThat(profile.statusCode()).isEqualTo(200);
        assertThat(profile.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("xml"));
        var document = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(profile.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        var profiles = document.getElementsByTagName("publishProfile");
        assertThat(profiles.getLength()).isEqualTo(1);
        var zip = (org.w3c.dom.Element) profiles.item(0);
        assertThat(zip.getAttribute("publishMethod")).isEqualTo("ZipDeploy");
        assertThat(zip.getAttribute("publishUrl")).startsWith(app + ".scm.azurewebsites.");
        assertThat(zip.getAttribute("userName")).isEqualTo("$" + app);

        // the profile's credentials deploy through the app's Kudu API
        String basic = java.util.Base64.getEncoder().encodeToString((zip.getAttribute("userName") + ":"
                + zip.getAttribute("userPWD")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] code = zipOf("host.json", "{\"version\":\"2.0\"}", "ping/function.json",
                "{\"bindings\":[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\","
                        + "\"authLevel\":\"anonymous\",\"methods\":[\"get\"]},{\"type\":\"http\",\"direction\":\"out\","
                        + "\"name\":\"$return\"}]}", "ping/index.js", "module.exports = async () => ({ body: 'pong' });");
        HttpResponse<String> deployed = sendBytes("POST", "/functions/" + app + "/scm/api/zipdeploy", code,
                "Content-Type", "application/zip", "Authorization", "Basic " + basic);
        assertThat(deployed.statusCode()).as(deployed.body()).isBetween(200, 202);
        assertThat(send("GET", "/functions/" + app + "/api/ping", null).body()).isEqualTo("pong");

        JsonNode sticky = JSON.readTree(send("GET", site(app) + "/config/slotConfigNames" + API, null).body());
        assertThat(sticky.path("name").asString()).isEqualTo("slotConfigNames");
        assertThat(sticky.path("properties").path("appSettingNames").isArray()).isTrue();
        assertThat(sticky.path("properties").path("appSettingNames")).isEmpty();
    }

    @Test
    void routesWithParametersMethodsAndTheAppHostHeaderReachTheRightFunction() throws Exception {
        String app = createApp("routes-" + UUID.randomUUID().toString().substring(0, 8));
        putFunction(app, "item", "[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\",\"authLevel\":\"anonymous\","
                + "\"methods\":[\"get\"],\"route\":\"items/{id:int}\"},{\"type\":\"http\",\"direction\":\"out\",\"name\":\"$return\"}]",
                "module.exports = async (context, req) => ({ body: 'item ' + req.params.id });");
        assertThat(send("GET", "/functions/" + app + "/api/items/42", null).body()).isEqualTo("item 42");
        assertThat(send("GET", "/functions/" + app + "/api/items/abc", null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/functions/" + app + "/api/items/42", null).statusCode()).isEqualTo(404);
        HttpResponse<String> byHost = send("GET", "/api/items/7", null, "X-Forwarded-Host", app + ".azurewebsites.localhost");
        assertThat(byHost.statusCode()).as(byHost.body()).isEqualTo(200);
        assertThat(byHost.body()).isEqualTo("item 7");
    }

    @Test
    void anHttpTriggerTakesABodyLargerThanArmsLimitWhileAnArmRequestThatLargeIsA413() throws Exception {
        String app = createApp(unique("big"));
        putFunction(app, "size", "[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\",\"authLevel\":\"anonymous\","
                + "\"methods\":[\"post\"]},{\"type\":\"http\",\"direction\":\"out\",\"name\":\"$return\"}]",
                "module.exports = async (context, req) => ({ body: String(req.rawBody.length) });");
        String fiveMegabytes = "x".repeat(5 * 1024 * 1024);
        HttpResponse<String> invoked = send("POST", "/functions/" + app + "/api/size", fiveMegabytes);
        assertThat(invoked.statusCode()).as(invoked.body()).isEqualTo(200);
        assertThat(invoked.body()).isEqualTo(String.valueOf(fiveMegabytes.length()));

        HttpResponse<String> arm = send("PATCH", site(app) + API, "{\"tags\":{\"pad\":\"" + fiveMegabytes + "\"}}");
        assertThat(arm.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(arm.body()).get("error").get("code").asString()).isEqualTo("RequestEntityTooLarge");
    }

    @Test
    void badCodeIsAFailed500ExecutionAndTheNextCallStillWorks() throws Exception {
        String app = createApp("bad-" + UUID.randomUUID().toString().substring(0, 8));
        send("PUT", site(app) + "/config/appsettings" + API, "{\"properties\":{\"FUNCTIONS_WORKER_RUNTIME\":\"node\",\"MODE\":\"x\"}}");
        putFunction(app, "flaky", "[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\",\"authLevel\":\"anonymous\"}]",
                "module.exports = async function (context, req) {"
                        + " if (req.query.mode === 'throw') throw new Error('kaboom');"
                        + " if (req.query.mode === 'garbage') { context.res = { status: 'banana' }; return; }"
                        + " if (req.query.mode === 'escape') return Java.type('java.lang.System').getenv();"
                        + " context.res = { body: 'ok' }; };");
        HttpResponse<String> thrown = send("GET", "/functions/" + app + "/api/flaky?mode=throw", null);
        assertThat(thrown.statusCode()).isEqualTo(500);
        assertThat(thrown.body()).contains("kaboom").contains("FunctionInvocationFailed");
        HttpResponse<String> garbage = send("GET", "/functions/" + app + "/api/flaky?mode=garbage", null);
        assertThat(garbage.statusCode()).isEqualTo(500);
        assertThat(garbage.body()).contains("banana");
        HttpResponse<String> escape = send("GET", "/functions/" + app + "/api/flaky?mode=escape", null);
        assertThat(escape.statusCode()).isEqualTo(500);
        assertThat(escape.body()).contains("Java is not defined");
        HttpResponse<String> fine = send("GET", "/functions/" + app + "/api/flaky", null);
        assertThat(fine.statusCode()).isEqualTo(200);
        assertThat(fine.body()).isEqualTo("ok");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode page = JSON.readTree(send("GET", site(app) + "/executions" + API, null).body());
            assertThat(page.get("value")).extracting(e -> e.get("status").asString())
                    .containsExactly("Succeeded", "Failed", "Failed", "Failed");
        });
    }

    @Test
    void anInvalidFunctionJsonIsA400NamingTheBindingAndChangesNothing() throws Exception {
        String app = createApp("invalid-" + UUID.randomUUID().toString().substring(0, 8));
        HttpResponse<String> twoTriggers = putFunction(app, "f",
                "[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\"},{\"type\":\"timerTrigger\",\"direction\":\"in\",\"name\":\"tick\",\"schedule\":\"0 * * * * *\"}]",
                "module.exports = async () => 1;");
        assertThat(twoTriggers.statusCode()).isEqualTo(400);
        assertThat(twoTriggers.body()).contains("binding 'tick'").contains("properties.config.bindings[1]");
        HttpResponse<String> badSchedule = putFunction(app, "f",
                "[{\"type\":\"timerTrigger\",\"direction\":\"in\",\"name\":\"tick\",\"schedule\":\"every minute\"}]",
                "module.exports = async () => 1;");
        assertThat(badSchedule.statusCode()).isEqualTo(400);
        assertThat(badSchedule.body()).contains("binding 'tick'").contains("6 fields");
        HttpResponse<String> noDirection = putFunction(app, "f", "[{\"type\":\"httpTrigger\",\"name\":\"req\"}]", "x");
        assertThat(noDirection.statusCode()).isEqualTo(400);
        assertThat(noDirection.body()).contains("binding 'req'").contains("direction");
        assertThat(JSON.readTree(send("GET", site(app) + "/functions" + API, null).body()).get("value")).isEmpty();
    }

    @Test
    void aFunctionAppHasArmLifecycleSettingsAndAStoppedAppServesNothing() throws Exception {
        String app = createApp("life-" + UUID.randomUUID().toString().substring(0, 8));
        assertThat(send("PUT", site(app) + API, "{\"kind\":\"app\",\"location\":\"westeurope\"}").statusCode()).isEqualTo(400);
        assertThat(send("PUT", "/subscriptions/" + sub + "/resourceGroups/other/providers/Microsoft.Web/sites/" + app + API,
                "{\"kind\":\"functionapp\",\"location\":\"westeurope\"}").statusCode()).isEqualTo(409);
        JsonNode got = JSON.readTree(send("GET", site(app).toUpperCase().replace(sub.toUpperCase(), sub) + API, null).body());
        assertThat(got.get("kind").asString()).isEqualTo("functionapp");
        assertThat(got.get("properties").get("state").asString()).isEqualTo("Running");
        assertThat(got.get("properties").get("sku").asString()).isEqualTo("Dynamic");
        JsonNode patched = JSON.readTree(send("PATCH", site(app) + API, "{\"tags\":{\"env\":\"test\"}}").body());
        assertThat(patched.get("tags").get("env").asString()).isEqualTo("test");
        send("PUT", site(app) + "/config/appsettings" + API, "{\"properties\":{\"GREETING\":\"hi\"}}");
        JsonNode settings = JSON.readTree(send("POST", site(app) + "/config/appsettings/list" + API, null).body());
        assertThat(settings.get("properties").get("GREETING").asString()).isEqualTo("hi");
        putFunction(app, "ping", "[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\",\"authLevel\":\"anonymous\"}]",
                "module.exports = async (context) => { context.res = { body: 'pong' }; };");
        assertThat(send("GET", "/functions/" + app + "/api/ping", null).body()).isEqualTo("pong");
        assertThat(send("POST", site(app) + "/stop" + API, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/functions/" + app + "/api/ping", null).statusCode()).isEqualTo(403);
        assertThat(send("POST", site(app) + "/start" + API, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/functions/" + app + "/api/ping", null).body()).isEqualTo("pong");
        JsonNode list = JSON.readTree(send("GET", "/subscriptions/" + sub + "/providers/Microsoft.Web/sites" + API, null).body());
        assertThat(list.get("value")).extracting(v -> v.get("name").asString()).contains(app);
        assertThat(send("DELETE", site(app) + API, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", site(app) + API, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/functions/" + app + "/api/ping", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aTimerFunctionRunsOnStartupAndThenEverySecondOfItsSchedule() throws Exception {
        String app = createApp("timer-" + UUID.randomUUID().toString().substring(0, 8));
        assertThat(putFunction(app, "tick", "[{\"type\":\"timerTrigger\",\"direction\":\"in\",\"name\":\"myTimer\","
                + "\"schedule\":\"* * * * * *\",\"runOnStartup\":true}]",
                "module.exports = async function (context, myTimer) { context.log('past due: ' + myTimer.isPastDue); };")
                .statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode page = JSON.readTree(send("GET", site(app) + "/functions/tick/executions" + API, null).body());
            assertThat(page.get("value").size()).isGreaterThanOrEqualTo(3);
            assertThat(page.get("value")).allSatisfy(e -> {
                assertThat(e.get("trigger").asString()).isEqualTo("timer");
                assertThat(e.get("status").asString()).isEqualTo("Succeeded");
            });
        });
        send("POST", site(app) + "/stop" + API, null);
    }
}
