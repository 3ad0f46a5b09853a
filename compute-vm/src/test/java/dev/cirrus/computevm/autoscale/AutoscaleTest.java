package dev.cirrus.computevm.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import dev.cirrus.computevm.ComputeVmTestSupport;
import dev.cirrus.computevm.TopicReader;
import dev.cirrus.computevm.scaleset.ScaleSetTest;
import dev.cirrus.contracts.events.EventTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Metrics, the load model and autoscale against the real placement engine, PostgreSQL and Kafka, with monitor time
 * 30 times faster (ComputeVmTestSupport): a scale set under a load profile grows to its maximum and shrinks after
 * the load drops, the decisions show in the activity log and on Kafka, and the webhook receives Azure's payload.
 */
class AutoscaleTest extends ComputeVmTestSupport {

    private final String sub = newSubscription();
    private final List<String> webhookBodies = new CopyOnWriteArrayList<>();
    private HttpServer webhook;

    @BeforeEach
    void startWebhook() throws IOException {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            webhookBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
    }

    @AfterEach
    void stopWebhook() {
        webhook.stop(0);
    }

    private String settingPath(String name) {
        return "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Insights/autoscalesettings/" + name;
    }

    private int capacity(String set) {
        return json(get(set)).path("sku").path("capacity").asInt();
    }

    private int runningInstances(String set) {
        int n = 0;
        for (JsonNode vm : json(get(set + "/virtualMachines?$expand=instanceView")).path("value")) {
            for (JsonNode s : vm.path("properties").path("instanceView").path("statuses")) {
                if ("PowerState/running".equals(s.path("code").stringValue())) {
                    n++;
                }
            }
        }
        return n;
    }

    static String setting(String target, int min, int max, int def, String webhookUri) {
        return """
                {"location": "westeurope", "tags": {"app": "web"},
                 "properties": {"enabled": true, "targetResourceUri": "%1$s",
                   "profiles": [{"name": "default", "capacity": {"minimum": "%2$d", "maximum": "%3$d", "default": "%4$d"},
                     "rules": [
                       {"metricTrigger": {"metricName": "Percentage CPU", "metricResourceUri": "%1$s", "timeGrain": "PT1M",
                          "statistic": "Average", "timeWindow": "PT5M", "timeAggregation": "Average",
                          "operator": "GreaterThan", "threshold": 70},
                        "scaleAction": {"direction": "Increase", "type": "ChangeCount", "value": "1", "cooldown": "PT1M"}},
                       {"metricTrigger": {"metricName": "Percentage CPU", "metricResourceUri": "%1$s", "timeGrain": "PT1M",
                          "statistic": "Average", "timeWindow": "PT5M", "timeAggregation": "Average",
                          "operator": "LessThan", "threshold": 30},
                        "scaleAction": {"direction": "Decrease", "type": "ChangeCount", "value": "1", "cooldown": "PT1M"}}]}],
                   "notifications": [{"operation": "Scale",
                     "email": {"sendToSubscriptionAdministrator": true, "customEmails": ["ops@example.com"]},
                     "webhooks": [{"serviceUri": "%5$s", "properties": {"team": "web"}}]}]}}
                """.formatted(target, min, max, def, webhookUri);
    }

