package dev.cirrus.computecontainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.SpringInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ComputeContainerServiceTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringInfrastructure.register(registry, "compute_container");
        // its own owner label: this context adopts or removes no other context's containers on a shared engine
        registry.add("cirrus.container.docker.owner", () -> "cirrus-test-service-" + ProcessHandle.current().pid());
    }

    @LocalServerPort
    int port;

    final HttpClient http = ServiceCredentials.httpClient();

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

    @Test
    void aDirectCallWithoutTheServiceCredentialIsA401AndTheProbesStayOpen() throws Exception {
        HttpClient stranger = HttpClient.newHttpClient();
        HttpResponse<String> refused = stranger.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/subscriptions/s/providers/Microsoft.ContainerInstance/containerGroups?api-version=2023-05-01")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("\"code\":\"AuthenticationFailed\"");
        assertThat(get("/subscriptions/s/providers/Microsoft.ContainerInstance/containerGroups?api-version=2023-05-01").statusCode()).isNotEqualTo(401);
        assertThat(stranger.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
