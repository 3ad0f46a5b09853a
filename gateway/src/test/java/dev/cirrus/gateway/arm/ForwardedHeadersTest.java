package dev.cirrus.gateway.arm;

import static dev.cirrus.gateway.support.Gateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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
 * With no trusted proxy configured (the default), a client's own Forwarded / X-Forwarded-* headers choose nothing:
 * every absolute URL the gateway or a service writes names the gateway's own host, as the client reached it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ForwardedHeadersTest {

    static final String V = "api-version=2024-07-01";
    static final String RG_VERSION = "api-version=2021-04-01";
    /** what an attacker sends to make the gateway's answers point at a host of its choosing */
    static final String[] FORGED = {
            "X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "https", "X-Forwarded-Port", "444",
            "X-Forwarded-Prefix", "/evil", "X-Forwarded-For", "203.0.113.7",
            "Forwarded", "host=evil.example;proto=https;for=203.0.113.8"};

    static final FakeService services = FakeService.start();
    static final FakeService serverless = FakeService.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_forwarded");
        for (String module : List.of("compute-vm", "compute-container", "app-service", "billing")) {
            registry.add("cirrus.gateway.services." + module, () -> services.url().toString());
        }
        registry.add("cirrus.gateway.services.serverless", () -> serverless.url().toString());
    }

    @AfterAll
    static void stop() {
        Stream.of(services, serverless).forEach(FakeService::close);
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    Gateway gateway;
    String sub;
    String own;

    @BeforeEach
    void subscription() {
        gateway = Gateway.admin(port, data);
        sub = gateway.newSubscription();
        own = "http://127.0.0.1:" + port;
        Stream.of(services, serverless).forEach(FakeService::reset);
    }

    @Test
    void aClientsForwardedHeadersDoNotReachTheServiceNorNameThePublicAddress() {
        String path = "/subscriptions/" + sub + "/providers/Microsoft.Compute/virtualMachines?" + V;

        assertThat(gateway.get(path, FORGED).statusCode()).isEqualTo(200);

        FakeService.Received received = services.received().getFirst();
        assertThat(received.rawPathAndQuery()).isEqualTo(path);
        assertThat(received.header("Host")).isEqualTo("127.0.0.1:" + port);
        assertThat(received.header("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + port);
        assertThat(received.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(received.header("X-Forwarded-Port")).isEqualTo(String.valueOf(port));
        assertThat(received.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(received.header("X-Forwarded-Prefix")).isNull();
        assertThat(received.header("Forwarded")).isNull();
    }

    @Test
    void theLocationOfAGroupDeletionAndOfItsOperationStayOnTheGatewaysHost() {
        String group = "/subscriptions/" + sub + "/resourcegroups/forwarded-rg";
        assertThat(gateway.put(group + "?" + RG_VERSION, "{\"location\":\"westus\"}").statusCode()).isEqualTo(201);
        // the services cannot list the group: the deletion stays in progress, and its operation answers 202
        services.answer(r -> Reply.json(503, "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"down\"}}"));

        HttpResponse<String> deleted = gateway.send("DELETE", group + "?" + RG_VERSION, null, FORGED);

        assertThat(deleted.statusCode()).isEqualTo(202);
        String location = deleted.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(own + "/subscriptions/" + sub + "/operationresults/");
        HttpResponse<String> polled = gateway.get(location.substring(own.length()), FORGED);
        assertThat(polled.statusCode()).isEqualTo(202);
        assertThat(polled.headers().firstValue("Location")).hasValue(location);
    }

    @Test
    void theNextLinkOfResourcesStaysOnTheGatewaysHost() {
        String group = "/subscriptions/" + sub + "/resourceGroups/paged-rg";
        assertThat(gateway.put(group + "?" + RG_VERSION, "{\"location\":\"westus\"}").statusCode()).isEqualTo(201);
        for (String vm : List.of("vm1", "vm2")) {
            assertThat(gateway.put(group + "/providers/Microsoft.Compute/virtualMachines/" + vm + "?" + V,
                    "{\"location\":\"westus\"}").statusCode()).isEqualTo(200);
        }

        HttpResponse<String> page = gateway.get("/subscriptions/" + sub + "/resources?" + V + "&$top=1", FORGED);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(json(page).path("nextLink").asString()).startsWith(own + "/subscriptions/" + sub + "/resources?");
    }

    @Test
    void theTokenEndpointsDescribeTheGatewaysOwnHost() {
        HttpResponse<String> oidc = new Gateway(port).get("/common/v2.0/.well-known/openid-configuration", FORGED);

        assertThat(oidc.statusCode()).isEqualTo(200);
        assertThat(oidc.body()).doesNotContain("evil.example").contains(own);
    }

    @Test
    void aForwardedHostNamingAFunctionAppDoesNotTakeAnArmCallToTheFunctionsDataPlane() {
        String path = "/subscriptions/" + sub + "/providers/Microsoft.Compute/virtualMachines?" + V;

        HttpResponse<String> response = gateway.get(path, "X-Forwarded-Host", "my-app.azurewebsites.localhost");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(serverless.received()).isEmpty();
        assertThat(services.received()).extracting(FakeService.Received::rawPathAndQuery).containsExactly(path);
    }

    @Test
    void aServicesLocationBuiltFromWhatTheGatewaySentNamesTheGateway() {
        // a service builds its URLs from X-Forwarded-Host/-Proto, as the services' plumbing does
        services.answer(r -> new Reply(202, Map.of("Location", r.header("X-Forwarded-Proto") + "://"
                + r.header("X-Forwarded-Host") + "/subscriptions/" + sub + "/providers/Microsoft.Compute/locations/"
                + "westus/operations/1?" + V), null));

        String group = "/subscriptions/" + sub + "/resourceGroups/started-rg";
        assertThat(gateway.put(group + "?" + RG_VERSION, "{\"location\":\"westus\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> started = gateway.send("POST", group + "/providers/Microsoft.Compute/virtualMachines/"
                + "vm1/start?" + V, null, FORGED);
        assertThat(started.statusCode()).isEqualTo(202);
        assertThat(started.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith(own + "/"));
    }
}