    @Test
    void aScaleSetUnderLoadGrowsToItsMaximumAndShrinksWhenTheLoadDrops() {
        TopicReader events = vmTopic();
        String set = ScaleSetTest.setPath(sub, "rg", "web");
        HttpResponse<String> created = put(set, ScaleSetTest.uniform("westeurope", 2, "\"overprovision\": false,"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).until(() -> runningInstances(set) == 2);

        HttpResponse<String> load = put(set + "/providers/Cirrus.Monitor/loadProfiles/default",
                "{\"properties\": {\"kind\": \"Constant\", \"percentCpu\": 90}}");
        assertThat(load.statusCode()).as(load.body()).isEqualTo(201);
        assertThat(json(load).path("properties").path("kind").stringValue()).isEqualTo("Constant");

        String hook = "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook";
        Instant before = Instant.now().minus(Duration.ofDays(1));
        HttpResponse<String> written = put(settingPath("web-autoscale"), setting(set, 1, 4, 2, hook));
        assertThat(written.statusCode()).as(written.body()).isEqualTo(201);
        assertThat(json(written).path("properties").path("enabled").asBoolean()).isTrue();

        await().atMost(Duration.ofSeconds(90)).until(() -> capacity(set) == 4);
        await().atMost(Duration.ofSeconds(60)).until(() -> runningInstances(set) == 4);

        // the metrics API shows the load on the set, per instance when split by VMName
        JsonNode metrics = json(get(set + "/providers/Microsoft.Insights/metrics?api-version=2018-01-01"
                + "&metricnames=Percentage%20CPU&aggregation=Average,Count&interval=PT5M&$filter=VMName%20eq%20'*'"));
        assertThat(metrics.path("value").get(0).path("unit").stringValue()).isEqualTo("Percent");
        JsonNode series = metrics.path("value").get(0).path("timeseries");
        assertThat(series.size()).isGreaterThanOrEqualTo(2);
        boolean sawNinety = false;
        for (JsonNode s : series) {
            assertThat(s.path("metadatavalues").get(0).path("value").stringValue()).startsWith("web_");
            for (JsonNode point : s.path("data")) {
                sawNinety |= point.has("average") && Math.abs(point.path("average").asDouble() - 90) < 1e-6;
            }
        }
        assertThat(sawNinety).as(metrics.toString()).isTrue();

        // the load drops: the set shrinks to its minimum, one step per cooldown
        put(set + "/providers/Cirrus.Monitor/loadProfiles/default",
                "{\"properties\": {\"kind\": \"Constant\", \"percentCpu\": 5}}");
        await().atMost(Duration.ofSeconds(120)).until(() -> capacity(set) == 1);

        // the activity log has each action, the event stream too, and the webhook got Azure's payload
        JsonNode log = json(get("/subscriptions/" + sub + "/providers/Microsoft.Insights/eventtypes/management/values"
                + "?api-version=2015-04-01&$filter=eventTimestamp%20ge%20'" + before + "'"));
        List<String> operations = log.path("value").valueStream()
                .map(v -> v.path("operationName").path("value").stringValue()).toList();
        assertThat(operations).contains("Microsoft.Insights/AutoscaleSettings/Scaleup/Action",
                "Microsoft.Insights/AutoscaleSettings/Scaledown/Action");
        assertThat(log.path("value").get(0).path("properties").path("ActiveAutoscaleProfile").stringValue())
                .isEqualTo("default");
        String settingKey = settingPath("web-autoscale").toLowerCase(java.util.Locale.ROOT);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events.events(settingKey).stream()
                .map(TopicReader.Event::type)).contains(EventTypes.AUTOSCALE_SCALED_OUT, EventTypes.AUTOSCALE_SCALED_IN));
        await().atMost(Duration.ofSeconds(30)).until(() -> webhookBodies.size() >= 3);
        JsonNode payload = JSON.readTree(webhookBodies.getFirst());
        assertThat(payload.path("operation").stringValue()).isEqualTo("Scale Out");
        assertThat(payload.path("context").path("oldCapacity").stringValue()).isEqualTo("2");
        assertThat(payload.path("context").path("newCapacity").stringValue()).isEqualTo("3");
        assertThat(payload.path("properties").path("team").stringValue()).isEqualTo("web");

        assertThat(delete(settingPath("web-autoscale")).statusCode()).isEqualTo(200);
        assertThat(get(settingPath("web-autoscale")).statusCode()).isEqualTo(404);
    }

    @Test
    void aDisabledSettingNeverScales() {
        String set = ScaleSetTest.setPath(sub, "rg", "quiet");
        assertThat(put(set, ScaleSetTest.uniform("westeurope", 1, "\"overprovision\": false,")).statusCode())
                .isEqualTo(201);
        put(set + "/providers/Cirrus.Monitor/loadProfiles/default",
                "{\"properties\": {\"kind\": \"Constant\", \"percentCpu\": 95}}");
        String body = setting(set, 1, 3, 1, "http://127.0.0.1:9/unused").replace("\"enabled\": true", "\"enabled\": false");
        assertThat(put(settingPath("quiet-autoscale"), body).statusCode()).isEqualTo(201);
        // six monitor minutes (12 s at rate 30) are enough for two scale-outs of an enabled setting
        await().during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(20)).until(() -> capacity(set) == 1);
    }
}
