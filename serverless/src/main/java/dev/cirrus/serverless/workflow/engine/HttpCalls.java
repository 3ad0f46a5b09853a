package dev.cirrus.serverless.workflow.engine;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Http action's call: {@code method}, {@code uri}, {@code queries}, {@code headers} and {@code body} of its
 * evaluated inputs sent for real; the answer as Azure records it ({@code statusCode}, {@code headers}, {@code body},
 * JSON when it parses). Connection failures and timeouts are outcomes too, never exceptions.
 */
final class HttpCalls {

    /** An answer; {@code statusCode} 0 when no answer came (then {@code failure} says why). */
    record Answer(int statusCode, JsonNode outputs, String failure) {

        boolean retryable() {
            return statusCode == 0 || statusCode == 408 || statusCode == 429 || statusCode >= 500;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> RESTRICTED = List.of("host", "content-length", "connection", "expect", "upgrade");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    Answer call(JsonNode inputs, Duration timeout) {
        String method = inputs.path("method").asString("GET").toUpperCase(Locale.ROOT);
        StringBuilder uri = new StringBuilder(inputs.path("uri").asString(""));
        JsonNode queries = inputs.path("queries");
        if (queries.isObject() && !queries.isEmpty()) {
            uri.append(uri.indexOf("?") < 0 ? '?' : '&');
            boolean first = true;
            for (Map.Entry<String, JsonNode> q : queries.properties()) {
                if (!first) {
                    uri.append('&');
                }
                first = false;
                uri.append(URLEncoder.encode(q.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(text(q.getValue()), StandardCharsets.UTF_8));
            }
        }
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(uri.toString())).timeout(timeout);
        } catch (IllegalArgumentException e) {
            return new Answer(0, null, "The URI '" + uri + "' is not valid: " + e.getMessage());
        }
        boolean json = false;
        for (Map.Entry<String, JsonNode> h : inputs.path("headers").properties()) {
            if (!RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                request.header(h.getKey(), text(h.getValue()));
                json |= h.getKey().equalsIgnoreCase("content-type");
            }
        }
        JsonNode body = inputs.get("body");
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.noBody();
        if (body != null && !body.isNull()) {
            publisher = HttpRequest.BodyPublishers.ofString(body.isString() ? body.stringValue() : JSON.writeValueAsString(body));
            if (!json && !body.isString()) {
                request.header("Content-Type", "application/json");
            }
        }
        try {
            HttpResponse<String> response = client.send(request.method(method, publisher).build(),
                    HttpResponse.BodyHandlers.ofString());
            ObjectNode outputs = JsonNodeFactory.instance.objectNode();
            outputs.put("statusCode", response.statusCode());
            ObjectNode headers = outputs.putObject("headers");
            response.headers().map().forEach((k, v) -> headers.put(k, String.join(",", v)));
            outputs.set("body", parse(response.body()));
            return new Answer(response.statusCode(), outputs, null);
        } catch (IOException e) {
            return new Answer(0, null, "The HTTP request failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, null, "The HTTP request was interrupted.");
        } catch (IllegalArgumentException e) {
            return new Answer(0, null, "The HTTP request is not valid: " + e.getMessage());
        }
    }

    static JsonNode parse(String text) {
        if (text == null || text.isEmpty()) {
            return JsonNodeFactory.instance.nullNode();
        }
        try {
            return JSON.readTree(text);
        } catch (JacksonException e) {
            return JsonNodeFactory.instance.stringNode(text);
        }
    }

    private static String text(JsonNode v) {
        return v.isString() ? v.stringValue() : v.toString();
    }
}
