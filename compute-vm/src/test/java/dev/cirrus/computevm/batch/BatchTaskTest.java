package dev.cirrus.computevm.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Jobs and tasks whose command lines really run as processes on the pool's nodes. */
class BatchTaskTest extends BatchTestSupport {

    private Account readyPool(String poolId, int nodes, String extra) {
        Account a = newAccount();
        addPool(a, poolId, nodes, extra);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(batchJson(a, "/pools/" + poolId + "/nodes")
                .path("value").findValuesAsString("state")).hasSize(nodes).containsOnly("idle"));
        return a;
    }

    private void addJob(Account a, String body) {
        HttpResponse<String> r = batch(a, "POST", "/jobs", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private void addTask(Account a, String job, String body) {
        HttpResponse<String> r = batch(a, "POST", "/jobs/" + job + "/tasks", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private JsonNode completed(Account a, String job, String task) {
        await().atMost(Duration.ofSeconds(30)).until(() ->
                batchJson(a, "/jobs/" + job + "/tasks/" + task).path("state").stringValue().equals("completed"));
        return batchJson(a, "/jobs/" + job + "/tasks/" + task);
    }

    @Test
    void aTaskRunsInItsNodesWorkingDirectoryWithBatchVariablesAndItsOutputIsReadable() {
        Account a = readyPool("work", 1, null);
        addJob(a, "{\"id\": \"job1\", \"poolInfo\": {\"poolId\": \"work\"}, "
                + "\"commonEnvironmentSettings\": [{\"name\": \"STAGE\", \"value\": \"common\"}]}");
        addTask(a, "job1", """
                {"id": "hello", "commandLine": "echo \\"$AZ_BATCH_TASK_ID on $AZ_BATCH_NODE_ID in $AZ_BATCH_POOL_ID for $AZ_BATCH_JOB_ID: $GREETING $STAGE\\"; pwd; echo oops >&2; exit 0",
                 "environmentSettings": [{"name": "GREETING", "value": "hi"}]}""");
        JsonNode task = completed(a, "job1", "hello");
        assertThat(task.path("executionInfo").path("exitCode").intValue()).isZero();
        assertThat(task.path("executionInfo").path("result").stringValue()).isEqualTo("success");
        assertThat(task.path("executionInfo").path("retryCount").intValue()).isZero();
        String nodeId = task.path("nodeInfo").path("nodeId").stringValue();
        assertThat(nodeId).startsWith("tvmps_");

        HttpResponse<String> stdout = batch(a, "GET", "/jobs/job1/tasks/hello/files/stdout.txt", null);
        assertThat(stdout.statusCode()).isEqualTo(200);
        String[] lines = stdout.body().split("\n");
        assertThat(lines[0]).isEqualTo("hello on " + nodeId + " in work for job1: hi common");
        assertThat(lines[1]).endsWith("/" + nodeId + "/workitems/job1/job-1/hello/wd");
        assertThat(batch(a, "GET", "/jobs/job1/tasks/hello/files/stderr.txt", null).body()).isEqualTo("oops\n");
        assertThat(batchJson(a, "/jobs/job1/tasks/hello/files").path("value").findValuesAsString("name"))
                .contains("stdout.txt", "stderr.txt", "wd");
        assertThat(batch(a, "GET", "/pools/work/nodes/" + nodeId + "/files/workitems/job1/job-1/hello/stdout.txt", null)
                .body()).isEqualTo(stdout.body());
        HttpResponse<String> escape = batch(a, "GET", "/jobs/job1/tasks/hello/files/..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd", null);
        assertThat(escape.statusCode()).isEqualTo(404);

        JsonNode counts = batchJson(a, "/jobs/job1/taskcounts").path("taskCounts");
        assertThat(counts.path("completed").intValue()).isEqualTo(1);
        assertThat(counts.path("succeeded").intValue()).isEqualTo(1);
    }

    @Test
    void aFailingTaskIsRetriedAndAWallClockLimitKillsTheWholeProcessGroup() {
        Account a = readyPool("retry", 1, "\"taskSlotsPerNode\": 3");
        addJob(a, "{\"id\": \"job\", \"poolInfo\": {\"poolId\": \"retry\"}, \"constraints\": {\"maxTaskRetryCount\": 2}}");
        // fails on its first run, succeeds on the second: the marker lives in the node's shared directory
        addTask(a, "job", """
                {"id": "flaky", "commandLine": "if [ -f $AZ_BATCH_NODE_SHARED_DIR/tried ]; then echo second try; else touch $AZ_BATCH_NODE_SHARED_DIR/tried; exit 7; fi"}""");
        addTask(a, "job", "{\"id\": \"broken\", \"commandLine\": \"exit 9\", \"constraints\": {\"maxTaskRetryCount\": 1}}");
        addTask(a, "job", """
                {"id": "slow", "commandLine": "sleep 60 & echo $! > child.pid; sleep 60",
                 "constraints": {"maxWallClockTime": "PT1S"}}""");

        JsonNode flaky = completed(a, "job", "flaky");
        assertThat(flaky.path("executionInfo").path("retryCount").intValue()).isEqualTo(1);
        assertThat(flaky.path("executionInfo").path("exitCode").intValue()).isZero();
        assertThat(flaky.path("executionInfo").path("result").stringValue()).isEqualTo("success");

        JsonNode broken = completed(a, "job", "broken");
        assertThat(broken.path("executionInfo").path("retryCount").intValue()).isEqualTo(1);
        assertThat(broken.path("executionInfo").path("exitCode").intValue()).isEqualTo(9);
        assertThat(broken.path("executionInfo").path("result").stringValue()).isEqualTo("failure");
        assertThat(broken.path("executionInfo").path("failureInfo").path("category").stringValue()).isEqualTo("usererror");

        Instant before = Instant.now();
        JsonNode slow = completed(a, "job", "slow");
        assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(20));
        assertThat(slow.path("executionInfo").path("result").stringValue()).isEqualTo("failure");
        assertThat(slow.path("executionInfo").path("failureInfo").path("code").stringValue()).isEqualTo("TaskEnded");
        String pid = batch(a, "GET", "/jobs/job/tasks/slow/files/wd/child.pid", null).body().strip();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false))
                        .as("the background child of the killed task").isFalse());

        JsonNode failed = batchJson(a, "/jobs/job/tasks?$filter=executionInfo/result%20eq%20'failure'");
        assertThat(failed.path("value").findValuesAsString("id")).containsExactlyInAnyOrder("broken", "slow");
    }

    @Test
    void dependentTasksWaitForTheirParentsAndAJobCompletesWhenAllItsTasksHave() {
        Account a = readyPool("deps", 2, "\"taskSlotsPerNode\": 2");
        addJob(a, "{\"id\": \"pipeline\", \"poolInfo\": {\"poolId\": \"deps\"}, \"usesTaskDependencies\": true}");
        List<String> tasks = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            tasks.add("{\"id\": \"" + i + "\", \"commandLine\": \"sleep 0.3; date +%s%N > $AZ_BATCH_NODE_SHARED_DIR/" + i + "\"}");
        }
        tasks.add("{\"id\": \"merge\", \"commandLine\": \"date +%s%N\", \"dependsOn\": {\"taskIdRanges\": [{\"start\": 1, \"end\": 3}]}}");
        tasks.add("{\"id\": \"report\", \"commandLine\": \"echo done\", \"dependsOn\": {\"taskIds\": [\"merge\"]}}");
        tasks.add("{\"id\": \"fails\", \"commandLine\": \"exit 1\"}");
        tasks.add("{\"id\": \"blocked\", \"commandLine\": \"echo never\", \"dependsOn\": {\"taskIds\": [\"fails\"]}}");
        HttpResponse<String> added = batch(a, "POST", "/jobs/pipeline/addtaskcollection",
                "{\"value\": [" + String.join(",", tasks) + "]}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        assertThat(json(added).path("value").findValuesAsString("status")).containsOnly("success").hasSize(7);

        JsonNode report = completed(a, "pipeline", "report");
        JsonNode merge = batchJson(a, "/jobs/pipeline/tasks/merge");
        for (int i = 1; i <= 3; i++) {
            JsonNode parent = batchJson(a, "/jobs/pipeline/tasks/" + i);
            assertThat(Instant.parse(parent.path("executionInfo").path("endTime").stringValue()))
                    .isBeforeOrEqualTo(Instant.parse(merge.path("executionInfo").path("startTime").stringValue()));
        }
        assertThat(Instant.parse(merge.path("executionInfo").path("endTime").stringValue()))
                .isBeforeOrEqualTo(Instant.parse(report.path("executionInfo").path("startTime").stringValue()));
        completed(a, "pipeline", "fails");
        assertThat(batchJson(a, "/jobs/pipeline/tasks/blocked").path("state").stringValue())
                .as("a failed parent blocks its dependent").isEqualTo("active");

        HttpResponse<String> terminate = batch(a, "POST", "/jobs/pipeline/terminate", null);
        assertThat(terminate.statusCode()).isEqualTo(202);
        JsonNode job = batchJson(a, "/jobs/pipeline");
        assertThat(job.path("state").stringValue()).isEqualTo("completed");
        assertThat(job.path("executionInfo").path("terminateReason").stringValue()).isEqualTo("UserTerminate");
        assertThat(batchJson(a, "/jobs/pipeline/tasks/blocked").path("state").stringValue()).isEqualTo("completed");

        addJob(a, "{\"id\": \"auto\", \"poolInfo\": {\"poolId\": \"deps\"}}");
        addTask(a, "auto", "{\"id\": \"only\", \"commandLine\": \"true\"}");
        completed(a, "auto", "only");
        assertThat(batch(a, "PATCH", "/jobs/auto", "{\"onAllTasksComplete\": \"terminatejob\"}").statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode auto = batchJson(a, "/jobs/auto");
            assertThat(auto.path("state").stringValue()).isEqualTo("completed");
            assertThat(auto.path("executionInfo").path("terminateReason").stringValue()).isEqualTo("AllTasksComplete");
        });
    }

    @Test
    void aNodeRunsAtMostItsSlotsOfTasksAtOnceAndAHundredTasksGoInOneCall() {
        Account a = readyPool("slots", 2, "\"taskSlotsPerNode\": 2");
        addJob(a, "{\"id\": \"many\", \"poolInfo\": {\"poolId\": \"slots\"}}");
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            // each task records its start and end on its node: the overlap per node is measured afterwards
            String cmd = i < 8 ? "echo start $(date +%s%N) >> $AZ_BATCH_NODE_SHARED_DIR/log; sleep 0.4; "
                    + "echo end $(date +%s%N) >> $AZ_BATCH_NODE_SHARED_DIR/log" : "exit 0";
            tasks.add("{\"id\": \"t" + String.format("%03d", i) + "\", \"commandLine\": \"" + cmd + "\"}");
        }
        HttpResponse<String> added = batch(a, "POST", "/jobs/many/addtaskcollection",
                "{\"value\": [" + String.join(",", tasks) + "]}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        assertThat(json(added).path("value").size()).isEqualTo(100);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                batchJson(a, "/jobs/many/taskcounts").path("taskCounts").path("completed").intValue()).isEqualTo(100));
        assertThat(batchJson(a, "/jobs/many/tasks?$filter=state%20eq%20'completed'&maxresults=1000").path("value")
                .size()).isEqualTo(100);

        for (JsonNode node : batchJson(a, "/pools/slots/nodes").path("value")) {
            String log = batch(a, "GET", "/pools/slots/nodes/" + node.path("id").stringValue() + "/files/shared/log",
                    null).body();
            int running = 0;
            int most = 0;
            List<String[]> events = new ArrayList<>();
            for (String line : log.split("\n")) {
                if (!line.isBlank()) {
                    events.add(line.split(" "));
                }
            }
            events.sort((x, y) -> Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1])));
            for (String[] e : events) {
                running += e[0].equals("start") ? 1 : -1;
                most = Math.max(most, running);
            }
            assertThat(most).as("tasks at once on " + node.path("id").stringValue()).isLessThanOrEqualTo(2);
        }
    }
}
