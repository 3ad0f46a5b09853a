package dev.cirrus.computevm.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.stream.Stream;

import dev.cirrus.computevm.ComputeVmTestSupport;
import dev.cirrus.computevm.scaleset.ScaleSetTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Bad autoscale settings, load profiles and metric queries: each Azure's status and code with a target, and nothing
 * stored (no setting, no profile).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutoscaleBadInputTest extends ComputeVmTestSupport {

    private final String sub = newSubscription();
    private String set;

    @BeforeAll
    void aScaleSet() {
        set = ScaleSetTest.setPath(sub, "rg", "target");
        assertThat(put(set, ScaleSetTest.uniform("westeurope", 1, "\"overprovision\": false,")).statusCode())
                .isEqualTo(201);
    }

    private String good() {
        return AutoscaleTest.setting(set, 1, 3, 1, "http://127.0.0.1:9/hook");
    }

    /** {@code good()} with {@code from} replaced by {@code to} (the first occurrence). */
    static Arguments row(String name, String from, String to, int status, String code, String target) {
        return Arguments.of(name, from, to, status, code, target);
    }

    static Stream<Arguments> settings() {
        String rule = "\"operator\": \"GreaterThan\"";
        return Stream.of(
                row("no location", "\"location\": \"westeurope\",", "", 400, "LocationRequired", "location"),
                row("no target", "\"targetResourceUri\": \"", "\"targetUri\": \"", 400, "BadRequest", "properties.targetResourceUri"),
                row("a target that is not a resource id", "\"targetResourceUri\": \"", "\"targetResourceUri\": \"x", 400, "LinkedInvalidPropertyId", "properties.targetResourceUri"),
                row("a target that does not exist", "virtualMachineScaleSets/target\",", "virtualMachineScaleSets/missing\",", 400, "BadRequest", "properties.targetResourceUri"),
                row("a target of another type", "Microsoft.Compute/virtualMachineScaleSets/target\",", "Microsoft.Compute/virtualMachines/target\",", 400, "BadRequest", "properties.targetResourceUri"),
                row("no profiles", "\"profiles\": [", "\"profiles\": [], \"x\": [", 400, "BadRequest", "properties.profiles"),
                row("minimum above maximum", "\"minimum\": \"1\"", "\"minimum\": \"4\"", 400, "BadRequest", "properties.profiles[0].capacity.minimum"),
                row("minimum above default", "\"minimum\": \"1\", \"maximum\": \"3\", \"default\": \"1\"", "\"minimum\": \"2\", \"maximum\": \"3\", \"default\": \"1\"", 400, "BadRequest", "properties.profiles[0].capacity.minimum"),
                row("default above maximum", "\"default\": \"1\"", "\"default\": \"5\"", 400, "BadRequest", "properties.profiles[0].capacity.default"),
                row("a capacity that is not a number", "\"maximum\": \"3\"", "\"maximum\": \"three\"", 400, "BadRequest", "properties.profiles[0].capacity.maximum"),
                row("a capacity above 1000", "\"maximum\": \"3\"", "\"maximum\": \"1001\"", 400, "BadRequest", "properties.profiles[0].capacity.maximum"),
                row("an unknown metric", "\"metricName\": \"Percentage CPU\"", "\"metricName\": \"Disk Magic\"", 400, "BadRequest", "properties.profiles[0].rules[0].metricTrigger.metricName"),
                row("a time grain under a minute", "\"timeGrain\": \"PT1M\"", "\"timeGrain\": \"PT30S\"", 400, "BadRequest", "properties.profiles[0].rules[0].metricTrigger.timeGrain"),
                row("a time grain that is not ISO 8601", "\"timeGrain\": \"PT1M\"", "\"timeGrain\": \"1 minute\"", 400, "BadRequest", "properties.profiles[0].rules[0].metricTrigger.timeGrain"),
                row("a window under five minutes", "\"timeWindow\": \"PT5M\"", "\"timeWindow\": \"PT2M\"", 400, "BadRequest", "properties.profiles[0].rules[0].metricTrigger.timeWindow"),
                row("an unknown statistic", "\"statistic\": \"Average\"", "\"statistic\": \"Median\"", 400, "BadRequest", "properties.profiles[0].rules[0].metricTrigger.statistic"),
                row("an unknown operator", rule, "\"operator\": \"Above\"", 400, "BadRequest", "properties.profiles[0].rules[0].metricTrigger.operator"),
                row("a threshold that is not a number", "\"threshold\": 70", "\"threshold\": \"high\"", 400, "BadRequest", "properties.profiles[0].rules[0].metricTrigger.threshold"),
                row("an unknown direction", "\"direction\": \"Increase\"", "\"direction\": \"Up\"", 400, "BadRequest", "properties.profiles[0].rules[0].scaleAction.direction"),
                row("ServiceAllowedNextValue on a scale set", "\"type\": \"ChangeCount\"", "\"type\": \"ServiceAllowedNextValue\"", 400, "BadRequest", "properties.profiles[0].rules[0].scaleAction.type"),
                row("a change of zero", "\"value\": \"1\"", "\"value\": \"0\"", 400, "BadRequest", "properties.profiles[0].rules[0].scaleAction.value"),
                row("a cooldown over a week", "\"cooldown\": \"PT1M\"", "\"cooldown\": \"P8D\"", 400, "BadRequest", "properties.profiles[0].rules[0].scaleAction.cooldown"),
                row("a recurrence that is not weekly", "\"rules\": [", "\"recurrence\": {\"frequency\": \"Day\", \"schedule\": {\"timeZone\": \"UTC\", \"days\": [\"Monday\"], \"hours\": [1], \"minutes\": [0]}}, \"rules\": [", 400, "BadRequest", "properties.profiles[0].recurrence.frequency"),
                row("an unknown time zone", "\"rules\": [", "\"recurrence\": {\"frequency\": \"Week\", \"schedule\": {\"timeZone\": \"Mars Standard Time\", \"days\": [\"Monday\"], \"hours\": [1], \"minutes\": [0]}}, \"rules\": [", 400, "BadRequest", "properties.profiles[0].recurrence.schedule.timeZone"),
                row("an hour of 24", "\"rules\": [", "\"recurrence\": {\"frequency\": \"Week\", \"schedule\": {\"timeZone\": \"UTC\", \"days\": [\"Monday\"], \"hours\": [24], \"minutes\": [0]}}, \"rules\": [", 400, "BadRequest", "properties.profiles[0].recurrence.schedule.hours"),
                row("a day that is not a day", "\"rules\": [", "\"recurrence\": {\"frequency\": \"Week\", \"schedule\": {\"timeZone\": \"UTC\", \"days\": [\"Funday\"], \"hours\": [1], \"minutes\": [0]}}, \"rules\": [", 400, "BadRequest", "properties.profiles[0].recurrence.schedule.days"),
                row("a fixed date ending before it starts", "\"rules\": [", "\"fixedDate\": {\"timeZone\": \"UTC\", \"start\": \"2026-12-10T00:00:00\", \"end\": \"2026-12-09T00:00:00\"}, \"rules\": [", 400, "BadRequest", "properties.profiles[0].fixedDate.end"),
                row("a webhook that is not a URL", "\"serviceUri\": \"http://127.0.0.1:9/hook\"", "\"serviceUri\": \"not a url\"", 400, "BadRequest", "properties.notifications[0].webhooks[0].serviceUri"),
                row("an e-mail that is not one", "\"ops@example.com\"", "\"ops\"", 400, "BadRequest", "properties.notifications[0].email.customEmails"),
                row("a notification for another operation", "\"operation\": \"Scale\"", "\"operation\": \"Delete\"", 400, "BadRequest", "properties.notifications[0].operation"),
                row("enabled that is not a boolean", "\"enabled\": true", "\"enabled\": \"yes\"", 400, "InvalidRequestContent", "properties.enabled"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void aBadAutoscaleSettingIsRefusedWithAzuresCodeAndNothingIsStored(String name, String from, String to,
                                                                       int status, String code, String target) {
        String body = good();
        assertThat(body).contains(from);
        String settingPath = "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Insights/autoscalesettings/bad";
        HttpResponse<String> response = put(settingPath, body.replaceFirst(java.util.regex.Pattern.quote(from),
                java.util.regex.Matcher.quoteReplacement(to)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = json(response).path("error");
        assertThat(error.path("code").stringValue()).as(response.body()).isEqualTo(code);
        assertThat(error.path("target").stringValue()).as(response.body()).isEqualTo(target);
        assertThat(get(settingPath).statusCode()).isEqualTo(404);
    }

    static Stream<Arguments> loadProfiles() {
        return Stream.of(
                Arguments.of("no kind", "{\"properties\": {\"percentCpu\": 5}}", "InvalidParameter", "properties.kind"),
                Arguments.of("an unknown kind", "{\"properties\": {\"kind\": \"Spiky\"}}", "InvalidParameter", "properties.kind"),
                Arguments.of("a CPU above 100", "{\"properties\": {\"kind\": \"Constant\", \"percentCpu\": 101}}", "InvalidParameter", "properties.percentCpu"),
                Arguments.of("a CPU that is text", "{\"properties\": {\"kind\": \"Constant\", \"percentCpu\": \"hot\"}}", "InvalidRequestContent", "properties.percentCpu"),
                Arguments.of("a step without its instant", "{\"properties\": {\"kind\": \"Step\", \"from\": 1, \"to\": 2}}", "InvalidParameter", "properties.at"),
                Arguments.of("a ramp of zero duration", "{\"properties\": {\"kind\": \"Ramp\", \"from\": 1, \"to\": 2, \"duration\": \"PT0S\"}}", "InvalidParameter", "properties.duration"),
                Arguments.of("a sine with a bad period", "{\"properties\": {\"kind\": \"Sine\", \"mean\": 50, \"amplitude\": 10, \"period\": \"ten minutes\"}}", "InvalidParameter", "properties.period"),
                Arguments.of("negative network traffic", "{\"properties\": {\"kind\": \"Constant\", \"percentCpu\": 5, \"networkInBytesPerSecond\": -1}}", "InvalidParameter", "properties.networkInBytesPerSecond"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loadProfiles")
    void aBadLoadProfileIsRefusedAndNothingIsStored(String name, String body, String code, String target) {
        String path = set + "/providers/Cirrus.Monitor/loadProfiles/default";
        HttpResponse<String> response = put(path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).path("error").path("code").stringValue()).as(response.body()).isEqualTo(code);
        assertThat(json(response).path("error").path("target").stringValue()).as(response.body()).isEqualTo(target);
        assertThat(get(path).statusCode()).isEqualTo(404);
    }

    static Stream<Arguments> metricQueries() {
        return Stream.of(
                Arguments.of("an unknown metric", "metricnames=Disk%20Magic", "metricnames"),
                Arguments.of("an unknown aggregation", "aggregation=Median", "aggregation"),
                Arguments.of("an unsupported interval", "interval=PT2M", "interval"),
                Arguments.of("a timespan that is not one", "timespan=yesterday", "timespan"),
                Arguments.of("a timespan ending before it starts", "timespan=2026-12-07T02:00:00Z/2026-12-07T01:00:00Z", "timespan"),
                Arguments.of("a filter on an unknown dimension", "$filter=Zone%20eq%20'1'", "$filter"),
                Arguments.of("too many points", "timespan=P3650D&interval=PT1M", "interval"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("metricQueries")
    void aBadMetricsQueryIsRefusedWithBadRequest(String name, String query, String target) {
        HttpResponse<String> response = get(set + "/providers/Microsoft.Insights/metrics?api-version=2018-01-01&" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).path("error").path("code").stringValue()).isEqualTo("BadRequest");
        assertThat(json(response).path("error").path("target").stringValue()).isEqualTo(target);
    }

    @org.junit.jupiter.api.Test
    void aSecondSettingForTheSameTargetIsRefused() {
        String first = "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Insights/autoscalesettings/one";
        String second = "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Insights/autoscalesettings/two";
        assertThat(put(first, good()).statusCode()).isEqualTo(201);
        HttpResponse<String> refused = put(second, good());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("already has the autoscale setting 'one'");
        assertThat(get(second).statusCode()).isEqualTo(404);
        assertThat(delete(first).statusCode()).isEqualTo(200);
        assertThat(delete(first).statusCode()).isEqualTo(204);
    }

    @org.junit.jupiter.api.Test
    void theActivityLogNeedsAStartTime() {
        HttpResponse<String> response = get("/subscriptions/" + sub
                + "/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").path("code").stringValue()).isEqualTo("BadRequest");
    }
}
