package dev.cirrus.systemtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small ARM client over plain HTTP: what a curl user sends, and nothing more. */
final class Arm {

    static final String API = "api-version=2024-07-01";
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI gateway;
    private final String token;
    private final String serviceCredential;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Arm(URI gateway) {
        this(gateway, null);
    }

    Arm(URI gateway, String token) {
        this(gateway, token, null);
    }

    private Arm(URI gateway, String token, String serviceCredential) {
        this.gateway = gateway;
        this.token = token;
        this.serviceCredential = serviceCredential;
    }

    /** A client of one service behind the gateway, with the platform's service credential as the gateway sends it. */
    static Arm direct(URI service, String serviceCredential) {
        return new Arm(service, null, serviceCredential);
    }

    /**
     * Signs in as the administrator the gateway created on first start ({data}/gateway/credentials.json): the
     * OAuth2 client-credentials request an Azure SDK credential sends.
     */
    static Arm signedIn(URI gateway, java.nio.file.Path credentialsFile) {
        try {
            JsonNode creds = JSON.readTree(java.nio.file.Files.readString(credentialsFile));
            String form = "grant_type=client_credentials"
                    + "&client_id=" + enc(creds.path("clientId").asString())
                    + "&client_secret=" + enc(creds.path("clientSecret").asString())
                    + "&scope=" + enc("https://management.azure.com/.default");
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(gateway.toString().replaceAll("/$", "") + "/" + creds.path("tenantId").asString()
                                    + "/oauth2/v2.0/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("token request refused: " + r.statusCode() + " " + r.body());
            }
            return new Arm(gateway, JSON.readTree(r.body()).path("access_token").asString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    record Reply(int status, java.net.http.HttpHeaders headers, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String errorCode() {
            return json().path("error").path("code").asString();
        }
    }

    Reply get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(url(pathAndQuery)).GET());
    }

    Reply getAbsolute(String absoluteUrl) {
        return send(HttpRequest.newBuilder(URI.create(absoluteUrl)).GET());
    }

    Reply put(String pathAndQuery, String body) {
        return send(HttpRequest.newBuilder(url(pathAndQuery)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply delete(String pathAndQuery) {
        return send(HttpRequest.newBuilder(url(pathAndQuery)).DELETE());
    }

    Reply send(String method, String pathAndQuery, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url(pathAndQuery));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)));
    }

    private URI url(String pathAndQuery) {
        return URI.create(gateway.toString().replaceAll("/$", "") + pathAndQuery);
    }

    private Reply send(HttpRequest.Builder request) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (serviceCredential != null) {
            request.header("X-Cirrus-Service-Credential", serviceCredential);
        }
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
