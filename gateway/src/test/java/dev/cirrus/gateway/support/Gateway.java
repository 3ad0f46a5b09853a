package dev.cirrus.gateway.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Files;
import java.util.UUID;

import dev.cirrus.gateway.identity.GatewayData;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A client of the gateway over real loopback HTTP (HTTP/1.1, as the Azure SDKs speak it to a plain endpoint). */
public final class Gateway {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;
    private final String token;

    /** An anonymous client (no Authorization header). */
    public Gateway(int port) {
        this(port, null);
    }

    private Gateway(int port, String token) {
        this.port = port;
        this.token = token;
    }

    /** The administrator of a test's gateway: credentials.json of its data folder, a token from its endpoint. */
    public static Gateway admin(int port, GatewayData data) {
        JsonNode credentials;
        try {
            credentials = JSON.readTree(Files.readString(data.credentialsFile()));
        } catch (IOException e) {
            throw new IllegalStateException("no credentials.json in " + data.dataDir(), e);
        }
        return as(port, credentials.path("tenantId").asString(), credentials.path("clientId").asString(),
                credentials.path("clientSecret").asString());
    }

    /** A client signed in as a service principal (client credentials, v2 endpoint). */
    public static Gateway as(int port, String tenantId, String clientId, String clientSecret) {
        Gateway anonymous = new Gateway(port);
        HttpResponse<String> response = anonymous.send("POST", "/" + tenantId + "/oauth2/v2.0/token",
                "grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + clientSecret
                        + "&scope=https%3A%2F%2Fmanagement.azure.com%2F.default",
                "Content-Type", "application/x-www-form-urlencoded");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token request failed: " + response.statusCode() + " " + response.body());
        }
        return new Gateway(port, json(response).path("access_token").asString());
    }

    /** The same client with another bearer token (null: none). */
    public Gateway withToken(String otherToken) {
        return new Gateway(port, otherToken);
    }

    public String token() {
        return token;
    }

    /** Creates a subscription through the operator API (the caller becomes its Owner); returns its id. */
    public String newSubscription() {
        return subscription(UUID.randomUUID().toString());
    }

    /** Creates the subscription when it does not exist yet. */
    public String subscription(String id) {
        HttpResponse<String> response = put("/cirrus/subscriptions/" + id, "{\"displayName\":\"test " + id + "\"}");
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new IllegalStateException("cannot create subscription " + id + ": " + response.statusCode() + " "
                    + response.body());
        }
        return id;
    }

    public int port() {
        return port;
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    public HttpResponse<String> put(String path, String body, String... headers) {
        return send("PUT", path, body, headers);
    }

    /** Sends a request; {@code headers} are name, value pairs. A null body sends none. */
    public HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        boolean typed = false;
        boolean authorized = false;
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("Content-Type");
            authorized |= headers[i].equalsIgnoreCase("Authorization");
        }
        if (token != null && !authorized) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null && !typed) {
            request.header("Content-Type", "application/json");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException e) {
            // a request without an answer: show where every thread of this JVM (the gateway's included) stands
            StringBuilder dump = new StringBuilder("no answer to " + method + " " + path + "; threads:\n");
            Thread.getAllStackTraces().forEach((thread, stack) -> {
                dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
                for (StackTraceElement frame : stack) {
                    dump.append("    at ").append(frame).append('\n');
                }
            });
            System.err.println(dump);
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** The {@code error.code} of an ARM error body. */
    public static String errorCode(HttpResponse<String> response) {
        return json(response).path("error").path("code").asString();
    }

    public static String errorMessage(HttpResponse<String> response) {
        return json(response).path("error").path("message").asString();
    }
}
