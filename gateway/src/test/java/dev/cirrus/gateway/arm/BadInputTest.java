package dev.cirrus.gateway.arm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Requests that are not well-formed (encoding, path, length, media type, JSON), sent as raw HTTP/1.1 to the
 * gateway's own endpoints and to routed paths: every one is a 4xx with an ARM error body (or Entra ID's, from the
 * token endpoints), reaches no service, and changes nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BadInputTest {

    static final String V = "api-version=2024-07-01";
    static final String RG_V = "api-version=2021-04-01";
    static final String ROLES_V = "api-version=2022-04-01";
    static final String JSON = "application/json";

    static final FakeService services = FakeService.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_bad_input");
        for (String module : List.of("compute-vm", "compute-container", "app-service", "serverless", "billing")) {
            registry.add("cirrus.gateway.services." + module, () -> services.url().toString());
        }
    }

    @AfterAll
    static void stop() {
        services.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    static Gateway admin;
    static String sub;
    static String tenant;

    /** One bad request: method, raw target ({sub}, {rg}, {tenant} filled in), extra header lines, body, expectation. */
    record Case(String name, String method, String target, List<String> headers, String body, int status, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case get(String name, String target, int status, String code) {
        return new Case(name, "GET", target, List.of(), null, status, code);
    }

    static Case send(String name, String method, String target, String contentType, String body, int status, String code) {
        return new Case(name, method, target, contentType == null ? List.of() : List.of("Content-Type: " + contentType),
                body, status, code);
    }

    static final String GROUPS = "/subscriptions/{sub}/resourcegroups";
    static final String GROUP = GROUPS + "/{rg}";
    static final String NEW_GROUP = GROUPS + "/never-created";
    static final String VM = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/";
    static final String RESOURCES = "/subscriptions/{sub}/resources?" + V;
    static final String ROLE = "/subscriptions/{sub}/providers/Microsoft.Authorization/roleAssignments/"
            + "6a9d3f3e-0c2b-4f7a-9d4e-1b2c3d4e5f60?" + ROLES_V;

    static Stream<Arguments> cases() {
        List<Case> cases = new ArrayList<>();
        // percent-encoding in a query, on the gateway's own endpoints
        cases.add(get("a malformed escape in a query value", GROUPS + "?" + RG_V + "&x=%ZZ", 400, "InvalidRequestUri"));
        cases.add(get("an escape that is not UTF-8 in a query value", GROUPS + "?" + RG_V + "&x=%FF", 400, "InvalidRequestUri"));
        cases.add(get("a lone percent at the end of a query", GROUPS + "?" + RG_V + "&x=%", 400, "InvalidRequestUri"));
        cases.add(get("a percent with one digit", GROUPS + "?" + RG_V + "&x=%4", 400, "InvalidRequestUri"));
        cases.add(get("a truncated UTF-8 sequence", GROUPS + "?" + RG_V + "&x=%E2%82", 400, "InvalidRequestUri"));
        cases.add(get("an overlong UTF-8 encoding", GROUPS + "?" + RG_V + "&x=%C0%AF", 400, "InvalidRequestUri"));
        cases.add(get("an api-version that is not UTF-8", GROUPS + "?api-version=%FF", 400, "InvalidRequestUri"));
        cases.add(get("a malformed escape in a parameter name", GROUPS + "?" + RG_V + "&%ZZ=1", 400, "InvalidRequestUri"));
        cases.add(get("a $skiptoken that is not UTF-8", RESOURCES + "&$skiptoken=%FF", 400, "InvalidRequestUri"));
        cases.add(get("a $skiptoken with a malformed escape", RESOURCES + "&$skiptoken=%ZZ", 400, "InvalidRequestUri"));
        cases.add(get("a $filter that is not UTF-8", RESOURCES + "&$filter=%FF", 400, "InvalidRequestUri"));
        cases.add(get("a $top that is no number", RESOURCES + "&$top=abc", 400, null));
        cases.add(get("a $top beyond any integer", RESOURCES + "&$top=99999999999999999999", 400, null));
        cases.add(get("a character a URI cannot hold in a query", GROUPS + "?" + RG_V + "&x=a|b", 400, "InvalidRequestUri"));
        // paths
        cases.add(send("an encoded slash in a group name", "PUT", GROUPS + "/a%2Fb?" + RG_V, JSON,
                "{\"location\":\"westus\"}", 400, "InvalidRequestUri"));
        cases.add(get("a group name that is not UTF-8", GROUPS + "/%FF?" + RG_V, 400, "InvalidRequestUri"));
        cases.add(get("a group name with a malformed escape", GROUPS + "/%ZZ?" + RG_V, 400, "InvalidRequestUri"));
        cases.add(get("a NUL in a group name", GROUPS + "/a%00b?" + RG_V, 400, "InvalidRequestUri"));
        // routed paths: refused before any service
        cases.add(get("a routed query value that is not UTF-8", VM + "vm1?" + V + "&x=%FF", 400, "InvalidRequestUri"));
        cases.add(get("a routed query value with a malformed escape", VM + "vm1?" + V + "&x=%ZZ", 400, "InvalidRequestUri"));
        cases.add(send("an encoded slash in a resource name", "PUT", VM + "a%2Fb?" + V, JSON,
                "{\"location\":\"westus\"}", 400, "InvalidRequestUri"));
        cases.add(send("a lower-case encoded slash in a resource name", "PUT", VM + "a%2fb?" + V, JSON,
                "{\"location\":\"westus\"}", 400, "InvalidRequestUri"));
        cases.add(get("a resource name that is not UTF-8", VM + "%FF?" + V, 400, "InvalidRequestUri"));
        cases.add(get("a resource name with a malformed escape", VM + "a%ZZ?" + V, 400, "InvalidRequestUri"));
        cases.add(get("a line feed in a resource name", VM + "a%0Ab?" + V, 400, "InvalidRequestUri"));
        cases.add(get("a pipe in a resource name", VM + "a|b?" + V, 400, "InvalidRequestUri"));
        cases.add(get("braces in a resource name", VM + "%7Bx%7D{x}?" + V, 400, "InvalidRequestUri"));
        // the Functions data plane
        cases.add(get("a function's query value that is not UTF-8", "/functions/app1/api/f?x=%FF", 400, "InvalidRequestUri"));
        cases.add(get("a function's query value with a malformed escape", "/functions/app1/api/f?x=%ZZ", 400, "InvalidRequestUri"));
        cases.add(get("a function's path that is not UTF-8", "/functions/app1/api/%FF", 400, "InvalidRequestUri"));
        // HTTP itself
        cases.add(get("a request URI longer than the gateway reads", VM + "vm1?" + V + "&x=" + "a".repeat(10_000), 414,
                "RequestUriTooLong"));
        cases.add(new Case("a header longer than the gateway reads", "GET", GROUPS + "?" + RG_V,
                List.of("X-Long: " + "b".repeat(20_000)), null, 431, "RequestHeaderFieldsTooLarge"));
        cases.add(new Case("more headers than the gateway reads", "GET", GROUPS + "?" + RG_V,
                Stream.iterate(0, i -> i + 1).limit(300).map(i -> "X-Many-" + i + ": " + "c".repeat(60)).toList(), null,
                431, "RequestHeaderFieldsTooLarge"));
        cases.add(new Case("a Host that is no host name", "GET", GROUPS + "?" + RG_V, List.of("Host: exa{mple}"),
                null, 400, "BadRequest"));
        cases.add(new Case("a Content-Length that is no number", "PUT", NEW_GROUP + "?" + RG_V,
                List.of("Content-Type: application/json", "Content-Length: abc"), null, 400, "BadRequest"));
        // bodies of the gateway's own endpoints
        cases.add(send("a group body as text/plain", "PUT", NEW_GROUP + "?" + RG_V, "text/plain",
                "{\"location\":\"westus\"}", 415, "UnsupportedMediaType"));
        cases.add(send("a Content-Type that is no media type", "PUT", NEW_GROUP + "?" + RG_V, "@@@",
                "{\"location\":\"westus\"}", 415, "UnsupportedMediaType"));
        cases.add(send("a group body that is not JSON", "PUT", NEW_GROUP + "?" + RG_V, JSON, "{\"location\":", 400, null));
        cases.add(send("a group body that is an array", "PUT", NEW_GROUP + "?" + RG_V, JSON, "[1,2]", 400, null));
        cases.add(send("a group location that is a number out of range", "PUT", NEW_GROUP + "?" + RG_V, JSON,
                "{\"location\":1e400}", 400, null));
        cases.add(send("a group body nested 5000 deep", "PUT", NEW_GROUP + "?" + RG_V, JSON,
                "{\"location\":\"westus\",\"tags\":" + "[".repeat(5000) + "]".repeat(5000) + "}", 400, null));
        cases.add(send("a group location of 5000 characters", "PUT", NEW_GROUP + "?" + RG_V, JSON,
                "{\"location\":\"" + "w".repeat(5000) + "\"}", 400, null));
        cases.add(send("a group location with a control character", "PUT", NEW_GROUP + "?" + RG_V, JSON,
                "{\"location\":\"west\\u0001us\"}", 400, null));
        cases.add(send("a group body that is not UTF-8", "PUT", NEW_GROUP + "?" + RG_V, JSON,
                "{\"location\":\"west\u00ffus\"}", 400, null)); // sent as ISO-8859-1 below
        cases.add(send("tags that are a string", "PUT", NEW_GROUP + "?" + RG_V, JSON,
                "{\"location\":\"westus\",\"tags\":\"x\"}", 400, null));
        cases.add(send("a patch that is not JSON", "PATCH", GROUP + "?" + RG_V, JSON, "{\"tags\":", 400, null));
        cases.add(send("a patch whose tags are a number", "PATCH", GROUP + "?" + RG_V, JSON, "{\"tags\":5}", 400, null));
        cases.add(send("a role assignment that is not JSON", "PUT", ROLE, JSON, "{\"properties\":", 400, null));
        cases.add(send("a role assignment whose role is a number", "PUT", ROLE, JSON,
                "{\"properties\":{\"roleDefinitionId\":5,\"principalId\":\"" + UUID.randomUUID() + "\"}}", 400, null));
        cases.add(send("a role assignment whose principal is no GUID", "PUT", ROLE, JSON,
                "{\"properties\":{\"roleDefinitionId\":\"/providers/Microsoft.Authorization/roleDefinitions/"
                        + "acdd72a7-3385-48ef-bd42-f606fba81ae7\",\"principalId\":\"not-a-guid\"}}", 400, null));
        cases.add(send("an operator subscription body that is not JSON", "PUT", "/cirrus/subscriptions/"
                + "3f0e2d1c-4b5a-4c6d-8e7f-9a0b1c2d3e4f", JSON, "{\"displayName\":", 400, null));
        cases.add(send("a service principal body that is not JSON", "POST", "/cirrus/servicePrincipals", JSON,
                "{\"displayName\":", 400, null));
        // the token endpoints answer in Entra ID's shape
        cases.add(send("a token request with a malformed escape", "POST", "/{tenant}/oauth2/v2.0/token",
                "application/x-www-form-urlencoded", "grant_type=client_credentials&client_id=%ZZ", 400, null));
        cases.add(send("a token request that is not UTF-8", "POST", "/{tenant}/oauth2/v2.0/token",
                "application/x-www-form-urlencoded", "grant_type=client_credentials&client_id=%FF", 400, null));
        cases.add(send("a token request as JSON", "POST", "/{tenant}/oauth2/v2.0/token", JSON,
                "{\"grant_type\":\"client_credentials\"}", 400, null));
        return cases.stream().map(Arguments::of);
    }

    @BeforeEach
    void signedIn() {
        if (admin == null || admin.port() != port) {
            admin = Gateway.admin(port, data);
            sub = admin.newSubscription();
            tenant = Gateway.json(admin.get("/subscriptions/" + sub + "?" + RG_V)).path("tenantId").asString();
            assertThat(admin.put("/subscriptions/" + sub + "/resourcegroups/bad-input-rg?" + RG_V,
                    "{\"location\":\"westus\",\"tags\":{\"kept\":\"yes\"}}").statusCode()).isEqualTo(201);
        }
        services.reset();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aRequestThatIsNotWellFormedIsA4xxWithAnErrorBodyAndChangesNothing(Case c) {
        String group = admin.get("/subscriptions/" + sub + "/resourcegroups/bad-input-rg?" + RG_V).body();

        Answer answer = exchange(c);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(c.status());
        JsonNode error = Gateway.JSON.readTree(answer.body()).path("error");
        if (c.target().contains("/oauth2/") && error.isString()) { // Entra ID: {"error":"invalid_request",…}
            if (c.code() != null) {
                assertThat(error.asString()).isEqualTo(c.code());
            }
        } else {
            assertThat(error.path("code").asString()).as(answer.toString()).isNotBlank();
            assertThat(error.path("message").asString()).as(answer.toString()).isNotBlank();
            if (c.code() != null) {
                assertThat(error.path("code").asString()).as(answer.toString()).isEqualTo(c.code());
            }
        }
        assertThat(answer.headers().toLowerCase(Locale.ROOT)).contains("content-type: application/json");
        assertThat(services.received()).isEmpty();
        assertThat(admin.get("/subscriptions/" + sub + "/resourcegroups/bad-input-rg?" + RG_V).body()).isEqualTo(group);
        assertThat(admin.get("/subscriptions/" + sub + "/resourcegroups/never-created?" + RG_V).statusCode()).isEqualTo(404);
        assertThat(admin.get("/subscriptions/3f0e2d1c-4b5a-4c6d-8e7f-9a0b1c2d3e4f?" + RG_V).statusCode()).isEqualTo(404);
    }

    record Answer(int status, String headers, String body) {
    }

    private Answer exchange(Case c) {
        String target = c.target().replace("{sub}", sub).replace("{rg}", "bad-input-rg").replace("{tenant}", tenant);
        boolean nonUtf8 = c.name().contains("not UTF-8") && c.body() != null && !c.target().contains("oauth2");
        byte[] body = c.body() == null ? null
                : c.body().getBytes(nonUtf8 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(c.method()).append(' ').append(target).append(" HTTP/1.1\r\n");
        boolean host = c.headers().stream().anyMatch(h -> h.regionMatches(true, 0, "Host:", 0, 5));
        boolean length = c.headers().stream().anyMatch(h -> h.regionMatches(true, 0, "Content-Length:", 0, 15));
        if (!host) {
            head.append("Host: 127.0.0.1:").append(port).append("\r\n");
        }
        if (!target.contains("/oauth2/") && !target.startsWith("/functions/")) {
            head.append("Authorization: Bearer ").append(admin.token()).append("\r\n");
        }
        c.headers().forEach(h -> head.append(h).append("\r\n"));
        if (body != null && !length) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            try {
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
            } catch (SocketException e) {
                // the gateway answered and closed before the whole request was written: read its answer
            }
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            try {
                in.transferTo(raw);
            } catch (SocketException e) {
                // a reset after the answer
            }
            String text = raw.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            assertThat(end).as("an answer to " + c + ": " + text).isPositive();
            String headers = text.substring(0, end);
            String rest = text.substring(end + 4);
            if (headers.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                rest = dechunk(rest);
            }
            return new Answer(Integer.parseInt(headers.split(" ")[1]), headers, rest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].strip(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
