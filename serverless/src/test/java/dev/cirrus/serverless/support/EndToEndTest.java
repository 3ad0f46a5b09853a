package dev.cirrus.serverless.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.SpringInfrastructure;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service on a random port over real PostgreSQL and Kafka, with short idle, refresh and retry times; every
 * end-to-end test class extends this, so they share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"cirrus.functions.idle-timeout=2s", "cirrus.functions.reap-interval=200ms",
                "cirrus.functions.trigger-refresh=300ms", "cirrus.functions.kafka-max-attempts=3",
                "cirrus.functions.kafka-retry-backoff=50ms", "cirrus.functions.max-output-mb=1",
                "cirrus.functions.http-response-cap=10s", "cirrus.functions.list-page-size=50"})
public abstract class EndToEndTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringInfrastructure.register(registry, "serverless");
    }

    protected static final JsonMapper JSON = JsonMapper.builder().build();
    protected static final String API = "?api-version=2023-12-01";

    @LocalServerPort
    protected int port;

    protected final HttpClient http = ServiceCredentials.httpClient();
    protected final String sub = UUID.randomUUID().toString();

    protected String site(String app) {
        return "/subscriptions/" + sub + "/resourceGroups/rg1/providers/Microsoft.Web/sites/" + app;
    }

    protected HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> sendBytes(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected String createApp(String app) throws Exception {
        HttpResponse<String> created = send("PUT", site(app) + API, "{\"kind\":\"functionapp\",\"location\":\"westeurope\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        return app;
    }

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected HttpResponse<String> putFunction(String app, String fn, String bindings, String code) throws Exception {
        return putFunctionJson(app, fn, "{\"bindings\":" + bindings + "}", code);
    }

    protected HttpResponse<String> putFunctionJson(String app, String fn, String functionJson, String code) throws Exception {
        String body = JSON.writeValueAsString(Map.of("properties", Map.of(
                "config", JSON.readTree(functionJson),
                "files", Map.of("index.js", code))));
        return send("PUT", site(app) + "/functions/" + fn + API, body);
    }
}
