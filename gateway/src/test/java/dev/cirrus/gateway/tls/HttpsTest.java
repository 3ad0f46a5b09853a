package dev.cirrus.gateway.tls;

import static dev.cirrus.gateway.support.Gateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The TLS listener beside the plain one, with the certificate generated on first start. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HttpsTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_tls");
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    @Autowired
    HttpsListener https;

    @Test
    void theFirstStartWritesTheCertificateAsPemAndPkcs12ForLocalhost() throws Exception {
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(data.dataDir().resolve("tls/gateway.crt.pem"))) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertThat(cert.getSubjectX500Principal().getName()).contains("CN=localhost");
        assertThat(cert.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList())
                .contains("localhost", "127.0.0.1");
        assertThat(data.dataDir().resolve("tls/gateway.key.pem")).exists();
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(data.dataDir().resolve("tls/gateway.p12"))) {
            p12.load(in, "changeit".toCharArray());
        }
        assertThat(p12.isKeyEntry("gateway")).isTrue();
    }

    @Test
    void aClientThatTrustsTheCertificateCallsTheGatewayOverHttpsAndSeesHttpsUrls() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trusting()).connectTimeout(Duration.ofSeconds(5)).build();
        String token = Gateway.admin(port, data).token();
        String sub = Gateway.admin(port, data).newSubscription();

        for (String host : List.of("localhost", "127.0.0.1")) {
            HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create("https://" + host + ":"
                            + https.port() + "/subscriptions/" + sub + "/resourcegroups/tls-" + host.replace('.', '-')
                            + "?api-version=2021-04-01"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"location\":\"westus\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(host).isEqualTo(201);
            HttpResponse<String> deleted = client.send(HttpRequest.newBuilder(URI.create("https://" + host + ":"
                            + https.port() + "/subscriptions/" + sub + "/resourcegroups/tls-" + host.replace('.', '-')
                            + "?api-version=2021-04-01"))
                    .header("Authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(deleted.headers().firstValue("Location").orElseThrow())
                    .startsWith("https://" + host + ":" + https.port() + "/subscriptions/" + sub + "/operationresults/");
        }
        HttpResponse<String> discovery = client.send(HttpRequest.newBuilder(URI.create("https://localhost:"
                + https.port() + "/" + Gateway.JSON.readTree(Files.readString(data.credentialsFile())).path("tenantId").asString()
                + "/v2.0/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(json(discovery).path("token_endpoint").asString()).startsWith("https://localhost:" + https.port() + "/");
    }

    @Test
    void aMalformedRequestOverHttpsIsAnArmErrorToo() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trusting()).connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://localhost:"
                + https.port() + "/subscriptions?api-version=2022-12-01&x=%FF")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").path("code").asString()).isEqualTo("InvalidRequestUri");
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + https.port()
                + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void thePlainHttpPortKeepsWorking() {
        assertThat(new Gateway(port).get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(https.port()).isNotEqualTo(port);
    }

    private SSLContext trusting() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(data.dataDir().resolve("tls/truststore.p12"))) {
            trust.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }
}
