package dev.cirrus.serverless.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Bad input to workflows, their triggers, runs and callbacks: every case answers Azure's status and error code with
 * an ARM error body, and changes nothing: the one existing workflow keeps its version and etag, no other workflow is
 * created, no run or trigger history is recorded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkflowBadInputTest extends WorkflowTestSupport {

    static final String SUB = UUID.randomUUID().toString();
    static final String BASE = "/subscriptions/" + SUB + "/resourceGroups/rg1/providers/Microsoft.Logic/workflows/";
    static final String EXISTING = BASE + "existing";
    static final String API = "?api-version=2019-05-01";
    static final String TRIGGERS = """
            {"manual": {"type": "Request", "kind": "Http", "inputs": {"method": "POST", "schema": {"type": "object",
               "properties": {"name": {"type": "string"}}, "required": ["name"]}}},
             "later": {"type": "Recurrence", "recurrence": {"frequency": "Hour", "interval": 1, "startTime": "2099-01-01T00:00:00Z"}}}
            """;

    @Autowired
    JdbcTemplate jdbc;

    String callback;
    String version;

    record Case(String description, String method, String target, String body, int status, String code) {
        @Override
        public String toString() {
            return description + " → " + status + " " + code;
        }
    }

    static String wf(String triggers, String actions) {
        return "{\"location\":\"westeurope\",\"properties\":{\"definition\":" + definition(triggers, actions) + "}}";
    }

    static String wfDef(String definition) {
        return "{\"location\":\"westeurope\",\"properties\":{\"definition\":" + definition + "}}";
    }

    static String compose(String extra) {
        return "{\"A\":{\"type\":\"Compose\",\"inputs\":1" + extra + "}}";
    }

    private static int counter;

    static String fresh() {
        return BASE + "new" + (++counter) + API;
    }

    static Case put(String description, String body, String code) {
        return new Case(description, "PUT", fresh(), body, 400, code);
    }

    static Case template(String description, String triggers, String actions) {
        return put(description, wf(triggers, actions), "InvalidTemplate");
    }

    static final String MANUAL_ONLY = "{\"m\":{\"type\":\"Request\",\"kind\":\"Http\"}}";

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        // the resource
        c.add(put("a body that is not an object", "[1]", "InvalidRequestContent"));
        c.add(put("no location", "{\"properties\":{}}", "LocationRequired"));
        c.add(put("an unknown location", "{\"location\":\"moon\",\"properties\":{}}", "LocationNotAvailableForResourceType"));
        c.add(new Case("a name with characters Azure refuses", "PUT", BASE + "bad%20name!" + API,
                "{\"location\":\"westeurope\"}", 400, "InvalidResourceName"));
        c.add(put("a state that cannot be set", "{\"location\":\"westeurope\",\"properties\":{\"state\":\"Deleted\"}}",
                "InvalidWorkflowState"));
        c.add(put("parameters that are not an object", "{\"location\":\"westeurope\",\"properties\":{\"parameters\":[1]}}",
                "InvalidRequestContent"));
        // the definition
        c.add(put("a definition that is not an object", wfDef("\"x\""), "InvalidTemplate"));
        c.add(put("an unknown member of the definition", wfDef("{\"triggers\":{},\"stuff\":1}"), "InvalidTemplate"));
        c.add(put("a $schema that is not a string", wfDef("{\"$schema\":1}"), "InvalidTemplate"));
        c.add(put("triggers that are not an object", wfDef("{\"triggers\":[]}"), "InvalidTemplate"));
        c.add(put("actions that are not an object", wfDef("{\"actions\":\"x\"}"), "InvalidTemplate"));
        c.add(template("a trigger of an unknown type", "{\"t\":{\"type\":\"Carrier\"}}", "{}"));
        c.add(template("a trigger without a type", "{\"t\":{\"inputs\":{}}}", "{}"));
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 11; i++) {
            many.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"type\":\"Request\"}");
        }
        c.add(template("eleven triggers", many.append("}").toString(), "{}"));
        c.add(template("a recurrence of an unknown frequency", "{\"r\":{\"type\":\"Recurrence\",\"recurrence\":"
                + "{\"frequency\":\"Fortnight\",\"interval\":1}}}", "{}"));
        c.add(template("a recurrence interval of zero", "{\"r\":{\"type\":\"Recurrence\",\"recurrence\":"
                + "{\"frequency\":\"Minute\",\"interval\":0}}}", "{}"));
        c.add(template("a recurrence in an unknown time zone", "{\"r\":{\"type\":\"Recurrence\",\"recurrence\":"
                + "{\"frequency\":\"Day\",\"interval\":1,\"timeZone\":\"Mars Standard Time\"}}}", "{}"));
        c.add(template("a schedule with a minute frequency", "{\"r\":{\"type\":\"Recurrence\",\"recurrence\":"
                + "{\"frequency\":\"Minute\",\"interval\":1,\"schedule\":{\"hours\":[1]}}}}", "{}"));
        c.add(template("a schedule hour of 24", "{\"r\":{\"type\":\"Recurrence\",\"recurrence\":"
                + "{\"frequency\":\"Day\",\"interval\":1,\"schedule\":{\"hours\":[24]}}}}", "{}"));
        c.add(template("a recurrence without a recurrence", "{\"r\":{\"type\":\"Recurrence\"}}", "{}"));
        c.add(template("an Http trigger without a uri", "{\"h\":{\"type\":\"Http\",\"inputs\":{\"method\":\"GET\"},"
                + "\"recurrence\":{\"frequency\":\"Minute\",\"interval\":1}}}", "{}"));
        c.add(template("a CirrusEvent trigger on a topic Cirrus does not have", "{\"e\":{\"type\":\"CirrusEvent\","
                + "\"inputs\":{\"topic\":\"cirrus.nowhere\",\"eventType\":\"*\"}}}", "{}"));
        c.add(template("a Request schema that is not an object", "{\"m\":{\"type\":\"Request\",\"inputs\":"
                + "{\"schema\":\"x\"}}}", "{}"));
        c.add(template("an action of an unknown type", MANUAL_ONLY, "{\"A\":{\"type\":\"Teleport\"}}"));
        c.add(template("an action of a type Cirrus does not run", MANUAL_ONLY, "{\"A\":{\"type\":\"Function\","
                + "\"inputs\":{\"function\":{\"id\":\"x\"}}}}"));
        c.add(template("a runAfter naming a missing action", MANUAL_ONLY, compose(",\"runAfter\":{\"Ghost\":[\"Succeeded\"]}")));
        c.add(template("a runAfter with an unknown status", MANUAL_ONLY, "{\"A\":{\"type\":\"Compose\",\"inputs\":1},"
                + "\"B\":{\"type\":\"Compose\",\"inputs\":1,\"runAfter\":{\"A\":[\"Happy\"]}}}"));
        c.add(template("a runAfter that is not an object", MANUAL_ONLY, compose(",\"runAfter\":[\"x\"]")));
        c.add(template("actions in a cycle", MANUAL_ONLY, "{\"A\":{\"type\":\"Compose\",\"inputs\":1,\"runAfter\":"
                + "{\"B\":[\"Succeeded\"]}},\"B\":{\"type\":\"Compose\",\"inputs\":1,\"runAfter\":{\"A\":[\"Succeeded\"]}}}"));
        c.add(template("a name used twice across scopes", MANUAL_ONLY, "{\"A\":{\"type\":\"Scope\",\"actions\":"
                + "{\"A\":{\"type\":\"Compose\",\"inputs\":1}}}}"));
        c.add(template("an expression that does not parse", MANUAL_ONLY, "{\"A\":{\"type\":\"Compose\",\"inputs\":"
                + "\"@concat('a'\"}}"));
        c.add(template("an unknown function", MANUAL_ONLY, "{\"A\":{\"type\":\"Compose\",\"inputs\":\"@frobnicate(1)\"}}"));
        c.add(template("a function with the wrong arity", MANUAL_ONLY, "{\"A\":{\"type\":\"Compose\",\"inputs\":"
                + "\"@{add(1)}\"}}"));
        c.add(template("an expression naming a missing action", MANUAL_ONLY, "{\"A\":{\"type\":\"Compose\",\"inputs\":"
                + "\"@body('Ghost')\"}}"));
        c.add(template("an If without an expression", MANUAL_ONLY, "{\"A\":{\"type\":\"If\",\"actions\":{}}}"));
        c.add(template("a Foreach without foreach", MANUAL_ONLY, "{\"A\":{\"type\":\"Foreach\",\"actions\":{}}}"));
        c.add(template("a Switch with a duplicate case", MANUAL_ONLY, "{\"A\":{\"type\":\"Switch\",\"expression\":1,"
                + "\"cases\":{\"x\":{\"case\":1,\"actions\":{}},\"y\":{\"case\":1,\"actions\":{}}}}}"));
        c.add(template("an Http action without a uri", MANUAL_ONLY, "{\"A\":{\"type\":\"Http\",\"inputs\":{\"method\":\"GET\"}}}"));
        c.add(template("a variable of an unknown type", MANUAL_ONLY, "{\"A\":{\"type\":\"InitializeVariable\",\"inputs\":"
                + "{\"variables\":[{\"name\":\"v\",\"type\":\"Decimal\"}]}}}"));
        c.add(template("a Terminate with an unknown run status", MANUAL_ONLY, "{\"A\":{\"type\":\"Terminate\",\"inputs\":"
                + "{\"runStatus\":\"Exploded\"}}}"));
        c.add(template("a retry policy of an unknown type", MANUAL_ONLY, "{\"A\":{\"type\":\"Http\",\"inputs\":{\"method\":"
                + "\"GET\",\"uri\":\"http://x\",\"retryPolicy\":{\"type\":\"sometimes\"}}}}"));
        c.add(template("a retry count of 100", MANUAL_ONLY, "{\"A\":{\"type\":\"Http\",\"inputs\":{\"method\":\"GET\","
                + "\"uri\":\"http://x\",\"retryPolicy\":{\"type\":\"fixed\",\"count\":100,\"interval\":\"PT5S\"}}}}"));
        c.add(template("a timeout that is not a duration", MANUAL_ONLY, compose(",\"limit\":{\"timeout\":\"soon\"}")));
        c.add(template("a concurrency of zero", MANUAL_ONLY, "{\"A\":{\"type\":\"Foreach\",\"foreach\":\"@createArray(1)\","
                + "\"runtimeConfiguration\":{\"concurrency\":{\"repetitions\":0}},\"actions\":{}}}"));
        c.add(put("a parameter of an unknown type", wfDef("{\"parameters\":{\"p\":{\"type\":\"Money\"}}}"), "InvalidTemplate"));
        c.add(put("a parameter with neither a value nor a default", wfDef("{\"parameters\":{\"p\":{\"type\":\"String\"}}}"),
                "InvalidTemplate"));
        c.add(put("a value for an undeclared parameter", "{\"location\":\"westeurope\",\"properties\":{\"definition\":{},"
                + "\"parameters\":{\"p\":{\"value\":1}}}}", "InvalidTemplate"));
        c.add(put("an output without a value", wfDef("{\"outputs\":{\"o\":{\"type\":\"String\"}}}"), "InvalidTemplate"));
        // the existing workflow
        c.add(new Case("a PATCH of the definition", "PATCH", EXISTING + API, "{\"properties\":{\"definition\":{}}}", 400,
                "InvalidRequestContent"));
        c.add(new Case("a PATCH to an unknown state", "PATCH", EXISTING + API, "{\"properties\":{\"state\":\"Paused\"}}",
                400, "InvalidWorkflowState"));
        c.add(new Case("a PUT with a stale If-Match", "PUT", EXISTING + API + "#if-match", wf(TRIGGERS, "{}"), 412,
                "PreconditionFailed"));
        c.add(new Case("a call without api-version", "GET", EXISTING, null, 400, "MissingApiVersionParameter"));
        c.add(new Case("a missing trigger", "GET", EXISTING + "/triggers/nope" + API, null, 404, "WorkflowTriggerNotFound"));
        c.add(new Case("a run of a missing trigger", "POST", EXISTING + "/triggers/nope/run" + API, "{}", 404,
                "WorkflowTriggerNotFound"));
        c.add(new Case("the callback URL of a Recurrence trigger", "POST", EXISTING + "/triggers/later/listCallbackUrl" + API,
                null, 400, "WorkflowTriggerCallbackNotSupported"));
        c.add(new Case("a missing run", "GET", EXISTING + "/runs/08584000000000000000CU00" + API, null, 404,
                "WorkflowRunNotFound"));
        c.add(new Case("a cancel of a missing run", "POST", EXISTING + "/runs/08584000000000000000CU00/cancel" + API, null,
                404, "WorkflowRunNotFound"));
        c.add(new Case("a run filter Cirrus does not read", "GET", EXISTING + "/runs" + API + "&$filter="
                + URLEncoder.encode("startTime gt 2020-01-01", StandardCharsets.UTF_8), null, 400, "InvalidFilter"));
        c.add(new Case("a run filter with an unknown status", "GET", EXISTING + "/runs" + API + "&$filter="
                + URLEncoder.encode("status eq 'Happy'", StandardCharsets.UTF_8), null, 400, "InvalidFilter"));
        c.add(new Case("a missing trigger history", "GET", EXISTING + "/triggers/manual/histories/0858" + API, null, 404,
                "WorkflowTriggerHistoryNotFound"));
        c.add(new Case("a resubmit of a missing history", "POST", EXISTING + "/triggers/manual/histories/0858/resubmit"
                + API, null, 404, "WorkflowTriggerHistoryNotFound"));
        c.add(new Case("a missing version", "GET", EXISTING + "/versions/00000000000000000001" + API, null, 404,
                "WorkflowVersionNotFound"));
        c.add(new Case("a missing workflow's runs", "GET", BASE + "ghost/runs" + API, null, 404, "ResourceNotFound"));
        // the callback
        c.add(new Case("a callback with a forged signature", "POST", "#callback&sig=AAAA", "{\"name\":\"x\"}", 401,
                "DirectApiInvalidAuthorizationSignature"));
        c.add(new Case("a callback without a signature", "POST", "#callback-nosig", "{\"name\":\"x\"}", 401,
                "DirectApiAuthorizationRequired"));
        c.add(new Case("a callback of an unknown workflow", "POST", "/workflows/00000000000000000000000000000000/triggers/"
                + "manual/paths/invoke?api-version=2016-10-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=x",
                "{\"name\":\"x\"}", 401, "DirectApiInvalidAuthorizationSignature"));
        c.add(new Case("a callback body that fails the schema", "POST", "#callback", "{\"name\":7}", 400,
                "TriggerInputSchemaMismatch"));
        c.add(new Case("a callback body without a required member", "POST", "#callback", "{}", 400,
                "TriggerInputSchemaMismatch"));
        c.add(new Case("a callback with the wrong method", "PUT", "#callback", "{\"name\":\"x\"}", 405,
                "TriggerRequestMethodNotValid"));
        return c.stream();
    }

    @BeforeAll
    void existing() throws Exception {
        HttpResponse<String> put = send("PUT", EXISTING + API, wf(TRIGGERS, compose("")));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        JsonNode w = JSON.readTree(put.body());
        version = w.path("properties").path("version").asString();
        JsonNode cb = JSON.readTree(send("POST", EXISTING + "/triggers/manual/listCallbackUrl" + API, null).body());
        java.net.URI url = java.net.URI.create(cb.path("value").asString());
        callback = url.getRawPath() + "?" + url.getRawQuery();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsRefusedWithAzuresCodeAndChangesNothing(Case c) throws Exception {
        String target = c.target();
        String[] headers = {};
        if (target.endsWith("#if-match")) {
            target = target.substring(0, target.length() - "#if-match".length());
            headers = new String[]{"If-Match", "\"stale\""};
        } else if (target.equals("#callback")) {
            target = callback;
        } else if (target.equals("#callback-nosig")) {
            target = callback.substring(0, callback.indexOf("&sig="));
        } else if (target.startsWith("#callback&sig=")) {
            target = callback.substring(0, callback.indexOf("&sig=")) + target.substring("#callback".length());
        }
        HttpResponse<String> r = send(c.method(), target, c.body(), headers);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(c.status());
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertThat(error.path("code").asString()).as(r.body()).isEqualTo(c.code());
        assertThat(error.path("message").asString()).isNotBlank();
        JsonNode w = JSON.readTree(send("GET", EXISTING + API, null).body());
        assertThat(w.path("properties").path("version").asString()).isEqualTo(version);
    }

    @Test
    void theTableHasAtLeastFortyCasesAndNothingWasCreatedOrRun() throws Exception {
        assertThat(cases().count()).isGreaterThanOrEqualTo(40);
        assertThat(jdbc.queryForObject("select count(*) from workflows where subscription_id = ?", Integer.class, SUB))
                .isLessThanOrEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from workflow_runs r join workflows w on w.id = r.workflow_id"
                + " where w.subscription_id = ?", Integer.class, SUB)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from workflow_trigger_histories h join workflows w on"
                + " w.id = h.workflow_id where w.subscription_id = ?", Integer.class, SUB)).isZero();
    }
}
