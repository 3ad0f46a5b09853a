package dev.cirrus.serverless.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** The engine running real workflows: control flow, loops, variables, data operations, Http calls and retries. */
class EngineEndToEndTest extends WorkflowTestSupport {

    @Autowired
    JdbcTemplate jdbc;

    HttpServer target;
    final List<String> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresLeft = new AtomicInteger();

    @BeforeEach
    void startTarget() throws IOException {
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            calls.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + body);
            int status = exchange.getRequestURI().getPath().startsWith("/flaky") && failuresLeft.getAndDecrement() > 0
                    ? 503 : exchange.getRequestURI().getPath().startsWith("/missing") ? 404 : 200;
            byte[] answer = ("{\"echo\":" + (body.isEmpty() ? "null" : body) + ",\"path\":\""
                    + exchange.getRequestURI().getPath() + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        target.start();
    }

    @AfterEach
    void stopTarget() {
        target.stop(0);
    }

    String url(String path) {
        return "http://127.0.0.1:" + target.getAddress().getPort() + path;
    }

    String runOf(String name, String body) throws Exception {
        HttpResponse<String> r = send("POST", workflow(name) + "/triggers/manual/run" + V, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return r.headers().firstValue("x-ms-workflow-run-id").orElseThrow();
    }

    String status(String name, String run, String action) throws Exception {
        return action(name, run, action).path("properties").path("status").asString();
    }

    @Test
    void aForeachCallsAnHttpTargetOncePerItemAndCountsWithAVariable() throws Exception {
        String name = unique("wf");
        String actions = """
                {"Init": {"type": "InitializeVariable", "inputs": {"variables": [{"name": "count", "type": "Integer", "value": 0}]}},
                 "Each": {"type": "Foreach", "foreach": "@triggerBody()['items']", "runAfter": {"Init": ["Succeeded"]},
                          "runtimeConfiguration": {"concurrency": {"repetitions": 1}},
                          "actions": {
                            "Call": {"type": "Http", "inputs": {"method": "POST", "uri": "%s", "body": {"item": "@item()"}}},
                            "Count": {"type": "IncrementVariable", "inputs": {"name": "count", "value": 1}, "runAfter": {"Call": ["Succeeded"]}}}},
                 "Total": {"type": "Compose", "inputs": "@variables('count')", "runAfter": {"Each": ["Succeeded"]}}}
                """.formatted(url("/items"));
        create(name, definition(MANUAL, actions));

        String run = runOf(name, "{\"items\":[\"a\",\"b\",\"c\"]}");

        JsonNode finished = finishedRun(name, run);
        assertThat(finished.path("properties").path("status").asString()).isEqualTo("Succeeded");
        assertThat(calls).containsExactly("POST /items {\"item\":\"a\"}", "POST /items {\"item\":\"b\"}",
                "POST /items {\"item\":\"c\"}");
        assertThat(action(name, run, "Total").path("properties").path("outputs").asInt()).isEqualTo(3);
        JsonNode repetitions = get(workflow(name) + "/runs/" + run + "/actions/Call/repetitions");
        assertThat(names(repetitions)).containsExactly("000000", "000001", "000002");
        JsonNode second = repetitions.path("value").get(1).path("properties");
        assertThat(second.path("repetitionIndexes").get(0).path("scopeName").asString()).isEqualTo("Each");
        assertThat(second.path("outputs").path("statusCode").asInt()).isEqualTo(200);
        assertThat(second.path("outputs").path("body").path("echo").path("item").asString()).isEqualTo("b");
    }

    @Test
    void aConcurrentForeachRunsEveryItemAndAForeachOverANonArrayFails() throws Exception {
        String name = unique("wf");
        String actions = """
                {"Each": {"type": "Foreach", "foreach": "@triggerBody()['items']",
                          "runtimeConfiguration": {"concurrency": {"repetitions": 5}},
                          "actions": {"Call": {"type": "Http", "inputs": {"method": "GET", "uri": "%s"}}}}}
                """.formatted(url("/each/@{item()}"));
        create(name, definition(MANUAL, actions));

        String run = runOf(name, "{\"items\":[1,2,3,4,5,6,7,8]}");
        assertThat(finishedRun(name, run).path("properties").path("status").asString()).isEqualTo("Succeeded");
        assertThat(calls).hasSize(8).allMatch(c -> c.startsWith("GET /each/"));

        String bad = runOf(name, "{\"items\":\"not an array\"}");
        JsonNode failed = finishedRun(name, bad);
        assertThat(failed.path("properties").path("status").asString()).isEqualTo("Failed");
        JsonNode each = action(name, bad, "Each").path("properties");
        assertThat(each.path("status").asString()).isEqualTo("Failed");
        assertThat(each.path("error").path("code").asString()).isEqualTo("InvalidTemplate");
    }

    @Test
    void ifAndSwitchRunOneBranchAndSkipTheOthers() throws Exception {
        String name = unique("wf");
        String actions = """
                {"Check": {"type": "If", "expression": "@greater(triggerBody()['n'], 10)",
                           "actions": {"Big": {"type": "Compose", "inputs": "big"}},
                           "else": {"actions": {"Small": {"type": "Compose", "inputs": "small"}}}},
                 "Pick": {"type": "Switch", "expression": "@triggerBody()['color']",
                          "cases": {"Red": {"case": "red", "actions": {"IsRed": {"type": "Compose", "inputs": 1}}},
                                    "Blue": {"case": "blue", "actions": {"IsBlue": {"type": "Compose", "inputs": 2}}}},
                          "default": {"actions": {"Other": {"type": "Compose", "inputs": 3}}}}}
                """;
        create(name, definition(MANUAL, actions));

        String run = runOf(name, "{\"n\":42,\"color\":\"blue\"}");

        assertThat(finishedRun(name, run).path("properties").path("status").asString()).isEqualTo("Succeeded");
        assertThat(status(name, run, "Big")).isEqualTo("Succeeded");
        assertThat(status(name, run, "Small")).isEqualTo("Skipped");
        assertThat(status(name, run, "IsBlue")).isEqualTo("Succeeded");
        assertThat(status(name, run, "IsRed")).isEqualTo("Skipped");
        assertThat(status(name, run, "Other")).isEqualTo("Skipped");
    }

    @Test
    void aFailureIsHandledByAnActionThatRunsAfterFailedAndTheRunSucceeds() throws Exception {
        String name = unique("wf");
        String actions = """
                {"Try": {"type": "Scope", "actions": {
                     "Missing": {"type": "Http", "inputs": {"method": "GET", "uri": "%s", "retryPolicy": {"type": "none"}}}}},
                 "Catch": {"type": "Compose", "inputs": "@result('Try')[0]['status']", "runAfter": {"Try": ["Failed", "TimedOut"]}},
                 "Happy": {"type": "Compose", "inputs": "never", "runAfter": {"Try": ["Succeeded"]}}}
                """.formatted(url("/missing"));
        create(name, definition(MANUAL, actions));

        String run = runOf(name, "{}");

        JsonNode finished = finishedRun(name, run);
        assertThat(status(name, run, "Missing")).isEqualTo("Failed");
        assertThat(action(name, run, "Missing").path("properties").path("error").path("code").asString())
                .isEqualTo("NotFound");
        assertThat(status(name, run, "Try")).isEqualTo("Failed");
        assertThat(action(name, run, "Catch").path("properties").path("outputs").asString()).isEqualTo("Failed");
        assertThat(status(name, run, "Happy")).isEqualTo("Skipped");
        assertThat(finished.path("properties").path("status").asString()).isEqualTo("Succeeded");
    }

    @Test
    void aFixedRetryPolicyRetriesAServerErrorUntilItSucceeds() throws Exception {
        String name = unique("wf");
        failuresLeft.set(2);
        String actions = """
                {"Call": {"type": "Http", "inputs": {"method": "GET", "uri": "%s",
                          "retryPolicy": {"type": "fixed", "count": 3, "interval": "PT0.2S"}}}}
                """.formatted(url("/flaky"));
        create(name, definition(MANUAL, actions));

        String run = runOf(name, "{}");

        assertThat(finishedRun(name, run).path("properties").path("status").asString()).isEqualTo("Succeeded");
        assertThat(calls).hasSize(3);
        assertThat(jdbc.queryForObject("select attempts from workflow_run_actions where run_name = ? and name = 'Call'",
                Integer.class, run)).isEqualTo(3);
    }

    @Test
    void untilLoopsUntilItsConditionHoldsAndTerminateEndsTheRun() throws Exception {
        String name = unique("wf");
        String actions = """
                {"Init": {"type": "InitializeVariable", "inputs": {"variables": [
                     {"name": "n", "type": "Integer", "value": 0}, {"name": "log", "type": "String", "value": ""}]}},
                 "Loop": {"type": "Until", "expression": "@equals(variables('n'), 4)", "limit": {"count": 10, "timeout": "PT1M"},
                          "runAfter": {"Init": ["Succeeded"]},
                          "actions": {"Inc": {"type": "IncrementVariable", "inputs": {"name": "n"}},
                                      "Log": {"type": "AppendToStringVariable", "inputs": {"name": "log", "value": "@{iterationIndexes('Loop')}"},
                                              "runAfter": {"Inc": ["Succeeded"]}}}},
                 "Stop": {"type": "Terminate", "runAfter": {"Loop": ["Succeeded"]},
                          "inputs": {"runStatus": "Failed", "runError": {"code": "Done", "message": "@{variables('log')}"}}},
                 "After": {"type": "Compose", "inputs": 1, "runAfter": {"Stop": ["Succeeded"]}}}
                """;
        create(name, definition(MANUAL, actions));

        String run = runOf(name, "{}");

        JsonNode finished = finishedRun(name, run).path("properties");
        assertThat(finished.path("status").asString()).isEqualTo("Failed");
        assertThat(finished.path("error").path("code").asString()).isEqualTo("Done");
        assertThat(finished.path("error").path("message").asString()).isEqualTo("0123");
        HttpResponse<String> after = send("GET", workflow(name) + "/runs/" + run + "/actions/After" + V, null);
        assertThat(after.statusCode()).isEqualTo(404);
    }

    @Test
    void dataOperationsShapeArrays() throws Exception {
        String name = unique("wf");
        String actions = """
                {"Parse": {"type": "ParseJson", "inputs": {"content": "@triggerBody()",
                           "schema": {"type": "object", "properties": {"people": {"type": "array"}}}}},
                 "Adults": {"type": "Query", "runAfter": {"Parse": ["Succeeded"]},
                            "inputs": {"from": "@body('Parse')['people']", "where": "@greaterOrEquals(item()['age'], 18)"}},
                 "Names": {"type": "Select", "runAfter": {"Adults": ["Succeeded"]},
                           "inputs": {"from": "@body('Adults')", "select": {"who": "@toUpper(item()['name'])"}}},
                 "Joined": {"type": "Join", "runAfter": {"Names": ["Succeeded"]},
                            "inputs": {"from": "@body('Adults')", "joinWith": ";"}},
                 "Csv": {"type": "Table", "runAfter": {"Adults": ["Succeeded"]},
                         "inputs": {"from": "@body('Adults')", "format": "CSV"}}}
                """;
        create(name, definition(MANUAL, actions));

        String run = runOf(name, "{\"people\":[{\"name\":\"ada\",\"age\":36},{\"name\":\"kid\",\"age\":9},"
                + "{\"name\":\"bo\",\"age\":18}]}");

        assertThat(finishedRun(name, run).path("properties").path("status").asString()).isEqualTo("Succeeded");
        assertThat(action(name, run, "Names").path("properties").path("outputs").path("body").toString())
                .isEqualTo("[{\"who\":\"ADA\"},{\"who\":\"BO\"}]");
        assertThat(action(name, run, "Csv").path("properties").path("outputs").path("body").asString())
                .isEqualTo("name,age\nada,36\nbo,18\n");
        assertThat(action(name, run, "Joined").path("properties").path("outputs").path("body").asString())
                .isEqualTo("{\"name\":\"ada\",\"age\":36};{\"name\":\"bo\",\"age\":18}");
    }

    @Test
    void aRecurrenceTriggerStartsRunsOnItsScheduleAndAFinishedRunIsPublishedForBilling() throws Exception {
        String name = unique("wf");
        String triggers = "{\"every\":{\"type\":\"Recurrence\",\"recurrence\":{\"frequency\":\"Second\",\"interval\":1}}}";
        create(name, definition(triggers, "{\"Tick\":{\"type\":\"Compose\",\"inputs\":\"@trigger()['outputs']['scheduledTime']\"}}"));

        await().atMost(Duration.ofSeconds(20)).until(() -> get(workflow(name) + "/runs").path("value").size() >= 2);

        send("POST", workflow(name) + "/disable" + V, null);
        JsonNode runs = get(workflow(name) + "/runs");
        String run = runs.path("value").get(runs.path("value").size() - 1).path("name").asString();
        finishedRun(name, run);
        assertThat(get(workflow(name) + "/triggers/every").path("properties").path("recurrence").path("frequency")
                .asString()).isEqualTo("Second");
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("select count(*) from outbox where"
                + " event_type = 'Microsoft.Logic.WorkflowRunCompleted' and payload like ?", Integer.class,
                "%" + run + "%") == 1);
        assertThat(jdbc.queryForObject("select count(*) from outbox where event_type = 'Microsoft.Logic.WorkflowRunStarted'"
                + " and payload like ?", Integer.class, "%" + run + "%")).isEqualTo(1);
    }

