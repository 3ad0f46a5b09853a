package dev.cirrus.gateway.arm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;

import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.FakeService.Reply;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Behind a trusted proxy (here the test itself, on loopback: {@code cirrus.gateway.trusted-proxies=127.0.0.0/8}) the
 * proxy's Forwarded / X-Forwarded-* headers name the public URL and the client.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TrustedProxyTest {

    static final String V = "api-version=2024-07-01";
    static final String RG_VERSION = "api-version=2021-04-01";

    static final FakeService services = FakeService.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_trusted_proxy");
        for (String module : List.of("compute-vm", "compute-container", "app-service", "serverless", "billing")) {
            registry.add("cirrus.gateway.services." + module, () -> services.url().toString());
        }
        registry.add("cirrus.gateway.trusted-proxies", () -> "192.0.2.0/24,127.0.0.0/8,::1");
    }

    @AfterAll
    static void stop() {
        services.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    Gateway gateway;
    String sub;

    @BeforeEach
    void subscription() {
        gateway = Gateway.admin(port, data);
        sub = gateway.newSubscription();
        services.reset();
    }

    @Test
    void behindATrustedProxyTheServiceSeesThePublicAddressAndTheClient() {
        gateway.get("/subscriptions/" + sub + "/providers/Microsoft.Compute/virtualMachines?" + V,
                "X-Forwarded-Host", "cirrus.example.com", "X-Forwarded-Proto", "https", "X-Forwarded-Port", "443",
                "X-Forwarded-For", "203.0.113.7");

        FakeService.Received received = services.received().getFirst();
        assertThat(received.header("X-Forwarded-Host")).isEqualTo("cirrus.example.com");
        assertThat(received.header("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(received.header("X-Forwarded-Port")).isEqualTo("443");
        assertThat(received.header("X-Forwarded-For")).isEqualTo("203.0.113.7");
    }

    @Test
    void aTrustedProxysForwardedHeaderCountsTooAndIsNotPassedOn() {
        gateway.get("/subscriptions/" + sub + "/providers/Microsoft.Compute/virtualMachines?" + V,
                "Forwarded", "for=203.0.113.9;host=cirrus.example.com;proto=https");

        FakeService.Received received = services.received().getFirst();
        assertThat(received.header("X-Forwarded-Host")).isEqualTo("cirrus.example.com");
        assertThat(received.header("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(received.header("X-Forwarded-For")).isEqualTo("203.0.113.9");
        assertThat(received.header("Forwarded")).isNull();
    }

    @Test
    void theLocationOfAGroupDeletionNamesThePublicUrl() {
        String group = "/subscriptions/" + sub + "/resourcegroups/behind-a-proxy";
        assertThat(gateway.put(group + "?" + RG_VERSION, "{\"location\":\"westus\"}").statusCode()).isEqualTo(201);
        services.answer(r -> Reply.json(503, "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"down\"}}"));

        HttpResponse<String> deleted = gateway.send("DELETE", group + "?" + RG_VERSION, null,
                "X-Forwarded-Host", "cirrus.example.com", "X-Forwarded-Proto", "https");

        assertThat(deleted.statusCode()).isEqualTo(202);
        assertThat(deleted.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location)
                .startsWith("https://cirrus.example.com/subscriptions/" + sub + "/operationresults/"));
    }
}
