package dev.cirrus.computevm.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import dev.cirrus.testkit.ServiceCredentials;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The official Azure Batch SDK for JavaScript ({@code @azure/batch}, {@code src/test/node/batch-sdk-test.js},
 * installed with npm into target/) with the account's Shared Key, at the account's endpoint (the host form, which
 * the SDK requires: it drops a path in its account URL): a pool of 2, a job of 20 tasks (a range of 16, a
 * merge that depends on them, a report that depends on the merge, one that fails once and succeeds on a retry and
 * one that depends on it), their stdout.txt, then the job and the pool deleted. Skipped where Node.js is not installed.
 */
class BatchJsSdkTest extends BatchTestSupport {

    @Test
    void theJavaScriptSdkRunsAJobOfTwentyTasksWithDependenciesAndARetryOnAPoolOfTwo() {
        Assumptions.assumeTrue(NodeScript.available(), "node and npm are not installed");
        Account a = newAccount();

        var run = NodeScript.run("batch-sdk-test.js", Map.of(
                "BATCH_URL", "http://" + a.name() + "." + a.region() + ".batch.localhost:" + port,
                "BATCH_ACCOUNT", a.name(),
                "BATCH_KEY", a.key(),
                "CIRRUS_CREDENTIAL_HEADER", ServiceCredentials.HEADER,
                "CIRRUS_CREDENTIAL", ServiceCredentials.value()), 300);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode result = JSON.readTree(run.stdout().strip().lines().reduce((x, y) -> y).orElseThrow());
        assertThat(result.path("nodes").findValuesAsString("state")).containsExactly("idle", "idle");
        assertThat(result.path("added").valueStream().map(JsonNode::asString).toList()).hasSize(20).containsOnly("success");
        Map<String, JsonNode> tasks = new HashMap<>();
        result.path("tasks").forEach(t -> tasks.put(t.path("id").asString(), t));
        assertThat(tasks).hasSize(20);
        assertThat(tasks.values()).allSatisfy(t -> {
            assertThat(t.path("result").asString()).isEqualTo("success");
            assertThat(t.path("exitCode").asInt()).isZero();
        });
        // it fails once on each node it meets (its marker is in that node's shared directory): once or twice
        assertThat(tasks.get("flaky").path("retryCount").asInt()).isBetween(1, 2);
        Instant mergeStart = Instant.parse(tasks.get("merge").path("startTime").asString());
        for (int i = 1; i <= 16; i++) {
            assertThat(Instant.parse(tasks.get(String.valueOf(i)).path("endTime").asString())).isBeforeOrEqualTo(mergeStart);
        }
        assertThat(Instant.parse(tasks.get("merge").path("endTime").asString()))
                .isBeforeOrEqualTo(Instant.parse(tasks.get("report").path("startTime").asString()));
        assertThat(Instant.parse(tasks.get("flaky").path("endTime").asString()))
                .isBeforeOrEqualTo(Instant.parse(tasks.get("after-flaky").path("startTime").asString()));
        assertThat(result.path("counts").path("completed").asInt()).isEqualTo(20);
        assertThat(result.path("counts").path("succeeded").asInt()).isEqualTo(20);
        assertThat(result.path("reportStdout").asString()).isEqualTo("report after merge\n");
        assertThat(result.path("part7Stdout").asString()).isEqualTo("part 7\n");
        assertThat(result.path("missingPool").path("status").asInt()).isEqualTo(404);
        assertThat(result.path("missingPool").path("code").asString()).isEqualTo("PoolNotFound");
        assertThat(result.path("poolGone").asBoolean()).isTrue();
        assertThat(count("select count(*) from batch_nodes where account_key = ?", a.path().toLowerCase())).isZero();
    }
}
