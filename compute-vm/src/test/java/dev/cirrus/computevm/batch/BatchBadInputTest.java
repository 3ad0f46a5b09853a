package dev.cirrus.computevm.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Refusals of the Batch service API and of the account's ARM calls: each with Azure's status and error code, in
 * Batch's (or ARM's) error body, and nothing changed.
 */
class BatchBadInputTest extends BatchTestSupport {

    private static Account fixture;
    private static String fixtureSub;

    /** One account with pool p (no nodes), jobs j (no dependencies), deps (with task t1) and done (terminated). */
    private Account fixture() {
        synchronized (BatchBadInputTest.class) {
            if (fixture == null) {
                Account a = newAccount();
                addPool(a, "p", 0, null);
                assertThat(batch(a, "POST", "/jobs", "{\"id\":\"j\",\"poolInfo\":{\"poolId\":\"p\"}}").statusCode()).isEqualTo(201);
                assertThat(batch(a, "POST", "/jobs", "{\"id\":\"deps\",\"poolInfo\":{\"poolId\":\"p\"},\"usesTaskDependencies\":true}")
                        .statusCode()).isEqualTo(201);
                assertThat(batch(a, "POST", "/jobs/deps/tasks", "{\"id\":\"t1\",\"commandLine\":\"true\"}").statusCode())
                        .isEqualTo(201);
                assertThat(batch(a, "POST", "/jobs", "{\"id\":\"done\",\"poolInfo\":{\"poolId\":\"p\"}}").statusCode()).isEqualTo(201);
                assertThat(batch(a, "POST", "/jobs/done/terminate", null).statusCode()).isEqualTo(202);
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
                        pool(a, "p").path("allocationState").stringValue().equals("steady"));
                fixture = a;
                fixtureSub = sub;
            }
            return fixture;
        }
    }

    private static Arguments c(String method, String path, String body, int status, String code, String property) {
        return Arguments.of(method + " " + path + " " + (body == null ? "" : body), method, path, body, status, code,
                property);
    }

    static Stream<Arguments> dataPlane() {
        String vm = "\"vmSize\":\"Standard_D2s_v5\"";
        return Stream.of(
                // pools
                c("POST", "/pools", "{" + vm + ",\"targetDedicatedNodes\":1}", 400, "MissingRequiredProperty", "id"),
                c("POST", "/pools", "{\"id\":\"bad id\"," + vm + ",\"targetDedicatedNodes\":1}", 400, "InvalidPropertyValue", "id"),
                c("POST", "/pools", "{\"id\":\"" + "x".repeat(65) + "\"," + vm + ",\"targetDedicatedNodes\":1}", 400, "InvalidPropertyValue", "id"),
                c("POST", "/pools", "{\"id\":\"n1\",\"targetDedicatedNodes\":1}", 400, "MissingRequiredProperty", "vmSize"),
                c("POST", "/pools", "{\"id\":\"n1\",\"vmSize\":\"Standard_Z99\",\"targetDedicatedNodes\":1}", 400, "InvalidPropertyValue", "vmSize"),
                c("POST", "/pools", "{\"id\":\"n1\"," + vm + ",\"targetDedicatedNodes\":-1}", 400, "InvalidPropertyValue", "targetDedicatedNodes"),
                c("POST", "/pools", "{\"id\":\"n1\"," + vm + "}", 400, "MissingRequiredProperty", "targetDedicatedNodes"),
                c("POST", "/pools", "{\"id\":\"n1\"," + vm + ",\"enableAutoScale\":true,\"autoScaleFormula\":\"$TargetDedicatedNodes=1;\"}", 400, "InvalidPropertyValue", "enableAutoScale"),
                c("POST", "/pools", "{\"id\":\"n1\"," + vm + ",\"targetDedicatedNodes\":1,\"taskSlotsPerNode\":0}", 400, "InvalidPropertyValue", "taskSlotsPerNode"),
                c("POST", "/pools", "{\"id\":\"n1\"," + vm + ",\"targetDedicatedNodes\":1,\"taskSlotsPerNode\":9}", 400, "InvalidPropertyValue", "taskSlotsPerNode"),
                c("POST", "/pools", "{\"id\":\"n1\"," + vm + ",\"targetDedicatedNodes\":1,\"taskSchedulingPolicy\":{\"nodeFillType\":\"diagonal\"}}", 400, "InvalidPropertyValue", "taskSchedulingPolicy.nodeFillType"),
                c("POST", "/pools", "{\"id\":\"n1\"," + vm + ",\"targetDedicatedNodes\":1,\"startTask\":{\"waitForSuccess\":true}}", 400, "MissingRequiredProperty", "startTask.commandLine"),
                c("POST", "/pools", "{\"id\":\"n1\"," + vm + ",\"targetDedicatedNodes\":1,\"resizeTimeout\":\"soon\"}", 400, "InvalidPropertyValue", "resizeTimeout"),
                c("POST", "/pools", "{\"id\":\"P\"," + vm + ",\"targetDedicatedNodes\":1}", 409, "PoolExists", null),
                c("POST", "/pools", "{not json", 400, "InvalidRequestBody", null),
                c("POST", "/pools", "[1,2]", 400, "InvalidRequestBody", null),
                c("GET", "/pools/nope", null, 404, "PoolNotFound", null),
                c("DELETE", "/pools/nope", null, 404, "PoolNotFound", null),
                c("POST", "/pools/nope/resize", "{\"targetDedicatedNodes\":1}", 404, "PoolNotFound", null),
                c("POST", "/pools/p/resize", "{\"targetDedicatedNodes\":-3}", 400, "InvalidPropertyValue", "targetDedicatedNodes"),
                c("POST", "/pools/p/resize", "{\"targetDedicatedNodes\":1,\"nodeDeallocationOption\":\"later\"}", 400, "InvalidPropertyValue", "nodeDeallocationOption"),
                c("POST", "/pools/p/stopresize", null, 409, "PoolNotResizing", null),
                c("POST", "/pools/p/removenodes", "{\"nodeList\":[]}", 400, "InvalidPropertyValue", "nodeList"),
                c("POST", "/pools/p/removenodes", "{}", 400, "MissingRequiredProperty", "nodeList"),
                c("POST", "/pools/p/removenodes", "{\"nodeList\":[\"tvmps_missing\"]}", 404, "NodeNotFound", null),
                c("POST", "/pools/p/nodes/tvmps_missing/reboot", "{}", 404, "NodeNotFound", null),
                c("GET", "/pools?$filter=state%20equals%20'active'", null, 400, "InvalidQueryParameterValue", null),
                c("GET", "/pools?maxresults=0", null, 400, "InvalidQueryParameterValue", null),
                c("GET", "/pools?maxresults=1001", null, 400, "InvalidQueryParameterValue", null),
                // jobs
                c("POST", "/jobs", "{\"id\":\"j2\"}", 400, "MissingRequiredProperty", "poolInfo"),
                c("POST", "/jobs", "{\"id\":\"j2\",\"poolInfo\":{}}", 400, "MissingRequiredProperty", "poolId"),
                c("POST", "/jobs", "{\"id\":\"j/2\",\"poolInfo\":{\"poolId\":\"p\"}}", 400, "InvalidPropertyValue", "id"),
                c("POST", "/jobs", "{\"id\":\"j2\",\"poolInfo\":{\"poolId\":\"p\"},\"priority\":1001}", 400, "InvalidPropertyValue", "priority"),
                c("POST", "/jobs", "{\"id\":\"j2\",\"poolInfo\":{\"poolId\":\"p\"},\"constraints\":{\"maxTaskRetryCount\":-2}}", 400, "InvalidPropertyValue", "constraints.maxTaskRetryCount"),
                c("POST", "/jobs", "{\"id\":\"j2\",\"poolInfo\":{\"poolId\":\"p\"},\"constraints\":{\"maxWallClockTime\":\"ten minutes\"}}", 400, "InvalidPropertyValue", "constraints.maxWallClockTime"),
                c("POST", "/jobs", "{\"id\":\"j2\",\"poolInfo\":{\"poolId\":\"p\"},\"onAllTasksComplete\":\"sometimes\"}", 400, "InvalidPropertyValue", "onAllTasksComplete"),
                c("POST", "/jobs", "{\"id\":\"J\",\"poolInfo\":{\"poolId\":\"p\"}}", 409, "JobExists", null),
                c("POST", "/jobs/done/terminate", null, 409, "JobCompleted", null),
                c("POST", "/jobs/j/enable", null, 409, "JobNotDisabled", null),
                c("DELETE", "/jobs/nope", null, 404, "JobNotFound", null),
                // tasks
                c("POST", "/jobs/nope/tasks", "{\"id\":\"t\",\"commandLine\":\"true\"}", 404, "JobNotFound", null),
                c("POST", "/jobs/done/tasks", "{\"id\":\"t\",\"commandLine\":\"true\"}", 409, "JobCompleted", null),
                c("POST", "/jobs/j/tasks", "{\"id\":\"t\"}", 400, "MissingRequiredProperty", "commandLine"),
                c("POST", "/jobs/j/tasks", "{\"id\":\"a b\",\"commandLine\":\"true\"}", 400, "InvalidPropertyValue", "id"),
                c("POST", "/jobs/deps/tasks", "{\"id\":\"T1\",\"commandLine\":\"true\"}", 409, "TaskExists", null),
                c("POST", "/jobs/j/tasks", "{\"id\":\"t\",\"commandLine\":\"true\",\"dependsOn\":{\"taskIds\":[\"x\"]}}", 409, "TaskDependenciesNotSpecifiedOnJob", null),
                c("POST", "/jobs/deps/tasks", "{\"id\":\"t2\",\"commandLine\":\"true\",\"dependsOn\":{\"taskIds\":[\"missing\"]}}", 400, "InvalidPropertyValue", "dependsOn.taskIds"),
                c("POST", "/jobs/deps/tasks", "{\"id\":\"t2\",\"commandLine\":\"true\",\"dependsOn\":{\"taskIds\":[\"t2\"]}}", 400, "InvalidPropertyValue", "dependsOn.taskIds"),
                c("POST", "/jobs/deps/tasks", "{\"id\":\"t2\",\"commandLine\":\"true\",\"dependsOn\":{\"taskIdRanges\":[{\"start\":5,\"end\":2}]}}", 400, "InvalidPropertyValue", "dependsOn.taskIdRanges"),
                c("POST", "/jobs/j/tasks", "{\"id\":\"t\",\"commandLine\":\"true\",\"constraints\":{\"maxTaskRetryCount\":\"x\"}}", 400, "InvalidPropertyValue", "constraints.maxTaskRetryCount"),
                c("POST", "/jobs/j/tasks", "{\"id\":\"t\",\"commandLine\":\"true\",\"environmentSettings\":[{\"value\":\"v\"}]}", 400, "MissingRequiredProperty", "environmentSettings.name"),
                c("POST", "/jobs/j/addtaskcollection", "{}", 400, "MissingRequiredProperty", "value"),
                c("GET", "/jobs/j/tasks/nope", null, 404, "TaskNotFound", null),
                c("GET", "/jobs/deps/tasks/t1/files/stdout.txt", null, 409, "TaskNotYetStarted", null),
                c("GET", "/pools/p/nodes/tvmps_missing/files", null, 404, "NodeNotFound", null));
    }

    @ParameterizedTest(name = "{0} → {4} {5}")
    @MethodSource("dataPlane")
    void aBadDataPlaneCallIsRefusedWithBatchsErrorAndChangesNothing(String name, String method, String path, String body,
                                                                   int status, String code, String property) {
        Account a = fixture();
        String before = state(a);
        HttpResponse<String> r = batch(a, method, path, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = json(r);
        assertThat(error.path("code").stringValue()).isEqualTo(code);
        assertThat(error.path("message").path("value").stringValue()).contains("RequestId:");
        assertThat(error.path("odata.metadata").stringValue()).contains("$metadata#");
        if (property != null) {
            assertThat(error.path("values").findValuesAsString("value")).contains(property);
        }
        assertThat(state(a)).as("nothing changed").isEqualTo(before);
    }

    @Test
    void aHundredAndOneTasksInOneCallAreRefusedAndACycleInACollectionIsRefusedPerTask() {
        Account a = fixture();
        String before = state(a);
        StringBuilder tasks = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            tasks.append(i == 0 ? "" : ",").append("{\"id\":\"c").append(i).append("\",\"commandLine\":\"true\"}");
        }
        HttpResponse<String> tooMany = batch(a, "POST", "/jobs/j/addtaskcollection", "{\"value\":[" + tasks + "]}");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(json(tooMany).path("code").stringValue()).isEqualTo("InvalidPropertyValue");
        assertThat(state(a)).isEqualTo(before);

        HttpResponse<String> cycle = batch(a, "POST", "/jobs/deps/addtaskcollection", """
                {"value": [{"id": "x", "commandLine": "true", "dependsOn": {"taskIds": ["y"]}},
                           {"id": "y", "commandLine": "true", "dependsOn": {"taskIds": ["x"]}}]}""");
        assertThat(cycle.statusCode()).isEqualTo(200);
        assertThat(json(cycle).path("value").findValuesAsString("status")).containsOnly("clienterror");
        assertThat(json(cycle).path("value").get(0).path("error").path("code").stringValue()).isEqualTo("InvalidPropertyValue");
        assertThat(state(a)).isEqualTo(before);
    }

    @Test
    void callsThatAreNotTheAccountsAreRefused() {
        Account a = fixture();
        String before = state(a);
        record Refusal(HttpResponse<String> response, int status, String code) {
        }
        List<Refusal> refusals = List.of(
                new Refusal(signed(a.name(), a.key(), "GET", a.prefix() + "/pools", null, Instant.now()), 400,
                        "MissingRequiredQueryParameter"),
                new Refusal(signed(a.name(), a.key(), "GET", a.prefix() + "/pools?api-version=2019-01-01.8.0", null,
                        Instant.now()), 400, "InvalidApiVersionParameter"),
                new Refusal(send("GET", a.prefix() + "/pools?" + BATCH_API, null), 403, "AuthenticationFailed"),
                new Refusal(signed(a.name(), "AAAA" + a.key().substring(4), "GET", a.prefix() + withBatchApi("/pools"),
                        null, Instant.now()), 403, "AuthenticationFailed"),
                new Refusal(signed(a.name(), a.key(), "POST", a.prefix() + withBatchApi("/pools"),
                        "{\"id\":\"sneaky\",\"vmSize\":\"Standard_D2s_v5\",\"targetDedicatedNodes\":0}",
                        Instant.now().plusSeconds(3600)), 403, "AuthenticationFailed"),
                new Refusal(signed("other", a.key(), "GET", a.prefix() + withBatchApi("/pools"), null, Instant.now()),
                        403, "AuthenticationFailed"),
                new Refusal(signed(a.name(), a.key(), "GET", "/batch/nosuch.westeurope" + withBatchApi("/pools"), null,
                        Instant.now()), 404, "AccountNotFound"));
        for (Refusal r : refusals) {
            assertThat(r.response().statusCode()).as(r.response().body()).isEqualTo(r.status());
            assertThat(json(r.response()).path("code").stringValue()).isEqualTo(r.code());
        }
        assertThat(state(a)).isEqualTo(before);
    }

    static Stream<Arguments> arm() {
        return Stream.of(
                Arguments.of("Bad_Name", "{\"location\":\"westeurope\"}", 400, "AccountNameInvalid"),
                Arguments.of("ab", "{\"location\":\"westeurope\"}", 400, "AccountNameInvalid"),
                Arguments.of("okname1", "{}", 400, "LocationRequired"),
                Arguments.of("okname1", "{\"location\":\"West Europe!\"}", 400, "InvalidLocation"),
                Arguments.of("okname1", "{\"location\":\"westeurope\",\"properties\":{\"poolAllocationMode\":\"UserSubscription\"}}", 400, "InvalidParameter"),
                Arguments.of("okname1", "{\"location\":\"westeurope\",\"properties\":{\"allowedAuthenticationModes\":[\"Password\"]}}", 400, "InvalidParameter"),
                Arguments.of("okname1", "{\"location\":\"westeurope\",\"properties\":{\"autoStorage\":{}}}", 400, null),
                Arguments.of("okname1", "{\"location\":\"westeurope\",\"identity\":{\"type\":\"SystemAssigned\"}}", 400, null));
    }

    @ParameterizedTest(name = "PUT {0} {1} → {2} {3}")
    @MethodSource("arm")
    void aBadAccountIsRefusedWithArmsErrorAndNothingIsCreated(String name, String body, int status, String code) {
        String s = newSubscription();
        HttpResponse<String> r = put(accountPath(s, "rg", name), body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        if (code != null) {
            assertThat(json(r).path("error").path("code").stringValue()).isEqualTo(code);
        }
        assertThat(count("select count(*) from batch_accounts where subscription_key = ?", s)).isZero();
    }

    @Test
    void anExistingAccountCannotMoveNorHaveAnUnknownKeyRegenerated() {
        Account a = newAccount();
        HttpResponse<String> moved = put(a.path(), "{\"location\":\"eastus\"}");
        assertThat(moved.statusCode()).isEqualTo(409);
        assertThat(json(moved).path("error").path("code").stringValue()).isEqualTo("PropertyChangeNotAllowed");
        HttpResponse<String> regenerate = send("POST", withApi(a.path() + "/regenerateKeys"), "{\"keyName\":\"Tertiary\"}");
        assertThat(regenerate.statusCode()).isEqualTo(400);
        assertThat(json(regenerate).path("error").path("code").stringValue()).isEqualTo("InvalidParameter");
        assertThat(json(send("POST", withApi(a.path() + "/listKeys"), null)).path("primary").stringValue())
                .isEqualTo(a.key());
        assertThat(json(get(a.path())).path("location").stringValue()).isEqualTo("westeurope");
        assertThat(send("POST", withApi(accountPath(sub, "batch-rg", "missing01") + "/listKeys"), null).statusCode())
                .isEqualTo(404);
    }

    /** Everything the account holds, as one string: pools, nodes, jobs and tasks with their states. */
    private String state(Account a) {
        String key = a.path().toLowerCase();
        return jdbc.queryForList("select id, state, allocation_state, target_dedicated from batch_pools where account_key = ? order by id", key)
                + "|" + jdbc.queryForList("select node_id, state from batch_nodes where account_key = ? order by node_id", key)
                + "|" + jdbc.queryForList("select id, state, etag from batch_jobs where account_key = ? order by id", key)
                + "|" + jdbc.queryForList("select job_key, id, state, etag from batch_tasks where account_key = ? order by job_key, id", key);
    }
}
