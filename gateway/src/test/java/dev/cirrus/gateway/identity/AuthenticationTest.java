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
import java.util.List;
import java.util.UUID;
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

    Directory.Principal admin() {
        return directory.principalByAppId(credentials.path("clientId").asString()).orElseThrow();
    }

    String issuer() {
        return "http://127.0.0.1:" + port + "/" + tenant() + "/v2.0";
    }

    /** A token signed with the gateway's real signing key, with the given claims. */
    String crafted(Directory.Principal principal, String audience, String issuer, Instant issuedAt) {
        return tokens.issue(principal, audience, issuer, issuedAt, Duration.ofHours(1), "2.0").token();
    }

    HttpResponse<String> groupsWith(String token) {
        return anonymous.get(groups(), "Authorization", "Bearer " + token);
    }

    static void assertChallenged(HttpResponse<String> response, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(errorCode(response)).isEqualTo(code);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("Bearer authorization_uri=\"").contains("error=\"invalid_token\"")
                .contains("error_description=\"");
    }

    @Test
    void aCraftedTokenWithEveryClaimRightIsAccepted() {
        assertThat(groupsWith(crafted(admin(), "https://management.azure.com/", issuer(), Instant.now()))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiredTokenIsExpiredAuthenticationToken() {
        String expired = crafted(admin(), "https://management.azure.com/", issuer(),
                Instant.now().minus(Duration.ofHours(2)));

        HttpResponse<String> response = groupsWith(expired);

        assertChallenged(response, "ExpiredAuthenticationToken");
        assertThat(errorMessage(response)).startsWith("The access token expiry UTC time '")
                .contains("' is earlier than current UTC time '");
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error_description=\"The access token expiry UTC time");
    }

    @Test
    void aTokenExpiredOrNotYetValidByLessThanFiveMinutesIsAcceptedForClocksThatDisagreeALittle() {
        String justExpired = crafted(admin(), "https://management.azure.com/", issuer(),
                Instant.now().minus(Duration.ofHours(1)).minus(Duration.ofMinutes(3)));
        String almostValid = crafted(admin(), "https://management.azure.com/", issuer(),
                Instant.now().plus(Duration.ofMinutes(3)));

        assertThat(groupsWith(justExpired).statusCode()).isEqualTo(200);
        assertThat(groupsWith(almostValid).statusCode()).isEqualTo(200);
    }

    @Test
    void aTokenNotValidYetIsInvalidAuthenticationToken() {
        String later = crafted(admin(), "https://management.azure.com/", issuer(),
                Instant.now().plus(Duration.ofMinutes(10)));

        HttpResponse<String> response = groupsWith(later);

        assertChallenged(response, "InvalidAuthenticationToken");
        assertThat(errorMessage(response)).startsWith("The access token is not valid before UTC time '");
    }

    @Test
    void aTokenForAnotherAudienceIsInvalidAuthenticationTokenAudience() {
        HttpResponse<String> response = groupsWith(crafted(admin(), "https://graph.microsoft.com/", issuer(),
                Instant.now()));

        assertChallenged(response, "InvalidAuthenticationTokenAudience");
        assertThat(errorMessage(response)).startsWith("The access token has been obtained for wrong audience or "
                + "resource 'https://graph.microsoft.com/'.");
    }

    static Stream<Arguments> foreignIssuers() {
        return Stream.of(
                Arguments.of("Entra ID's public cloud", "https://login.microsoftonline.com/{tenant}/v2.0"),
                Arguments.of("the v1 issuer of Entra ID", "https://sts.windows.net/{tenant}/"),
                Arguments.of("another host with the gateway's paths", "https://evil.example/{tenant}/v2.0"),
                Arguments.of("the gateway naming another tenant",
                        "http://127.0.0.1:{port}/00000000-0000-0000-0000-00000000000a/v2.0"),
                Arguments.of("the gateway with another path", "http://127.0.0.1:{port}/{tenant}/v3"),
                Arguments.of("not a URL", "cirrus"),
                Arguments.of("an AD FS authority elsewhere", "https://adfs.example/adfs"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreignIssuers")
    void aTokenSignedWithTheRealKeyButFromAnotherIssuerIsInvalidAuthenticationToken(String description,
                                                                                    String issuer) {
        String token = crafted(admin(), "https://management.azure.com/", issuer.replace("{tenant}", tenant())
                .replace("{port}", String.valueOf(port)), Instant.now());

        HttpResponse<String> response = groupsWith(token);

        assertChallenged(response, "InvalidAuthenticationToken");
        assertThat(errorMessage(response)).startsWith("The access token is from an invalid issuer '");
    }

    @Test
    void theIssuersOfEveryTokenEndpointAreAcceptedOnEitherOfTheGatewaysHosts() {
        for (String issuer : List.of("http://127.0.0.1:" + port + "/" + tenant() + "/",
                "http://localhost:" + port + "/" + tenant() + "/v2.0", "https://localhost:8443/adfs")) {
            assertThat(groupsWith(crafted(admin(), "https://management.azure.com/", issuer, Instant.now()))
                    .statusCode()).as(issuer).isEqualTo(200);
        }
    }

    @Test
    void aTokenOfATenantTheDirectoryDoesNotKnowIsInvalidAuthenticationTokenTenant() {
        String unknownTenant = UUID.randomUUID().toString();
        Directory.Principal stranger = new Directory.Principal(UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), unknownTenant, "stranger");

        HttpResponse<String> response = groupsWith(crafted(stranger, "https://management.azure.com/",
                "http://127.0.0.1:" + port + "/" + unknownTenant + "/v2.0", Instant.now()));

        assertChallenged(response, "InvalidAuthenticationTokenTenant");
        assertThat(errorMessage(response)).contains(unknownTenant);
    }

    @Test
    void aTokenOfAnotherTenantThanTheSubscriptionsIsInvalidAuthenticationTokenTenant() {
        String otherTenant = UUID.randomUUID().toString();
        directory.ensureTenant(otherTenant, "other", Instant.now());
        Directory.Principal outsider = new Directory.Principal(UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), otherTenant, "outsider");

        HttpResponse<String> response = groupsWith(crafted(outsider, "https://management.azure.com/",
                "http://127.0.0.1:" + port + "/" + otherTenant + "/v2.0", Instant.now()));

        assertChallenged(response, "InvalidAuthenticationTokenTenant");
        assertThat(errorMessage(response)).contains(tenant());
    }

    @Test
    void theAdfsAuthorityPublishesItsConfigurationWithAdfsPaths() {
        HttpResponse<String> oidc = anonymous.get("/adfs/.well-known/openid-configuration");

        assertThat(oidc.statusCode()).isEqualTo(200);
        String base = "http://127.0.0.1:" + port;
        assertThat(json(oidc).path("token_endpoint").asString()).isEqualTo(base + "/adfs/oauth2/token");
        assertThat(json(oidc).path("authorization_endpoint").asString()).isEqualTo(base + "/adfs/oauth2/authorize");
        assertThat(json(oidc).path("issuer").asString()).isEqualTo(base + "/adfs");
        HttpResponse<String> keys = anonymous.get(json(oidc).path("jwks_uri").asString().substring(base.length()));
        assertThat(json(keys).path("keys").get(0).path("kty").asString()).isEqualTo("RSA");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adfsResources")
    void theAdfsTokenEndpointTakesTheResourceAsScopeOrAsResource(String parameter, String value, String audience) {
        HttpResponse<String> token = anonymous.send("POST", "/adfs/oauth2/token",
                form("grant_type", "client_credentials", "client_id", credentials.path("clientId").asString(),
                        "client_secret", credentials.path("clientSecret").asString(), parameter, value),
                "Content-Type", FORM);

        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        JsonNode claims = claims(json(token).path("access_token").asString());
        assertThat(claims.path("aud").asString()).isEqualTo(audience);
        assertThat(claims.path("iss").asString()).isEqualTo("http://127.0.0.1:" + port + "/adfs");
        assertThat(claims.path("tid").asString()).isEqualTo(tenant());
        assertThat(groupsWith(json(token).path("access_token").asString()).statusCode()).isEqualTo(200);
    }

    static Stream<Arguments> adfsResources() {
        return Stream.of(
                Arguments.of("scope", "https://localhost:8443//.default", "https://localhost:8443/"),
                Arguments.of("scope", "https://management.core.windows.net//.default",
                        "https://management.core.windows.net/"),
                Arguments.of("scope", "https://management.azure.com/.default openid profile offline_access",
                        "https://management.azure.com/"),
                Arguments.of("resource", "https://localhost:8443/", "https://localhost:8443/"));
    }

    @Test
    void theAdfsTokenEndpointRefusesARequestWithoutResourceOrScopeAndAWrongSecret() {
        HttpResponse<String> neither = anonymous.send("POST", "/adfs/oauth2/token",
                form("grant_type", "client_credentials", "client_id", credentials.path("clientId").asString(),
                        "client_secret", credentials.path("clientSecret").asString()), "Content-Type", FORM);
        assertThat(neither.statusCode()).isEqualTo(400);
        assertThat(json(neither).path("error_description").asString()).startsWith("AADSTS900144: ");

        HttpResponse<String> wrongSecret = anonymous.send("POST", "/adfs/oauth2/token",
                form("grant_type", "client_credentials", "client_id", credentials.path("clientId").asString(),
                        "client_secret", "wrong", "scope", "https://localhost:8443//.default"),
                "Content-Type", FORM);
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(json(wrongSecret).path("error").asString()).isEqualTo("invalid_client");

        HttpResponse<String> graph = anonymous.send("POST", "/adfs/oauth2/token",
                form("grant_type", "client_credentials", "client_id", credentials.path("clientId").asString(),
                        "client_secret", credentials.path("clientSecret").asString(),
                        "resource", "https://graph.microsoft.com/"), "Content-Type", FORM);
        assertThat(graph.statusCode()).isEqualTo(400);
        assertThat(json(graph).path("error").asString()).isEqualTo("invalid_resource");
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
