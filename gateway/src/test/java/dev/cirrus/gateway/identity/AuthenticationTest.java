package dev.cirrus.gateway.identity;

import static dev.cirrus.gateway.support.Gateway.errorCode;
import static dev.cirrus.gateway.support.Gateway.errorMessage;
import static dev.cirrus.gateway.support.Gateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.stream.Stream;

import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** First start, the token endpoints as the Azure SDK credentials call them, and ARM's 401s. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuthenticationTest {

    static final String V = "?api-version=2021-04-01";
    static final String FORM = "application/x-www-form-urlencoded";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_authn");
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    @Autowired
    AccessTokens tokens;

    @Autowired
    Directory directory;

    Gateway anonymous;
    JsonNode credentials;

    @BeforeEach
    void readCredentials() throws Exception {
        anonymous = new Gateway(port);
        credentials = Gateway.JSON.readTree(Files.readString(data.credentialsFile()));
    }

    String tenant() {
        return credentials.path("tenantId").asString();
    }

    String groups() {
        return "/subscriptions/" + credentials.path("subscriptionId").asString() + "/resourcegroups" + V;
    }

    String form(String... pairs) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            form.append(form.isEmpty() ? "" : "&").append(pairs[i]).append('=')
                    .append(java.net.URLEncoder.encode(pairs[i + 1], java.nio.charset.StandardCharsets.UTF_8));
        }
        return form.toString();
    }

    @Test
    void theFirstStartWritesTheAdministratorsCredentialsWithATokenUrlThatWorks() throws Exception {
        assertThat(credentials.path("tenantId").asString()).matches("[0-9a-f-]{36}");
        assertThat(credentials.path("subscriptionId").asString()).matches("[0-9a-f-]{36}");
        assertThat(credentials.path("clientId").asString()).matches("[0-9a-f-]{36}");
        assertThat(credentials.path("clientSecret").asString()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(credentials.path("tokenUrl").asString())
                .isEqualTo("http://127.0.0.1:" + port + "/" + tenant() + "/oauth2/v2.0/token");
        assertThat(Files.list(data.dataDir().resolve("keys")).count()).isPositive();

        HttpResponse<String> token = anonymous.send("POST", "/" + tenant() + "/oauth2/v2.0/token",
                form("grant_type", "client_credentials", "client_id", credentials.path("clientId").asString(),
                        "client_secret", credentials.path("clientSecret").asString(),
                        "scope", "https://management.azure.com/.default"), "Content-Type", FORM);

        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(json(token).path("token_type").asString()).isEqualTo("Bearer");
        assertThat(json(token).path("expires_in").asLong()).isEqualTo(3600);
        JsonNode claims = claims(json(token).path("access_token").asString());
        assertThat(claims.path("tid").asString()).isEqualTo(tenant());
        assertThat(claims.path("appid").asString()).isEqualTo(credentials.path("clientId").asString());
        assertThat(claims.path("oid").asString()).matches("[0-9a-f-]{36}");
        assertThat(claims.path("aud").asString()).isEqualTo("https://management.azure.com/");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(3600);

        HttpResponse<String> list = anonymous.get(groups(), "Authorization",
                "Bearer " + json(token).path("access_token").asString());
        assertThat(list.statusCode()).isEqualTo(200);
    }

    @Test
    void theV1EndpointIssuesATokenForAResource() {
        HttpResponse<String> token = anonymous.send("POST", "/" + tenant() + "/oauth2/token",
                form("grant_type", "client_credentials", "client_id", credentials.path("clientId").asString(),
                        "client_secret", credentials.path("clientSecret").asString(),
                        "resource", "https://management.core.windows.net/"), "Content-Type", FORM);

        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(json(token).path("resource").asString()).isEqualTo("https://management.core.windows.net/");
        assertThat(json(token).path("expires_on").asString()).matches("\\d+");
        assertThat(anonymous.get(groups(), "Authorization", "Bearer " + json(token).path("access_token").asString())
                .statusCode()).isEqualTo(200);
    }

    @Test
    void aTokenForTheGatewaysOwnAddressIsAcceptedAsTheJavaSdkAsksForIt() {
        HttpResponse<String> token = anonymous.send("POST", "/" + tenant() + "/oauth2/v2.0/token",
                form("grant_type", "client_credentials", "client_id", credentials.path("clientId").asString(),
                        "client_secret", credentials.path("clientSecret").asString(),
                        "scope", "https://localhost:8443/.default"), "Content-Type", FORM);

        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(anonymous.get(groups(), "Authorization", "Bearer " + json(token).path("access_token").asString())
                .statusCode()).isEqualTo(200);
    }

    static Stream<Arguments> badTokenRequests() {
        return Stream.of(
                Arguments.of("a wrong secret", "secret", "wrong", 401, "invalid_client", "AADSTS7000215"),
                Arguments.of("an unknown client", "client", "00000000-0000-0000-0000-000000000001", 400,
                        "unauthorized_client", "AADSTS700016"),
                Arguments.of("an unknown tenant", "tenant", "00000000-0000-0000-0000-000000000002", 400,
                        "invalid_request", "AADSTS90002"),
                Arguments.of("a scope of another service", "scope", "https://graph.microsoft.com/.default", 400,
                        "invalid_scope", "AADSTS70011"),
                Arguments.of("another grant", "grant", "password", 400, "unsupported_grant_type", "AADSTS70003"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokenRequests")
    void aTokenRequestThatCannotBeGrantedGetsEntraIdsError(String description, String change, String value,
                                                           int status, String error, String aadsts) {
        String tenant = change.equals("tenant") ? value : tenant();
        HttpResponse<String> response = anonymous.send("POST", "/" + tenant + "/oauth2/v2.0/token",
                form("grant_type", change.equals("grant") ? value : "client_credentials",
                        "client_id", change.equals("client") ? value : credentials.path("clientId").asString(),
                        "client_secret", change.equals("secret") ? value : credentials.path("clientSecret").asString(),
                        "scope", change.equals("scope") ? value : "https://management.azure.com/.default"),
                "Content-Type", FORM);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(json(response).path("error").asString()).isEqualTo(error);
        assertThat(json(response).path("error_description").asString()).startsWith(aadsts + ": ");
    }

    @Test
    void noAuthorizationHeaderIsAuthenticationFailed() {
        HttpResponse<String> response = anonymous.get(groups());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(errorCode(response)).isEqualTo("AuthenticationFailed");
        assertThat(errorMessage(response)).isEqualTo("Authentication failed. The 'Authorization' header is missing.");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer authorization_uri=\"http://127.0.0.1:"
                + port + "/\", error=\"invalid_token\", error_description=\"The authentication failed because of "
                + "missing 'Authorization' header.\"");
        assertThat(response.headers().firstValue("x-ms-request-id")).isPresent();
    }

    static Stream<Arguments> badTokens() {
        return Stream.of(
                Arguments.of("garbage", "not-a-token"),
                Arguments.of("three garbage parts", "a.b.c"),
                Arguments.of("a token signed by another key",
                        "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsImtpZCI6Im5vbmUifQ.eyJhdWQiOiJ4In0.c2lnbmF0dXJl"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void aTokenThatIsNotOursIsInvalidAuthenticationToken(String description, String token) {
        HttpResponse<String> response = anonymous.get(groups(), "Authorization", "Bearer " + token);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(errorCode(response)).isEqualTo("InvalidAuthenticationToken");
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("Bearer authorization_uri=").contains("error=\"invalid_token\"");
    }

    @Test
    void aTamperedTokenIsInvalid() {
        String token = Gateway.admin(port, data).token();
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1])).replace(tenant(), java.util.UUID.randomUUID().toString());
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes())
                + "." + parts[2];

        assertThat(errorCode(anonymous.get(groups(), "Authorization", "Bearer " + tampered)))
                .isEqualTo("InvalidAuthenticationToken");
    }

    @Test
    void anExpiredTokenIsExpiredAuthenticationToken() {
        Directory.Principal admin = directory.principalByAppId(credentials.path("clientId").asString()).orElseThrow();
        Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2));
        String expired = tokens.issue(admin, "https://management.azure.com/", "test", twoHoursAgo, Duration.ofHours(1),
                "2.0").token();

        HttpResponse<String> response = anonymous.get(groups(), "Authorization", "Bearer " + expired);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(errorCode(response)).isEqualTo("ExpiredAuthenticationToken");
        assertThat(errorMessage(response)).startsWith("The access token expiry UTC time '")
                .contains("' is earlier than current UTC time '");
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error_description=\"The access token expiry UTC time");
    }

    @Test
    void aTokenForAnotherAudienceIsInvalid() {
        Directory.Principal admin = directory.principalByAppId(credentials.path("clientId").asString()).orElseThrow();
        String graph = tokens.issue(admin, "https://graph.microsoft.com/", "test", Instant.now(), Duration.ofHours(1),
                "2.0").token();

        assertThat(errorCode(anonymous.get(groups(), "Authorization", "Bearer " + graph)))
                .isEqualTo("InvalidAuthenticationToken");
    }

    @Test
    void rotatingTheSigningKeyKeepsIssuedTokensValidAndSignsNewOnesWithTheNewKey() throws Exception {
        Gateway before = Gateway.admin(port, data);

        HttpResponse<String> rotated = before.send("POST", "/cirrus/signingKeys", null);

        assertThat(rotated.statusCode()).isEqualTo(200);
        assertThat(Files.list(data.dataDir().resolve("keys")).count()).isGreaterThanOrEqualTo(2);
        assertThat(before.get(groups()).statusCode()).isEqualTo(200);
        Gateway after = Gateway.admin(port, data);
        assertThat(header(after.token()).path("kid").asString()).isEqualTo(json(rotated).path("kid").asString());
        assertThat(after.get(groups()).statusCode()).isEqualTo(200);
    }

    @Test
    void theDiscoveryDocumentsPointAtTheGateway() {
        HttpResponse<String> oidc = anonymous.get("/" + tenant() + "/v2.0/.well-known/openid-configuration");
        assertThat(oidc.statusCode()).isEqualTo(200);
        String base = "http://127.0.0.1:" + port;
        assertThat(json(oidc).path("token_endpoint").asString()).isEqualTo(base + "/" + tenant() + "/oauth2/v2.0/token");
        assertThat(json(oidc).path("issuer").asString()).isEqualTo(base + "/" + tenant() + "/v2.0");

        HttpResponse<String> instance = anonymous.get("/common/discovery/instance?api-version=1.1&authorization_endpoint="
                + base + "/" + tenant() + "/oauth2/v2.0/authorize");
        assertThat(json(instance).path("tenant_discovery_endpoint").asString())
                .isEqualTo(base + "/" + tenant() + "/v2.0/.well-known/openid-configuration");

        HttpResponse<String> keys = anonymous.get(json(oidc).path("jwks_uri").asString().substring(base.length()));
        assertThat(json(keys).path("keys").get(0).path("kty").asString()).isEqualTo("RSA");
    }

    static JsonNode claims(String token) {
        return Gateway.JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    static JsonNode header(String token) {
        return Gateway.JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[0]));
    }
}
