package dev.cirrus.serverless.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;

import dev.cirrus.serverless.support.EndToEndTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The function runtime's limits as a client meets them (this suite runs with {@code max-output-mb=1} and
 * {@code http-response-cap=10s}): every failed execution is recorded as billed, and the app keeps serving.
 */
class SandboxLimitsEndToEndTest extends EndToEndTest {

    private static final String ANONYMOUS = "[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\",\"authLevel\":\"anonymous\"},"
            + "{\"type\":\"http\",\"direction\":\"out\",\"name\":\"$return\"}]";

    @Test
    void anOutputLargerThanTheHostAllowsFailsInsideTheSandboxIsRecordedAndTheAppKeepsServing() throws Exception {
        String app = createApp(unique("big-out"));
        assertThat(putFunction(app, "big", ANONYMOUS, "module.exports = async (context, req) =>"
                + " ({ status: 200, body: 'x'.repeat(Number(req.query.kb) * 1024) });").statusCode()).isEqualTo(201);

        HttpResponse<String> tooBig = send("GET", "/functions/" + app + "/api/big?kb=1536", null);
        assertThat(tooBig.statusCode()).isEqualTo(500);
        JsonNode error = JSON.readTree(tooBig.body()).get("error");
        assertThat(error.get("code").asString()).isEqualTo("FunctionInvocationFailed");
        assertThat(error.get("message").asString()).contains("over the host's limit of 1.0 MB");
        String failedId = tooBig.headers().firstValue("x-cirrus-invocation-id").orElseThrow();

        HttpResponse<String> fits = send("GET", "/functions/" + app + "/api/big?kb=512", null);
        assertThat(fits.statusCode()).isEqualTo(200);
        assertThat(fits.body()).hasSize(512 * 1024);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode executions = JSON.readTree(send("GET", site(app) + "/executions" + API, null).body()).get("value");
            assertThat(executions).hasSize(2);
            JsonNode failed = executions.get(1);
            assertThat(failed.get("invocationId").asString()).isEqualTo(failedId);
            assertThat(failed.get("status").asString()).isEqualTo("Failed");
            assertThat(failed.get("memoryMb").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(executions.get(0).get("status").asString()).isEqualTo("Succeeded");
        });
    }

    @Test
    void anHttpFunctionStillRunningAtTheFrontEndsCapGetsAzuresTimeoutAnswerAndIsRecordedAsTimedOut() throws Exception {
        String app = createApp(unique("slow"));
        assertThat(putFunction(app, "slow", ANONYMOUS, "module.exports = async () => { while (true) { } };").statusCode())
                .isEqualTo(201);
        long started = System.nanoTime();
        HttpResponse<String> response = send("GET", "/functions/" + app + "/api/slow", null);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(response.body()).contains("500 - The request timed out.")
                .contains("The web server failed to respond within the specified time.");
        assertThat(took).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(40));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode executions = JSON.readTree(send("GET", site(app) + "/executions" + API, null).body()).get("value");
            assertThat(executions).hasSize(1);
            assertThat(executions.get(0).get("status").asString()).isEqualTo("TimedOut");
            assertThat(executions.get(0).get("durationMs").asLong()).isGreaterThanOrEqualTo(10_000);
        });
    }
}
