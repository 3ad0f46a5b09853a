package dev.cirrus.computevm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

/**
 * Behind the gateway only the gateway and the services may call (plumbing's ServiceCredentialFilter): a direct call
 * without the platform's service credential is refused before it changes anything. Shares the module's context.
 */
class ServiceTrustTest extends ComputeVmTestSupport {

    private final HttpClient stranger = HttpClient.newHttpClient();
    private final String sub = newSubscription();

    private HttpResponse<String> direct(String method, String path, String body) throws Exception {
        return stranger.send(HttpRequest.newBuilder(URI.create(url(withApi(path))))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aDirectCallWithoutTheServiceCredentialIsA401AndChangesNothing() throws Exception {
        String path = vmPath(sub, "rg", "direct");

        HttpResponse<String> put = direct("PUT", path, vmBody("Standard_D2s_v5"));
        assertThat(put.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(put.body()).at("/error/code").asString()).isEqualTo("AuthenticationFailed");
        assertThat(direct("GET", path, null).statusCode()).isEqualTo(401);
        assertThat(direct("GET", "/actuator/info", null).statusCode()).isEqualTo(401);

        assertThat(get(path).statusCode()).isEqualTo(404);
    }

    @Test
    void theSameCallWithTheCredentialPassesAndTheProbesNeedNone() throws Exception {
        String path = vmPath(sub, "rg", "trusted");

        assertThat(putVm(path, vmBody("Standard_D2s_v5")).statusCode()).isEqualTo(201);
        assertThat(get(path).statusCode()).isEqualTo(200);
        assertThat(direct("GET", "/actuator/health/readiness", null).statusCode()).isEqualTo(200);
    }
}
