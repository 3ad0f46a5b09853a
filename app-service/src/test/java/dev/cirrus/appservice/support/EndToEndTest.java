package dev.cirrus.appservice.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.SpringInfrastructure;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service on a random port over real PostgreSQL and Kafka (the testkit's); every test class of the service extends
 * this, so they share one application context (and one consumer of {@code cirrus.serverless}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"cirrus.appservice.plans.list-page-size=5"})
public abstract class EndToEndTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringInfrastructure.register(registry, "app_service");
    }

    protected static final JsonMapper JSON = JsonMapper.builder().build();
    protected static final String API = "?api-version=2024-04-01";

    @LocalServerPort
    protected int port;

    protected final HttpClient http = ServiceCredentials.httpClient();
    protected final String sub = UUID.randomUUID().toString();

    protected String plan(String rg, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.Web/serverfarms/" + name;
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

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
