package dev.cirrus.serverless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.cirrus.serverless.support.EndToEndTest;
import org.junit.jupiter.api.Test;

/**
 * Every service serves its meters in Prometheus's text format at {@code /actuator/prometheus}, to the platform only
 * (the service credential, like every call but health), with plumbing's own: the outbox's backlog and published
 * events, and each inbox consumer's events by outcome. Shares the end-to-end tests' context.
 */
class MetricsTest extends EndToEndTest {

    @Test
    void thePrometheusPageShowsTheOutboxAndTheInboxConsumersAndNeedsTheServiceCredential() throws Exception {
        String app = createApp(unique("metered")); // an event through the outbox
        putFunction(app, "ping", "[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\","
                + "\"authLevel\":\"anonymous\",\"methods\":[\"get\"]},{\"type\":\"http\",\"direction\":\"out\","
                + "\"name\":\"$return\"}]", "module.exports = async () => ({ body: 'pong' });");
        assertThat(send("GET", "/functions/" + app + "/api/ping", null).body()).isEqualTo("pong");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> page = send("GET", "/actuator/prometheus", null);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("text/plain"));
            assertThat(page.body())
                    .contains("# TYPE cirrus_outbox_backlog gauge")
                    .contains("# TYPE cirrus_outbox_published_total counter")
                    .containsPattern("cirrus_outbox_published_total(\\{[^}]*})? [1-9]")
                    // the plans consumer of functionapp/HostingPlans.java, by outcome
                    .containsPattern("cirrus_inbox_events_total\\{[^}]*consumer=\"serverless-hosting-plans\"")
                    .containsPattern("cirrus_functions_executions_total\\{[^}]*status=\"Succeeded\"[^}]*} [1-9]")
                    .contains("jvm_memory_used_bytes");
        });

        HttpResponse<String> stranger = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stranger.statusCode()).isEqualTo(401);
        assertThat(stranger.body()).doesNotContain("cirrus_outbox");
    }
}
