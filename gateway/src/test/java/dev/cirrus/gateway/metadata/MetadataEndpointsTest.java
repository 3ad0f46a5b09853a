package dev.cirrus.gateway.metadata;

import static dev.cirrus.gateway.support.Gateway.errorCode;
import static dev.cirrus.gateway.support.Gateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import dev.cirrus.gateway.tls.HttpsListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * ARM's {@code /metadata/endpoints}, and the sign-in a client builds from it alone, as the Azure CLI does after
 * {@code az cloud register --endpoint-resource-manager https://localhost:8443/}: the metadata names the AD FS style
 * authority and the audience, the authority's OpenID configuration names the token endpoint, which takes
 * {@code <audience>/.default}, and the token is accepted by ARM calls over HTTPS.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MetadataEndpointsTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_metadata");
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    @Autowired
    HttpsListener https;

    Gateway anonymous;
    HttpClient tls;

    @BeforeEach
    void clients() throws Exception {
        anonymous = new Gateway(port);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(data.dataDir().resolve("tls/truststore.p12"))) {
            trust.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        tls = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    String httpsBase() {
        return "https://localhost:" + https.port();
    }

    HttpResponse<String> overHttps(String method, String url, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return tls.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theLegacyShapeNamesTheGatewaysHttpsAddressAndItsAdfsAuthorityWithoutAToken() throws Exception {
        HttpResponse<String> response = overHttps("GET", httpsBase() + "/metadata/endpoints?api-version=2015-01-01",
                null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode doc = json(response);
        assertThat(doc.path("authentication").path("loginEndpoint").asString()).isEqualTo(httpsBase() + "/adfs");
        assertThat(doc.path("authentication").path("audiences").get(0).asString()).isEqualTo(httpsBase() + "/");
        assertThat(doc.path("graphEndpoint").asString()).isEqualTo(httpsBase() + "/");
        assertThat(doc.path("galleryEndpoint").asString()).isEqualTo(httpsBase() + "/");
        assertThat(doc.path("portalEndpoint").asString()).isEqualTo(httpsBase() + "/");
    }

    @Test
    void aRequestOverPlainHttpIsAnsweredWithTheHttpsListenersAddressOnTheSameHost() {
        HttpResponse<String> response = anonymous.get("/metadata/endpoints?api-version=2015-01-01");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("authentication").path("loginEndpoint").asString())
                .isEqualTo("https://127.0.0.1:" + https.port() + "/adfs");
    }

    @Test
    void theCloudShapeOf2022DescribesOneCloudWithAnAdfsIdentityProvider() throws Exception {
        HttpResponse<String> response = overHttps("GET", httpsBase() + "/metadata/endpoints?api-version=2022-09-01",
                null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode cloud = json(response);
        assertThat(cloud.path("name").asString()).isEqualTo("Cirrus");
        assertThat(cloud.path("resourceManager").asString()).isEqualTo(httpsBase() + "/");
        assertThat(cloud.path("authentication").path("loginEndpoint").asString()).isEqualTo(httpsBase() + "/adfs");
        assertThat(cloud.path("authentication").path("identityProvider").asString()).isEqualTo("ADFS");
        assertThat(cloud.path("authentication").path("tenant").asString()).isEqualTo("adfs");
        assertThat(cloud.path("authentication").path("audiences").get(0).asString()).isEqualTo(httpsBase() + "/");
        assertThat(cloud.path("graphAudience").asString()).isEqualTo(httpsBase() + "/");
        assertThat(cloud.path("suffixes").isObject()).isTrue();
    }

    @Test
    void theCloudListVersionsAnswerAListOfThatOneCloud() throws Exception {
        for (String version : new String[] {"2019-05-01", "2020-06-01"}) {
            HttpResponse<String> response = overHttps("GET", httpsBase() + "/metadata/endpoints?api-version="
                    + version, null);

            assertThat(response.statusCode()).as(version).isEqualTo(200);
            assertThat(json(response).isArray()).as(version).isTrue();
            assertThat(json(response).get(0).path("resourceManager").asString()).isEqualTo(httpsBase() + "/");
        }
    }

    @Test
    void theCliAppendingThePathToAUrlEndingInASlashIsServedToo() throws Exception {
        HttpResponse<String> response = overHttps("GET", httpsBase() + "//metadata/endpoints?api-version=2015-01-01",
                null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("authentication").path("loginEndpoint").asString())
                .isEqualTo(httpsBase() + "/adfs");
    }

    @Test
    void aMissingOrUnknownApiVersionIsRefusedAsArmRefusesIt() {
        HttpResponse<String> missing = anonymous.get("/metadata/endpoints");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(errorCode(missing)).isEqualTo("MissingApiVersionParameter");

        HttpResponse<String> unknown = anonymous.get("/metadata/endpoints?api-version=2016-01-01");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(errorCode(unknown)).isEqualTo("InvalidApiVersionParameter");
        assertThat(json(unknown).path("error").path("message").asString()).contains("2015-01-01", "2022-09-01");
    }

    @Test
    void aClientThatKnowsOnlyTheResourceManagerSignsInAndCallsArm() throws Exception {
        JsonNode credentials = Gateway.JSON.readTree(Files.readString(data.credentialsFile()));
        JsonNode metadata = json(overHttps("GET", httpsBase() + "/metadata/endpoints?api-version=2015-01-01", null));
        String authority = metadata.path("authentication").path("loginEndpoint").asString();
        String audience = metadata.path("authentication").path("audiences").get(0).asString();

        // what MSAL does for an authority ending in /adfs: no instance discovery, the authority's own configuration
        JsonNode configuration = json(overHttps("GET", authority + "/.well-known/openid-configuration", null));
        String tokenEndpoint = configuration.path("token_endpoint").asString();
        assertThat(tokenEndpoint).isEqualTo(httpsBase() + "/adfs/oauth2/token");
        assertThat(configuration.path("issuer").asString()).isEqualTo(httpsBase() + "/adfs");
        // the Azure CLI turns the audience into a scope by appending "/.default", so "…//.default"
        HttpResponse<String> token = overHttps("POST", tokenEndpoint, "grant_type=client_credentials&client_id="
                        + credentials.path("clientId").asString() + "&client_secret="
                        + URLEncoder.encode(credentials.path("clientSecret").asString(), StandardCharsets.UTF_8)
                        + "&scope=" + URLEncoder.encode(audience + "/.default", StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        String accessToken = json(token).path("access_token").asString();
        JsonNode claims = Gateway.JSON.readTree(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]));
        assertThat(claims.path("aud").asString()).isEqualTo(audience);
        assertThat(claims.path("iss").asString()).isEqualTo(httpsBase() + "/adfs");
        assertThat(claims.path("tid").asString()).isEqualTo(credentials.path("tenantId").asString());

        HttpResponse<String> subscriptions = overHttps("GET", metadataResourceManager(metadata)
                + "subscriptions?api-version=2016-06-01", null, "Authorization", "Bearer " + accessToken);
        assertThat(subscriptions.statusCode()).as(subscriptions.body()).isEqualTo(200);
        assertThat(json(subscriptions).path("value").get(0).path("subscriptionId").asString())
                .isEqualTo(credentials.path("subscriptionId").asString());
    }

    /** The legacy shape has no resource manager: the client already knows it (the URL it asked). */
    private String metadataResourceManager(JsonNode legacy) {
        return legacy.path("authentication").path("audiences").get(0).asString();
    }
}
