package dev.cirrus.serverless;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.cirrus.serverless.support.EndToEndTest;
import org.junit.jupiter.api.Test;

/**
 * Behind the gateway only the gateway and the services may call (plumbing's ServiceCredentialFilter): the host keys
 * of a function app are not handed to a direct caller. Shares the end-to-end tests' context.
 */
class ServiceTrustTest extends EndToEndTest {

    private final HttpClient stranger = HttpClient.newHttpClient();

    @Test
    void aDirectListKeysWithoutTheServiceCredentialIsA401WithoutAnyKey() throws Exception {
        String app = createApp(unique("trust"));

        HttpResponse<String> refused = stranger.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + site(app) + "/host/default/listkeys" + API)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(refused.body()).at("/error/code").asString()).isEqualTo("AuthenticationFailed");
        assertThat(refused.body()).doesNotContain("masterKey");
    }

    @Test
    void theSameCallWithTheCredentialAnswersTheKeys() throws Exception {
        String app = createApp(unique("trusted"));

        HttpResponse<String> keys = send("POST", site(app) + "/host/default/listkeys" + API, null);

        assertThat(keys.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(keys.body()).get("masterKey").asString()).isNotBlank();
    }

    @Test
    void aFunctionsHttpTriggerCalledDirectlyIsRefusedToo() throws Exception {
        HttpResponse<String> refused = stranger.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/functions/any-app/api/hello")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(401);
    }
}
