package dev.cirrus.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import dev.cirrus.testkit.ServiceCredentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every routed call carries the platform's service credential (the services refuse calls without it: plumbing's
 * ServiceCredentialFilter), and only the gateway's: a client's own header of that name never reaches a service.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServiceCredentialRoutingTest {

    static final String SUB = "5d0c2f7e-8a1b-4c3d-9e8f-7a6b5c4d3e2f";
    static final String VM = "/subscriptions/" + SUB + "/providers/Microsoft.Compute/virtualMachines?api-version=2024-07-01";

    static final FakeService computeVm = FakeService.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_service_credential");
        String unused = "http://127.0.0.1:" + FakeService.freePort();
        registry.add("cirrus.gateway.services.compute-vm", () -> computeVm.url().toString());
        registry.add("cirrus.gateway.services.compute-container", () -> unused);
        registry.add("cirrus.gateway.services.app-service", () -> unused);
        registry.add("cirrus.gateway.services.serverless", () -> unused);
        registry.add("cirrus.gateway.services.billing", () -> unused);
    }

    @AfterAll
    static void stop() {
        computeVm.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    Gateway gateway;

    @BeforeEach
    void admin() {
        gateway = Gateway.admin(port, data);
        gateway.subscription(SUB);
        computeVm.reset();
    }

    @Test
    void aRoutedCallCarriesThePlatformsServiceCredentialOnce() {
        HttpResponse<String> response = gateway.get(VM);

        assertThat(response.statusCode()).isEqualTo(200);
        FakeService.Received received = computeVm.received().getFirst();
        assertThat(received.headers().get(ServiceCredentials.HEADER.toLowerCase()))
                .containsExactly(ServiceCredentials.value());
    }

    @Test
    void aClientsOwnCredentialHeaderIsDroppedAndTheGatewaysTakesItsPlace() {
        HttpResponse<String> response = gateway.get(VM, ServiceCredentials.HEADER, "a-guess-from-outside");

        assertThat(response.statusCode()).isEqualTo(200);
        FakeService.Received received = computeVm.received().getFirst();
        assertThat(received.headers().get(ServiceCredentials.HEADER.toLowerCase()))
                .containsExactly(ServiceCredentials.value());
    }
}
