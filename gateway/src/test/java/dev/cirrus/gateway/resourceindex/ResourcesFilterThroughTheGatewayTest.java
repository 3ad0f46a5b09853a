package dev.cirrus.gateway.resourceindex;

import static dev.cirrus.gateway.support.Gateway.errorCode;
import static dev.cirrus.gateway.support.Gateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code GET …/resources?$filter=…} through the gateway, over resources its services accepted. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ResourcesFilterThroughTheGatewayTest {

    static final String V = "api-version=2025-04-01";

    static final FakeService service = FakeService.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_resources_filter");
        Stream.of("compute-vm", "compute-container", "app-service", "serverless", "billing")
                .forEach(s -> registry.add("cirrus.gateway.services." + s, () -> service.url().toString()));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    @Test
    void theFilterFormsArmAcceptsSelectTheResourcesTheyName() {
        Gateway gateway = Gateway.admin(port, data);
        String sub = gateway.newSubscription();
        String g1 = "/subscriptions/" + sub + "/resourceGroups/g1";
        String g2 = "/subscriptions/" + sub + "/resourceGroups/g2";
        assertThat(gateway.put(g1 + "?" + V, "{\"location\":\"westus\"}").statusCode()).isEqualTo(201);
        assertThat(gateway.put(g2 + "?" + V, "{\"location\":\"eastus\"}").statusCode()).isEqualTo(201);
        String vm1 = g1 + "/providers/Microsoft.Compute/virtualMachines/web-vm1";
        String vm2 = g2 + "/providers/Microsoft.Compute/virtualMachines/db-vm2";
        String set = g1 + "/providers/Microsoft.Compute/availabilitySets/web-set";
        gateway.put(vm1 + "?" + V, "{\"location\":\"West US\",\"tags\":{\"env\":\"prod\"}}");
        gateway.put(vm2 + "?" + V, "{\"location\":\"eastus\",\"tags\":{\"Env\":\"dev\"}}");
        gateway.put(set + "?" + V, "{\"location\":\"westus\"}");

        assertThat(ids(sub, "resourceGroup eq 'G1'")).containsExactly(set, vm1);
        assertThat(ids(sub, "resourceType eq 'microsoft.compute/virtualmachines'")).containsExactly(vm1, vm2);
        assertThat(ids(sub, "name eq 'DB-VM2'")).containsExactly(vm2);
        assertThat(ids(sub, "location eq 'East US'")).containsExactly(vm2);
        assertThat(ids(sub, "tagName eq 'env'")).containsExactly(vm1, vm2);
        assertThat(ids(sub, "tagName eq 'env' and tagValue eq 'prod'")).containsExactly(vm1);
        assertThat(ids(sub, "substringof('web', name)")).containsExactly(set, vm1);
        assertThat(ids(sub, "substringof('web', name) and resourceType eq 'Microsoft.Compute/virtualMachines'"))
                .containsExactly(vm1);
        assertThat(ids(sub, "resourceGroup eq 'g1' and name eq 'web-vm1'")).containsExactly(vm1);

        assertThat(errorCode(gateway.get("/subscriptions/" + sub + "/resources?" + V + "&$filter="
                + URLEncoder.encode("tagName eq 'env' and name eq 'x'", StandardCharsets.UTF_8))))
                .isEqualTo("InvalidFilterInQueryString");
    }

    private List<String> ids(String sub, String filter) {
        Gateway gateway = Gateway.admin(port, data);
        return json(gateway.get("/subscriptions/" + sub + "/resources?" + V + "&$filter="
                + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20")))
                .path("value").findValuesAsString("id");
    }
}