    @Test
    void aWaitActionWaitsDurablyForItsDelay() throws Exception {
        String name = unique("wf");
        create(name, definition(MANUAL, "{\"Pause\":{\"type\":\"Wait\",\"inputs\":{\"interval\":{\"count\":1,"
                + "\"unit\":\"Second\"}}},\"Done\":{\"type\":\"Compose\",\"inputs\":1,\"runAfter\":{\"Pause\":[\"Succeeded\"]}}}"));

        String run = runOf(name, "{}");

        JsonNode finished = finishedRun(name, run).path("properties");
        assertThat(finished.path("status").asString()).isEqualTo("Succeeded");
        JsonNode pause = action(name, run, "Pause").path("properties");
        assertThat(java.time.Duration.between(java.time.Instant.parse(pause.path("startTime").asString()),
                java.time.Instant.parse(pause.path("endTime").asString()))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aCirrusEventTriggerRunsTheWorkflowOnceForAMatchingLifecycleEvent() throws Exception {
        String name = unique("wf");
        String triggers = """
                {"onAccount": {"type": "CirrusEvent", "inputs": {"topic": "cirrus.serverless",
                   "eventType": "Microsoft.Storage.StorageAccountCreated", "subjectBeginsWith": "/subscriptions/%s/"}}}
                """.formatted(sub);
        create(name, definition(triggers, "{\"Who\":{\"type\":\"Compose\",\"inputs\":\"@triggerBody()['data']['name']\"}}"));
        String account = "st" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 16);

        HttpResponse<String> created = send("PUT", "/subscriptions/" + sub + "/resourceGroups/rg1/providers/"
                + "Microsoft.Storage/storageAccounts/" + account + "?api-version=2025-01-01", "{\"location\":"
                + "\"westeurope\",\"sku\":{\"name\":\"Standard_LRS\"},\"kind\":\"StorageV2\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(60)).until(() -> get(workflow(name) + "/runs").path("value").size() == 1);
        String run = get(workflow(name) + "/runs").path("value").get(0).path("name").asString();
        assertThat(finishedRun(name, run).path("properties").path("status").asString()).isEqualTo("Succeeded");
        assertThat(action(name, run, "Who").path("properties").path("outputs").asString()).isEqualTo(account);
        JsonNode history = get(workflow(name) + "/triggers/onAccount/histories").path("value").get(0);
        assertThat(history.path("properties").path("outputs").path("body").path("type").asString())
                .isEqualTo("Microsoft.Storage.StorageAccountCreated");
    }
}
