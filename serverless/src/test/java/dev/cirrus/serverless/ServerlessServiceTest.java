package dev.cirrus.serverless;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.cirrus.serverless.support.EndToEndTest;
import org.junit.jupiter.api.Test;

/** Shares the end-to-end tests' application context (one start-up for the module's service tests). */
class ServerlessServiceTest extends EndToEndTest {

    @Test
    void theServiceReportsLivenessAndReadinessOnceItsDatabaseIsMigrated() throws Exception {
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"UP\"");
    }

    @Test
    void anUnknownPathIsAnArmNotFoundErrorAndNotAStackTrace() throws Exception {
        HttpResponse<String> response = get("/subscriptions/s/providers/Unknown.Namespace/things?api-version=2024-01-01");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"error\"").contains("\"code\":\"NotFound\"").doesNotContain("Exception");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
