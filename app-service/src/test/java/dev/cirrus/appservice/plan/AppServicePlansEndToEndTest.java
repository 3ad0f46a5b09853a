package dev.cirrus.appservice.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import dev.cirrus.appservice.support.EndToEndTest;
import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.FunctionAppData;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.testkit.TestInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** App Service plans over HTTP against the real service, database and broker: Azure's shapes, limits and events. */
class AppServicePlansEndToEndTest extends EndToEndTest {

    @Autowired
    JdbcTemplate jdbc;

    static String body(String sku, int capacity) {
        return "{\"location\":\"West Europe\",\"sku\":{\"name\":\"" + sku + "\",\"capacity\":" + capacity + "},"
                + "\"tags\":{\"env\":\"test\"}}";
    }

    JsonNode put(String path, String body) throws Exception {
        HttpResponse<String> put = send("PUT", path + API, body);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        return JSON.readTree(put.body());
    }

    JsonNode error(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).doesNotContain("Exception");
        return JSON.readTree(response.body()).path("error");
    }

    List<String> events(String planPath) {
        return jdbc.queryForList("select event_type from outbox where topic = 'cirrus.appservice' and record_key = ?"
                + " order by seq", String.class, planPath.toLowerCase());
    }

    JsonNode lastEventData(String planPath) {
        String payload = jdbc.queryForObject("select payload from outbox where record_key = ? order by seq desc limit 1",
                String.class, planPath.toLowerCase());
        return JSON.readTree(payload).path("data");
    }

    @Test
    void aCreatedPlanHasAzuresShapeAndIsPublishedOnTheAppServiceTopic() throws Exception {
        String path = plan("rg1", unique("plan"));

        HttpResponse<String> created = send("PUT", path + API, "{\"location\":\"West Europe\",\"kind\":\"Linux\","
                + "\"sku\":{\"name\":\"P1v3\",\"tier\":\"PremiumV3\",\"capacity\":2},\"tags\":{\"env\":\"test\"},"
                + "\"properties\":{\"reserved\":true,\"perSiteScaling\":true}}");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonNode plan = JSON.readTree(created.body());
        assertThat(created.headers().firstValue("ETag")).contains(plan.path("etag").asString());
        assertThat(plan.path("id").asString()).isEqualTo(path);
        assertThat(plan.path("type").asString()).isEqualTo("Microsoft.Web/serverfarms");
        assertThat(plan.path("kind").asString()).isEqualTo("linux");
        assertThat(plan.path("location").asString()).isEqualTo("westeurope");
        assertThat(plan.path("tags").path("env").asString()).isEqualTo("test");
        JsonNode sku = plan.path("sku");
        assertThat(List.of(sku.path("name").asString(), sku.path("tier").asString(), sku.path("size").asString(),
                sku.path("family").asString())).containsExactly("P1v3", "PremiumV3", "P1v3", "Pv3");
        assertThat(sku.path("capacity").asInt()).isEqualTo(2);
        JsonNode props = plan.path("properties");
        assertThat(props.path("status").asString()).isEqualTo("Ready");
        assertThat(props.path("provisioningState").asString()).isEqualTo("Succeeded");
        assertThat(props.path("maximumNumberOfWorkers").asInt()).isEqualTo(30);
        assertThat(props.path("numberOfWorkers").asInt()).isEqualTo(2);
        assertThat(props.path("numberOfSites").asInt()).isZero();
        assertThat(props.path("reserved").asBoolean()).isTrue();
        assertThat(props.path("perSiteScaling").asBoolean()).isTrue();
        assertThat(props.path("elasticScaleEnabled").asBoolean()).isFalse();
        assertThat(props.path("geoRegion").asString()).isEqualTo("West Europe");
        assertThat(JSON.readTree(send("GET", path + API, null).body())).isEqualTo(plan);

        assertThat(events(path)).containsExactly(EventTypes.APP_SERVICE_PLAN_WRITTEN);
        JsonNode data = lastEventData(path);
        assertThat(data.path("skuName").asString()).isEqualTo("P1v3");
        assertThat(data.path("capacity").asInt()).isEqualTo(2);
        assertThat(data.path("location").asString()).isEqualTo("westeurope");
        assertThat(data.path("subscriptionId").asString()).isEqualTo(sub);
    }

    @Test
    void scalingAndChangingTierRechecksTheLimitsAndPublishesEachChange() throws Exception {
        String path = plan("rg1", unique("plan"));
        put(path, body("S1", 3));

        JsonNode down = error(send("PUT", path + API, body("F1", 3)), 400);
        assertThat(down.path("target").asString()).isEqualTo("sku.capacity");
        JsonNode tooMany = error(send("PATCH", path + API, "{\"sku\":{\"name\":\"S1\",\"capacity\":11}}"), 400);
        assertThat(tooMany.path("target").asString()).isEqualTo("sku.capacity");
        assertThat(events(path)).hasSize(1);

        JsonNode scaled = JSON.readTree(send("PATCH", path + API, "{\"sku\":{\"name\":\"S1\",\"capacity\":10}}").body());
        assertThat(scaled.path("sku").path("capacity").asInt()).isEqualTo(10);
        JsonNode free = put(path, body("F1", 1));
        assertThat(free.path("sku").path("tier").asString()).isEqualTo("Free");
        assertThat(free.path("properties").path("maximumNumberOfWorkers").asInt()).isEqualTo(1);
        JsonNode again = put(path, body("F1", 1));
        assertThat(again.path("etag").asString()).as("nothing changed").isEqualTo(free.path("etag").asString());

        assertThat(events(path)).containsExactly(EventTypes.APP_SERVICE_PLAN_WRITTEN,
                EventTypes.APP_SERVICE_PLAN_WRITTEN, EventTypes.APP_SERVICE_PLAN_WRITTEN);
        assertThat(lastEventData(path).path("skuName").asString()).isEqualTo("F1");
    }

    @Test
    void aNewSkuNameWinsOverTheStaleSizeAndFamilyTheAzureCliSendsBesideIt() throws Exception {
        String path = plan("rg1", unique("plan"));
        put(path, "{\"location\":\"westeurope\",\"kind\":\"linux\",\"sku\":{\"name\":\"S1\",\"capacity\":2},"
                + "\"properties\":{\"reserved\":true}}");

        // the body of `az appservice plan update --sku P1V3` (azure-cli 2.45)
        JsonNode updated = put(path, "{\"kind\": \"linux\", \"location\": \"westeurope\", \"tags\": {}, \"sku\": "
                + "{\"name\": \"P1V3\", \"tier\": \"PREMIUMV3\", \"size\": \"S1\", \"family\": \"S\", \"capacity\": 1}, "
                + "\"properties\": {\"perSiteScaling\": false, \"maximumElasticWorkerCount\": 1, \"isSpot\": false, "
                + "\"reserved\": true, \"isXenon\": false, \"hyperV\": false, \"targetWorkerCount\": 0, "
                + "\"targetWorkerSizeId\": 0}}");

        JsonNode sku = updated.path("sku");
        assertThat(List.of(sku.path("name").asString(), sku.path("tier").asString(), sku.path("size").asString(),
                sku.path("family").asString())).containsExactly("P1v3", "PremiumV3", "P1v3", "Pv3");
        assertThat(sku.path("capacity").asInt()).isEqualTo(1);
    }

    @Test
    void functionsPlansCarryTheirOwnShapes() throws Exception {
        JsonNode y1 = put(plan("rg1", unique("consumption")), "{\"location\":\"westeurope\","
                + "\"sku\":{\"name\":\"Y1\",\"tier\":\"Dynamic\"},\"kind\":\"functionapp\"}");
        assertThat(y1.path("sku").path("capacity").asInt()).isZero();
        assertThat(y1.path("sku").path("family").asString()).isEqualTo("Y");
        assertThat(y1.path("properties").path("maximumNumberOfWorkers").asInt()).isEqualTo(200);

        String ep = plan("rg1", unique("premium"));
        JsonNode ep1 = put(ep, "{\"location\":\"westeurope\",\"sku\":{\"name\":\"EP1\",\"capacity\":1},"
                + "\"kind\":\"elastic\",\"properties\":{\"maximumElasticWorkerCount\":20}}");
        assertThat(ep1.path("properties").path("elasticScaleEnabled").asBoolean()).isTrue();
        assertThat(ep1.path("properties").path("maximumElasticWorkerCount").asInt()).isEqualTo(20);
        JsonNode moved = error(send("PATCH", ep + API, "{\"sku\":{\"name\":\"P1v3\"}}"), 400);
        assertThat(moved.path("target").asString()).isEqualTo("sku.name");
    }

    @Test
    void eachTierKeepsItsPlanQuota() throws Exception {
        for (int i = 0; i < 10; i++) {
            put(plan("rg-free-" + (i % 3), "free" + i), body("F1", 1));
        }
        JsonNode eleventh = error(send("PUT", plan("rg-free-9", "free10") + API, body("F1", 1)), 409);
        assertThat(eleventh.path("message").asString()).contains("Free ServerFarms").contains("10");
        put(plan("rg-free-9", "free10"), body("F1", 1).replace("West Europe", "eastus"));

        for (int i = 0; i < 10; i++) {
            put(plan("rg-shared", "shared" + i), body("D1", 1));
        }
        error(send("PUT", plan("rg-shared", "shared10") + API, body("D1", 1)), 409);
        put(plan("rg-shared-2", "shared10"), body("D1", 1));
        put(plan("rg-shared", "basic"), body("B1", 1));
        JsonNode moving = error(send("PATCH", plan("rg-shared", "basic") + API, "{\"sku\":{\"name\":\"D1\"}}"), 409);
        assertThat(moving.path("code").asString()).isEqualTo("Conflict");
        assertThat(jdbc.queryForObject("select count(*) from app_service_plans where subscription_id = ?",
                Integer.class, sub)).isEqualTo(23);
    }

    @Test
    void aPlanIsListedByGroupAndSubscriptionInPagesOfTop() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String name = "list" + i;
            put(plan(i < 4 ? "rg-a" : "rg-b", name), body("B1", 1));
            names.add(name);
        }
        assertThat(namesOf("/subscriptions/" + sub + "/resourceGroups/rg-a/providers/Microsoft.Web/serverfarms" + API))
                .containsExactly("list0", "list1", "list2", "list3");
        assertThat(namesOf("/subscriptions/" + sub + "/providers/Microsoft.Web/serverfarms" + API + "&$top=2"))
                .containsExactlyInAnyOrderElementsOf(names);
        HttpResponse<String> first = send("GET", "/subscriptions/" + sub + "/providers/Microsoft.Web/serverfarms" + API, null);
        assertThat(JSON.readTree(first.body()).path("value").size()).as("the page size").isEqualTo(5);
        assertThat(JSON.readTree(first.body()).path("nextLink").asString()).contains("skiptoken");
        assertThat(namesOf("/subscriptions/" + UUID.randomUUID() + "/providers/Microsoft.Web/serverfarms" + API)).isEmpty();
    }

    @Test
    void deletionAnswers200ThenAndThen204AndPublishesTheEndOfTheMeter() throws Exception {
        String path = plan("rg1", unique("plan"));
        put(path, body("B2", 2));

        assertThat(send("DELETE", path + API, null).statusCode()).isEqualTo(200);
        assertThat(send("DELETE", path + API, null).statusCode()).isEqualTo(204);
        assertThat(error(send("GET", path + API, null), 404).path("code").asString()).isEqualTo("ResourceNotFound");
        assertThat(events(path)).containsExactly(EventTypes.APP_SERVICE_PLAN_WRITTEN,
                EventTypes.APP_SERVICE_PLAN_DELETED);
        assertThat(lastEventData(path).path("capacity").asInt()).isZero();
    }

    @Test
    void aPlanWithAFunctionAppOnItCountsItRefusesDeletionAndFreesItWhenTheAppLeaves() throws Exception {
        String name = unique("plan");
        String path = plan("rg1", name);
        put(path, body("EP1", 1));
        String app = "/subscriptions/" + sub + "/resourceGroups/rg1/providers/Microsoft.Web/sites/" + unique("func");

        announce(EventTypes.FUNCTION_APP_CREATED, app, path.replace("serverfarms", "serverFarms"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(JSON.readTree(send("GET", path + API, null).body()).path("properties")
                        .path("numberOfSites").asInt()).isEqualTo(1));

        JsonNode refused = error(send("DELETE", path + API, null), 409);
        assertThat(refused.path("message").asString()).isEqualTo("Server farm '" + name + "' cannot be deleted "
                + "because it has web app(s) " + app.substring(app.lastIndexOf('/') + 1) + " assigned to it.");
        assertThat(send("GET", path + API, null).statusCode()).isEqualTo(200);

        announce(EventTypes.FUNCTION_APP_DELETED, app, path);
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(send("DELETE", path + API, null).statusCode()).isEqualTo(200));
    }

    @Test
    void theLocationOfAPlanCannotChangeAndIfMatchIsChecked() throws Exception {
        String path = plan("rg1", unique("plan"));
        JsonNode plan = put(path, body("B1", 1));

        JsonNode moved = error(send("PUT", path + API, body("B1", 1).replace("West Europe", "eastus")), 409);
        assertThat(moved.path("code").asString()).isEqualTo("InvalidResourceLocation");
        error(send("PATCH", path + API, "{\"tags\":{}}", "If-Match", "\"stale\""), 412);
        JsonNode patched = JSON.readTree(send("PATCH", path + API, "{\"tags\":{\"a\":\"b\"}}", "If-Match",
                plan.path("etag").asString()).body());
        assertThat(patched.path("tags").path("a").asString()).isEqualTo("b");
        assertThat(patched.path("sku").path("name").asString()).as("a PATCH keeps what it does not name")
                .isEqualTo("B1");
        error(send("PUT", path + API, body("B1", 1), "If-None-Match", "*"), 412);
        error(send("DELETE", path + API, null, "If-Match", "\"stale\""), 412);
    }

    private List<String> namesOf(String firstPage) throws Exception {
        List<String> names = new ArrayList<>();
        String next = firstPage;
        while (next != null) {
            HttpResponse<String> page = send("GET", next, null);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(page.body());
            body.path("value").forEach(p -> names.add(p.path("name").asString()));
            String link = body.path("nextLink").isString() ? body.path("nextLink").asString() : null;
            next = link == null ? null : link.substring(link.indexOf("/subscriptions/"));
        }
        return names;
    }

    /** Publishes a function app's lifecycle event on cirrus.serverless, as serverless's outbox relay does. */
    private void announce(String type, String app, String serverFarmId) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        FunctionAppData data = new FunctionAppData(sub, "rg1", app.substring(app.lastIndexOf('/') + 1), "westeurope",
                "functionapp", "Running", serverFarmId, Map.of(), "\"x\"");
        CloudEvent event = CloudEvent.of("serverless", type, app, Instant.now(), JSON.valueToTree(data));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(Topics.SERVERLESS, event.key(), JSON.writeValueAsString(event))).get();
        }
    }
}
