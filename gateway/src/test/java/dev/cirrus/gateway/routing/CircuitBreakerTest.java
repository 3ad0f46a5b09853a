package dev.cirrus.gateway.routing;

import static dev.cirrus.gateway.support.Gateway.errorCode;
import static dev.cirrus.gateway.support.Gateway.errorMessage;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** One circuit breaker per service: a service that keeps failing is left alone for a while, the others are not. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CircuitBreakerTest {

    static final String SUB = "7d1e0c55-94b1-4c3e-9a51-3f0e0f9d2b11";
    static final String QUERY = "/subscriptions/" + SUB + "/providers/Microsoft.CostManagement/query?api-version=2023-03-01";

    static final FakeService healthy = FakeService.start();
    static final int billingPort = FakeService.freePort();
    static FakeService billingBackLater;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_breaker");
        for (String module : new String[] {"compute-vm", "compute-container", "app-service", "serverless"}) {
            registry.add("cirrus.gateway.services." + module, () -> healthy.url().toString());
        }
        registry.add("cirrus.gateway.services.billing", () -> "http://127.0.0.1:" + billingPort);
        registry.add("resilience4j.circuitbreaker.configs.default.sliding-window-size", () -> "4");
        registry.add("resilience4j.circuitbreaker.configs.default.minimum-number-of-calls", () -> "2");
        registry.add("resilience4j.circuitbreaker.configs.default.wait-duration-in-open-state", () -> "60s");
    }

    @AfterAll
    static void stopServices() {
        healthy.close();
        if (billingBackLater != null) {
            billingBackLater.close();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    @Test
    void aServiceThatKeepsFailingIsNotCalledUntilItsBreakerMayCloseAndTheOthersAreUnaffected() {
        Gateway gateway = Gateway.admin(port, data);
        gateway.subscription(SUB);
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> refused = gateway.send("POST", QUERY, "{}");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isEmpty();
        }

        HttpResponse<String> open = gateway.send("POST", QUERY, "{}");
        assertThat(open.statusCode()).isEqualTo(503);
        assertThat(errorCode(open)).isEqualTo("ServiceUnavailable");
        assertThat(errorMessage(open)).isEqualTo("The service 'billing' is unavailable. Retry the request later.");
        assertThat(open.headers().firstValue("Retry-After")).hasValue("60");

        billingBackLater = FakeService.startOn(billingPort);
        HttpResponse<String> stillOpen = gateway.send("POST", QUERY, "{}");
        assertThat(stillOpen.statusCode()).isEqualTo(503);
        assertThat(billingBackLater.received()).isEmpty();

        HttpResponse<String> other = gateway.get("/subscriptions/" + SUB
                + "/providers/Microsoft.Compute/virtualMachines?api-version=2024-07-01");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(healthy.received()).hasSize(1);
    }
}
