package dev.cirrus.serverless.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** Workflows over HTTP against the real service and database: the resource, its versions, triggers and callbacks. */
class WorkflowsEndToEndTest extends WorkflowTestSupport {

    @Autowired
    JdbcTemplate jdbc;

    static final String COMPOSE = "{\"Compose\":{\"type\":\"Compose\",\"inputs\":\"@triggerBody()?['name']\"}}";

    @Test
    void aCreatedWorkflowHasAzuresShapeAndReadsBackTheSame() throws Exception {
        String name = unique("wf");
        HttpResponse<String> put = send("PUT", workflow(name) + V, "{\"location\":\"West Europe\",\"tags\":{\"env\":"
                + "\"test\"},\"properties\":{\"definition\":" + definition(MANUAL, COMPOSE) + "}}");

        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        JsonNode w = JSON.readTree(put.body());
        assertThat(w.path("id").asString()).isEqualTo(workflow(name));
        assertThat(w.path("type").asString()).isEqualTo("Microsoft.Logic/workflows");
        assertThat(w.path("location").asString()).isEqualTo("westeurope");
        assertThat(w.path("tags").path("env").asString()).isEqualTo("test");
        JsonNode props = w.path("properties");
        assertThat(props.path("provisioningState").asString()).isEqualTo("Succeeded");
        assertThat(props.path("state").asString()).isEqualTo("Enabled");
        assertThat(props.path("version").asString()).matches("\\d{20}");
        assertThat(props.path("accessEndpoint").asString()).matches("http://127.0.0.1:8080/workflows/[0-9a-f]{32}");
        assertThat(props.path("definition").path("actions").has("Compose")).isTrue();
        assertThat(get(workflow(name))).isEqualTo(w);
    }

    @Test
    void aPutOfAnExistingWorkflowAnswers200AndMakesANewVersionOnlyWhenTheDefinitionChanges() throws Exception {
        String name = unique("wf");
        String v1 = create(name, definition(MANUAL, COMPOSE)).path("properties").path("version").asString();

        String same = create(name, definition(MANUAL, COMPOSE)).path("properties").path("version").asString();
        String v2 = create(name, definition(MANUAL, "{}")).path("properties").path("version").asString();

        assertThat(same).isEqualTo(v1);
        assertThat(v2).isNotEqualTo(v1);
        JsonNode versions = get(workflow(name) + "/versions");
        assertThat(names(versions)).containsExactly(v2, v1);
        JsonNode first = get(workflow(name) + "/versions/" + v1);
        assertThat(first.path("properties").path("definition").path("actions").has("Compose")).isTrue();
        HttpResponse<String> missing = send("GET", workflow(name) + "/versions/00000000000000000000" + V, null);
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void disableAndEnableChangeTheStateAndADisabledWorkflowRefusesItsTriggers() throws Exception {
        String name = unique("wf");
        create(name, definition(MANUAL, COMPOSE));

        assertThat(send("POST", workflow(name) + "/disable" + V, null).statusCode()).isEqualTo(200);
        assertThat(get(workflow(name)).path("properties").path("state").asString()).isEqualTo("Disabled");
        HttpResponse<String> refused = send("POST", workflow(name) + "/triggers/manual/run" + V, "{}");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(refused.body()).path("error").path("code").asString()).isEqualTo("WorkflowDisabled");
        String callback = callback(name, "manual");
        assertThat(send("POST", callback, "{}").statusCode()).isEqualTo(409);

        assertThat(send("POST", workflow(name) + "/enable" + V, null).statusCode()).isEqualTo(200);
        assertThat(send("POST", callback, "{}").statusCode()).isEqualTo(202);
    }

    @Test
    void aPatchChangesTagsAndStateButNotTheDefinition() throws Exception {
        String name = unique("wf");
        create(name, definition(MANUAL, COMPOSE));

        HttpResponse<String> patched = send("PATCH", workflow(name) + V, "{\"tags\":{\"team\":\"a\"},\"properties\":"
                + "{\"state\":\"Disabled\"}}");

        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        JsonNode w = JSON.readTree(patched.body());
        assertThat(w.path("tags").path("team").asString()).isEqualTo("a");
        assertThat(w.path("properties").path("state").asString()).isEqualTo("Disabled");
        HttpResponse<String> refused = send("PATCH", workflow(name) + V, "{\"properties\":{\"definition\":{}}}");
        assertThat(refused.statusCode()).isEqualTo(400);
    }

