package dev.cirrus.serverless.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.cirrus.serverless.support.EndToEndTest;
import tools.jackson.databind.JsonNode;

/** Helpers of the workflow tests: a workflow's URL, creating one from a definition, waiting for a run to finish. */
abstract class WorkflowTestSupport extends EndToEndTest {

    static final String V = "?api-version=2019-05-01";

    String workflow(String name) {
        return "/subscriptions/" + sub + "/resourceGroups/rg1/providers/Microsoft.Logic/workflows/" + name;
    }

    JsonNode create(String name, String definition) throws Exception {
        HttpResponse<String> put = send("PUT", workflow(name) + V, "{\"location\":\"westeurope\",\"properties\":"
                + "{\"definition\":" + definition + "}}");
        assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
        return JSON.readTree(put.body());
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> r = send("GET", path + (path.contains("?") ? "&" : "?") + V.substring(1), null);
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** The trigger's callback URL, rewritten to reach this service directly (the gateway is not running). */
    String callback(String name, String trigger) throws Exception {
        HttpResponse<String> r = send("POST", workflow(name) + "/triggers/" + trigger + "/listCallbackUrl" + V, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        URI url = URI.create(JSON.readTree(r.body()).path("value").asString());
        return url.getRawPath() + "?" + url.getRawQuery();
    }

    /** Waits for the workflow's latest run to leave Running, and returns it. */
    JsonNode finishedRun(String name, String run) throws Exception {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            last[0] = get(workflow(name) + "/runs/" + run);
            return !last[0].path("properties").path("status").asString().equals("Running");
        });
        return last[0];
    }

    JsonNode action(String name, String run, String action) throws Exception {
        return get(workflow(name) + "/runs/" + run + "/actions/" + action);
    }

    static String definition(String triggers, String actions) {
        return "{\"$schema\":\"https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/"
                + "workflowdefinition.json#\",\"contentVersion\":\"1.0.0.0\",\"triggers\":" + triggers
                + ",\"actions\":" + actions + "}";
    }

    static java.util.List<String> names(JsonNode page) {
        java.util.List<String> out = new java.util.ArrayList<>();
        page.path("value").forEach(v -> out.add(v.path("name").asString()));
        return out;
    }

    static final String MANUAL = "{\"manual\":{\"type\":\"Request\",\"kind\":\"Http\",\"inputs\":{\"schema\":{}}}}";
}
