package dev.cirrus.serverless.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.cirrus.serverless.support.EndToEndTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Scale out under concurrent load, the per-app maximum, scale to zero after the idle time, and the cold start after. */
class ScaleEndToEndTest extends EndToEndTest {

    static final String ANONYMOUS_HTTP = "[{\"type\":\"httpTrigger\",\"direction\":\"in\",\"name\":\"req\",\"authLevel\":\"anonymous\"}]";

    JsonNode site(String app, String suffix) throws Exception {
        return JSON.readTree(send("GET", site(app) + suffix + API, null).body());
    }

    @Test
    void concurrentLoadAddsInstancesUpToTheAppsScaleLimitWhichTheAppShows() throws Exception {
        String app = createApp(unique("scale"));
        HttpResponse<String> settings = send("PUT", site(app) + "/config/appsettings" + API,
                "{\"properties\":{\"" + InstancePool.SCALE_LIMIT_SETTING + "\":\"3\"}}");
        assertThat(settings.statusCode()).as(settings.body()).isEqualTo(200);
        // each call keeps its instance busy for 1 s, so 8 concurrent calls need more than one instance
        putFunction(app, "busy", ANONYMOUS_HTTP, "module.exports = async function (context) {"
                + " const end = Date.now() + 1000; while (Date.now() < end) { } context.res = { body: 'done' }; };");
        assertThat(site(app, "").get("properties").get("siteConfig").get("functionAppScaleLimit").asInt()).isEqualTo(3);
        assertThat(site(app, "").get("properties").get("instanceCount").asInt()).isZero();

        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/functions/" + app + "/api/busy"))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> site(app, "").get("properties").get("instanceCount").asInt() == 3);
        List<HttpResponse<String>> responses = calls.stream().map(CompletableFuture::join).toList();
        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
        // exactly 3 cold starts: never more instances than the limit, and the other calls reused them warm
        assertThat(responses.stream().filter(r -> r.headers().firstValue("x-cirrus-cold-start").orElseThrow().equals("true")))
                .hasSize(3);
        JsonNode instances = site(app, "/instances").get("value");
        assertThat(instances).hasSize(3);
        assertThat(instances).allSatisfy(i -> {
            assertThat(i.get("type").asString()).isEqualTo("Microsoft.Web/sites/instances");
            assertThat(i.get("id").asString()).startsWith(site(app) + "/instances/");
        });
        long invocations = 0;
        for (JsonNode instance : instances) {
            invocations += instance.get("properties").get("invocations").asLong();
        }
        assertThat(invocations).isEqualTo(8);
    }

    @Test
    void idleInstancesGoAwayAfterTheIdleTimeAndTheNextCallIsAColdStart() throws Exception {
        String app = createApp(unique("zero"));
        putFunction(app, "ping", ANONYMOUS_HTTP, "module.exports = async (context) => { context.res = { body: 'pong' }; };");
        HttpResponse<String> cold = send("GET", "/functions/" + app + "/api/ping", null);
        HttpResponse<String> warm = send("GET", "/functions/" + app + "/api/ping", null);
        assertThat(cold.headers().firstValue("x-cirrus-cold-start")).hasValue("true");
        assertThat(warm.headers().firstValue("x-cirrus-cold-start")).hasValue("false");
        assertThat(site(app, "/instances").get("value")).singleElement()
                .satisfies(i -> assertThat(i.get("properties").get("state").asString()).isEqualTo("Idle"));

        // idle-timeout is 2s in these tests (default 5m)
        await().atMost(Duration.ofSeconds(15)).until(() -> site(app, "").get("properties").get("instanceCount").asInt() == 0);
        assertThat(site(app, "/instances").get("value")).isEmpty();

        HttpResponse<String> afterZero = send("GET", "/functions/" + app + "/api/ping", null);
        assertThat(afterZero.body()).isEqualTo("pong");
        assertThat(afterZero.headers().firstValue("x-cirrus-cold-start")).hasValue("true");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(site(app, "/executions").get("value"))
                .extracting(e -> e.get("coldStart").asBoolean()).containsExactly(true, false, true));
    }

    @Test
    void theScaleLimitCanBeSetAsSiteConfigFunctionAppScaleLimitLikeInAzure() throws Exception {
        String app = createApp(unique("limit"));
        HttpResponse<String> patched = send("PATCH", site(app) + API, "{\"properties\":{\"siteConfig\":{\"functionAppScaleLimit\":5}}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(JSON.readTree(patched.body()).get("properties").get("siteConfig").get("functionAppScaleLimit").asInt()).isEqualTo(5);
        JsonNode settings = JSON.readTree(send("POST", site(app) + "/config/appsettings/list" + API, null).body());
        assertThat(settings.get("properties").get(InstancePool.SCALE_LIMIT_SETTING).asString()).isEqualTo("5");
        assertThat(settings.get("properties").get("FUNCTIONS_WORKER_RUNTIME").asString()).isEqualTo("node");
        HttpResponse<String> zero = send("PATCH", site(app) + API, "{\"properties\":{\"siteConfig\":{\"functionAppScaleLimit\":0}}}");
        assertThat(zero.statusCode()).isEqualTo(400);
        assertThat(zero.body()).contains("properties.siteConfig.functionAppScaleLimit");
    }

    @Test
    void aScaleLimitThatIsNotAPositiveNumberIsA400AndChangesNothing() throws Exception {
        String app = createApp(unique("badlimit"));
        HttpResponse<String> bad = send("PUT", site(app) + "/config/appsettings" + API,
                "{\"properties\":{\"" + InstancePool.SCALE_LIMIT_SETTING + "\":\"lots\"}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains(InstancePool.SCALE_LIMIT_SETTING);
        assertThat(site(app, "").get("properties").get("siteConfig").get("functionAppScaleLimit").asInt()).isEqualTo(200);
    }
}
