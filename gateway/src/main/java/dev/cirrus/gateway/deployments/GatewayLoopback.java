package dev.cirrus.gateway.deployments;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.cirrus.gateway.deployments.template.Values;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Calls the gateway's own HTTP listener with the deploying caller's Authorization header, so every resource of a
 * template is created as the caller would create it by hand: authentication, role checks, api-version and body
 * validation, routing to the owning service and the resource index all apply.
 */
@Component
class GatewayLoopback {

    private final Environment environment;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    GatewayLoopback(Environment environment, ObjectMapper json) {
        this.environment = environment;
        this.json = json;
    }

    /** An answer: status, body (parsed JSON or null) and the headers a long-running operation is followed by. */
    record Answer(int status, Object body, Optional<String> asyncOperation, Optional<String> location) {

        @SuppressWarnings("unchecked")
        Map<String, Object> object() {
            return body instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        }
    }

    Answer call(String method, String pathAndQuery, Object body, String authorization, String correlationId) {
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        URI uri = pathAndQuery.startsWith("http") ? URI.create(pathAndQuery)
                : URI.create("http://127.0.0.1:" + port + pathAndQuery);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(70))
                .header("Accept", "application/json")
                .header("x-ms-correlation-request-id", correlationId);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Object parsed = null;
            if (!response.body().isBlank()) {
                try {
                    parsed = Values.normalize(json.readValue(response.body(), Object.class));
                } catch (RuntimeException notJson) {
                    parsed = response.body();
                }
            }
            return new Answer(response.statusCode(), parsed,
                    response.headers().firstValue("Azure-AsyncOperation"), response.headers().firstValue("Location"));
        } catch (IOException e) {
            throw new LoopbackFailure("The gateway could not be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoopbackFailure("Interrupted");
        }
    }

    /** The gateway's own listener did not answer (it is stopping). */
    static final class LoopbackFailure extends RuntimeException {
        LoopbackFailure(String message) {
            super(message);
        }
    }
}
