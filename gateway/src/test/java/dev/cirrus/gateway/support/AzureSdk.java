package dev.cirrus.gateway.support;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.resourcemanager.AzureResourceManager;
import dev.cirrus.gateway.identity.GatewayData;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import tools.jackson.databind.JsonNode;

/**
 * The official Azure SDK for Java pointed at a test's gateway over HTTPS, configured as a user configures it for a
 * private cloud: the endpoints (resource manager and authority = the gateway) and trust of the gateway's certificate;
 * signed in as the administrator of the gateway's data folder, on its default subscription.
 */
public final class AzureSdk {

    private AzureSdk() {
    }

    public static AzureResourceManager signedIn(GatewayData data, int httpsPort) {
        try {
            JsonNode credentials = Gateway.JSON.readTree(Files.readString(data.credentialsFile()));
            String gateway = "https://localhost:" + httpsPort + "/";
            HttpClient http = httpClient(data);
            AzureEnvironment cirrus = new AzureEnvironment(Map.of(
                    "resourceManagerEndpointUrl", gateway,
                    "managementEndpointUrl", gateway,
                    "activeDirectoryEndpointUrl", gateway,
                    "activeDirectoryResourceId", gateway,
                    "microsoftGraphResourceId", "https://graph.microsoft.com/"));
            AzureProfile profile = new AzureProfile(credentials.path("tenantId").asString(),
                    credentials.path("subscriptionId").asString(), cirrus);
            TokenCredential credential = new ClientSecretCredentialBuilder()
                    .authorityHost(gateway)
                    .disableInstanceDiscovery()
                    .tenantId(credentials.path("tenantId").asString())
                    .clientId(credentials.path("clientId").asString())
                    .clientSecret(credentials.path("clientSecret").asString())
                    .httpClient(http)
                    .build();
            return AzureResourceManager.configure().withHttpClient(http).authenticate(credential, profile)
                    .withDefaultSubscription();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the gateway's credentials in " + data.dataDir(), e);
        }
    }

    /** The HTTP client of the SDK: Netty trusting the gateway's certificate. */
    public static HttpClient httpClient(GatewayData data) {
        try {
            SslContext trust = SslContextBuilder.forClient()
                    .trustManager(data.dataDir().resolve("tls/gateway.crt.pem").toFile()).build();
            return new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
                    .secure(tls -> tls.sslContext(trust))).build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A bearer token of the data folder's administrator for the gateway at {@code httpsPort}. */
    public static String token(GatewayData data, int httpsPort) {
        try {
            JsonNode credentials = Gateway.JSON.readTree(Files.readString(data.credentialsFile()));
            String gateway = "https://localhost:" + httpsPort + "/";
            return new ClientSecretCredentialBuilder().authorityHost(gateway).disableInstanceDiscovery()
                    .tenantId(credentials.path("tenantId").asString())
                    .clientId(credentials.path("clientId").asString())
                    .clientSecret(credentials.path("clientSecret").asString()).httpClient(httpClient(data)).build()
                    .getTokenSync(new com.azure.core.credential.TokenRequestContext().addScopes(gateway + ".default"))
                    .getToken();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The default subscription of the gateway's data folder (credentials.json). */
    public static String subscription(GatewayData data) {
        try {
            return Gateway.JSON.readTree(Files.readString(data.credentialsFile())).path("subscriptionId").asString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