    @Test
    void listsAreByGroupAndSubscriptionAndPagedWithTopAndNextLink() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            names.add(unique("wf" + i));
            create(names.getLast(), definition(MANUAL, COMPOSE));
        }
        JsonNode page = get("/subscriptions/" + sub + "/resourceGroups/rg1/providers/Microsoft.Logic/workflows?$top=2");
        assertThat(page.path("value").size()).isEqualTo(2);
        String next = page.path("nextLink").asString();
        assertThat(next).contains("$skiptoken=");
        String nextPath = next.substring(next.indexOf("/subscriptions/"));
        JsonNode rest = JSON.readTree(send("GET", nextPath, null).body());
        assertThat(rest.path("value").size()).isEqualTo(1);
        JsonNode all = get("/subscriptions/" + sub + "/providers/Microsoft.Logic/workflows");
        assertThat(names(all)).containsExactlyInAnyOrderElementsOf(names);
    }

    @Test
    void aDeletedWorkflowIsGoneWithItsRuns() throws Exception {
        String name = unique("wf");
        create(name, definition(MANUAL, COMPOSE));
        String run = send("POST", workflow(name) + "/triggers/manual/run" + V, "{}").headers()
                .firstValue("x-ms-workflow-run-id").orElseThrow();
        finishedRun(name, run);

        assertThat(send("DELETE", workflow(name) + V, null).statusCode()).isEqualTo(200);
        assertThat(send("DELETE", workflow(name) + V, null).statusCode()).isEqualTo(204);
        HttpResponse<String> gone = send("GET", workflow(name) + V, null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(gone.body()).path("error").path("code").asString()).isEqualTo("ResourceNotFound");
        assertThat(jdbc.queryForObject("select count(*) from workflow_runs where workflow_id = lower(?)", Integer.class,
                workflow(name))).isZero();
    }

    @Test
    void triggersAreListedWithTheirStateAndLastExecution() throws Exception {
        String name = unique("wf");
        create(name, definition(MANUAL, COMPOSE));
        String run = send("POST", workflow(name) + "/triggers/manual/run" + V, "{\"name\":\"x\"}").headers()
                .firstValue("x-ms-workflow-run-id").orElseThrow();
        finishedRun(name, run);

        JsonNode triggers = get(workflow(name) + "/triggers");
        assertThat(triggers.path("value").size()).isEqualTo(1);
        JsonNode t = get(workflow(name) + "/triggers/manual");
        assertThat(t.path("id").asString()).isEqualTo(workflow(name) + "/triggers/manual");
        assertThat(t.path("type").asString()).isEqualTo("Microsoft.Logic/workflows/triggers");
        assertThat(t.path("properties").path("state").asString()).isEqualTo("Enabled");
        assertThat(t.path("properties").path("status").asString()).isEqualTo("Succeeded");
        HttpResponse<String> missing = send("GET", workflow(name) + "/triggers/nope" + V, null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).path("error").path("code").asString())
                .isEqualTo("WorkflowTriggerNotFound");
    }

    @Test
    void theCallbackUrlIsSignedAndABadSignatureIsRefused() throws Exception {
        String name = unique("wf");
        create(name, definition(MANUAL, COMPOSE));
        HttpResponse<String> r = send("POST", workflow(name) + "/triggers/manual/listCallbackUrl" + V, null);
        JsonNode cb = JSON.readTree(r.body());
        assertThat(cb.path("value").asString()).startsWith("http://127.0.0.1:8080/workflows/")
                .contains("/triggers/manual/paths/invoke?api-version=2016-10-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=");
        assertThat(cb.path("method").asString()).isEqualTo("POST");
        assertThat(cb.path("queries").path("sp").asString()).isEqualTo("/triggers/manual/run");
        String url = callback(name, "manual");

        assertThat(send("POST", url, "{\"name\":\"ok\"}").statusCode()).isEqualTo(202);
        String forged = url.substring(0, url.indexOf("&sig=")) + "&sig=AAAA";
        HttpResponse<String> bad = send("POST", forged, "{}");
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(bad.body()).path("error").path("code").asString())
                .isEqualTo("DirectApiInvalidAuthorizationSignature");
        HttpResponse<String> none = send("POST", url.substring(0, url.indexOf("&sig=")), "{}");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(none.body()).path("error").path("code").asString())
                .isEqualTo("DirectApiAuthorizationRequired");
    }

    @Test
    void aRequestTriggerWithAResponseActionAnswersTheCallerSynchronously() throws Exception {
        String name = unique("wf");
        String trigger = "{\"manual\":{\"type\":\"Request\",\"kind\":\"Http\",\"inputs\":{\"schema\":{\"type\":"
                + "\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},\"required\":[\"name\"]}}}}";
        String actions = "{\"Greet\":{\"type\":\"Compose\",\"inputs\":\"Hello @{triggerBody()['name']}\"},"
                + "\"Response\":{\"type\":\"Response\",\"kind\":\"Http\",\"runAfter\":{\"Greet\":[\"Succeeded\"]},"
                + "\"inputs\":{\"statusCode\":201,\"headers\":{\"x-greeting\":\"yes\"},\"body\":{\"message\":"
                + "\"@{outputs('Greet')}\"}}}}";
        create(name, definition(trigger, actions));
        String url = callback(name, "manual");

        HttpResponse<String> answer = send("POST", url, "{\"name\":\"Ada\"}");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        assertThat(answer.headers().firstValue("x-greeting")).contains("yes");
        assertThat(JSON.readTree(answer.body()).path("message").asString()).isEqualTo("Hello Ada");
        String run = answer.headers().firstValue("x-ms-workflow-run-id").orElseThrow();
        JsonNode finished = finishedRun(name, run);
        assertThat(finished.path("properties").path("status").asString()).isEqualTo("Succeeded");
        assertThat(finished.path("properties").path("trigger").path("outputs").path("body").path("name").asString())
                .isEqualTo("Ada");
        assertThat(action(name, run, "Greet").path("properties").path("outputs").asString()).isEqualTo("Hello Ada");

        HttpResponse<String> mismatch = send("POST", url, "{\"name\":42}");
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(mismatch.body()).path("error").path("code").asString())
                .isEqualTo("TriggerInputSchemaMismatch");
    }

    @Test
    void historiesRecordEachFiringAndAResubmitStartsANewRunWithTheSameOutputs() throws Exception {
        String name = unique("wf");
        create(name, definition(MANUAL, COMPOSE));
        String run = send("POST", callback(name, "manual"), "{\"name\":\"first\"}").headers()
                .firstValue("x-ms-workflow-run-id").orElseThrow();
        finishedRun(name, run);

        JsonNode histories = get(workflow(name) + "/triggers/manual/histories");
        assertThat(histories.path("value").size()).isEqualTo(1);
        JsonNode h = histories.path("value").get(0);
        assertThat(h.path("properties").path("fired").asBoolean()).isTrue();
        assertThat(h.path("properties").path("run").path("name").asString()).isEqualTo(run);
        HttpResponse<String> resubmitted = send("POST", workflow(name) + "/triggers/manual/histories/"
                + h.path("name").asString() + "/resubmit" + V, null);
        assertThat(resubmitted.statusCode()).isEqualTo(202);
        String second = resubmitted.headers().firstValue("x-ms-workflow-run-id").orElseThrow();
        finishedRun(name, second);
        assertThat(action(name, second, "Compose").path("properties").path("outputs").asString()).isEqualTo("first");
    }

    @Test
    void runsAreListedNewestFirstFilteredByStatusAndCancelledWhileRunning() throws Exception {
        String name = unique("wf");
        String actions = "{\"Pause\":{\"type\":\"Wait\",\"inputs\":{\"interval\":{\"count\":1,\"unit\":\"Hour\"}}}}";
        create(name, definition(MANUAL, actions));
        String waiting = send("POST", workflow(name) + "/triggers/manual/run" + V, "{}").headers()
                .firstValue("x-ms-workflow-run-id").orElseThrow();

        HttpResponse<String> cancel = send("POST", workflow(name) + "/runs/" + waiting + "/cancel" + V, null);
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
        assertThat(get(workflow(name) + "/runs/" + waiting).path("properties").path("status").asString())
                .isEqualTo("Cancelled");
        HttpResponse<String> again = send("POST", workflow(name) + "/runs/" + waiting + "/cancel" + V, null);
        assertThat(again.statusCode()).isEqualTo(409);
        JsonNode cancelled = get(workflow(name) + "/runs?$filter=" + java.net.URLEncoder.encode("status eq 'Cancelled'",
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(names(cancelled)).containsExactly(waiting);
        JsonNode none = get(workflow(name) + "/runs?$filter=" + java.net.URLEncoder.encode("status eq 'Succeeded'",
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(none.path("value").size()).isZero();
        HttpResponse<String> missing = send("GET", workflow(name) + "/runs/08584000000000000000CU00" + V, null);
        assertThat(JSON.readTree(missing.body()).path("error").path("code").asString()).isEqualTo("WorkflowRunNotFound");
    }
}
