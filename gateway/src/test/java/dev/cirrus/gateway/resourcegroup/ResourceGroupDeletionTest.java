package dev.cirrus.gateway.resourcegroup;

import static dev.cirrus.gateway.support.Gateway.errorCode;
import static dev.cirrus.gateway.support.Gateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.FakeService.Reply;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A resource group DELETE deletes what is in the group through the owning service, refuses writes into the group
 * meanwhile, and outlasts a service that refuses: the group stays Deleting until its resources are gone. The service
 * here is a real HTTP server on loopback answering as the test says (the real compute-vm: {@code AzureSdkTest}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ResourceGroupDeletionTest {

    static final String V = "?api-version=2024-07-01";
    static final FakeService service = FakeService.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_rg_deletion");
        for (String module : new String[] {"compute-vm", "compute-container", "app-service", "serverless", "billing"}) {
            registry.add("cirrus.gateway.services." + module, () -> service.url().toString());
        }
        registry.add("cirrus.gateway.resource-group-deletion.poll-interval", () -> "100ms");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aGroupBeingDeletedRefusesWritesOutlastsARefusingServiceAndGoesOnceItsResourcesAreDeleted() {
        Gateway gateway = Gateway.admin(port, data);
        String sub = gateway.newSubscription();
        String group = "/subscriptions/" + sub + "/resourcegroups/Busy-RG";
        String vms = "/subscriptions/" + sub + "/resourceGroups/Busy-RG/providers/Microsoft.Compute/virtualMachines/";
        assertThat(gateway.put(group + V, "{\"location\":\"westus\"}").statusCode()).isEqualTo(201);
        service.answer(r -> Reply.json(201, "{}"));
        assertThat(gateway.put(vms + "vm1" + V, "{\"location\":\"westus\"}").statusCode()).isEqualTo(201);
        assertThat(gateway.put(vms + "vm2" + V, "{\"location\":\"westus\"}").statusCode()).isEqualTo(201);

        AtomicBoolean serviceRefuses = new AtomicBoolean(true);
        service.reset();
        service.answer(r -> {
            if (!r.method().equals("DELETE") && !r.rawPathAndQuery().startsWith("/operations/")) {
                return Reply.json(200, "{\"served\":true}");
            }
            if (serviceRefuses.get()) {
                return Reply.json(503, "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"busy\"}}");
            }
            if (r.rawPathAndQuery().startsWith("/operations/")) {
                return Reply.json(200, "{\"status\":\"Succeeded\"}");
            }
            return r.rawPathAndQuery().contains("/vm1?") ? new Reply(200, Map.of(), null)
                    : new Reply(202, Map.of("Azure-AsyncOperation", service.url() + "/operations/vm2",
                    "Location", service.url() + "/operations/vm2-result"), null);
        });

        HttpResponse<String> accepted = gateway.send("DELETE", group + V, null);
        assertThat(accepted.statusCode()).isEqualTo(202);
        URI location = URI.create(accepted.headers().firstValue("Location").orElseThrow());
        String poll = location.getRawPath() + "?" + location.getRawQuery();

        HttpResponse<String> deleting = gateway.get(group + V);
        assertThat(json(deleting).path("properties").path("provisioningState").asString()).isEqualTo("Deleting");
        HttpResponse<String> again = gateway.send("DELETE", group + V, null);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.headers().firstValue("Location")).hasValue(location.toString());
        for (HttpResponse<String> write : java.util.List.of(
                gateway.put(vms + "vm3" + V, "{\"location\":\"westus\"}"),
                gateway.send("POST", vms + "vm1/start" + V, null),
                gateway.send("PATCH", group + V, "{\"tags\":{\"a\":\"b\"}}"),
                gateway.put(group + V, "{\"location\":\"westus\"}"))) {
            assertThat(write.statusCode()).isEqualTo(409);
            assertThat(errorCode(write)).isEqualTo("ResourceGroupBeingDeleted");
        }
        assertThat(gateway.get(vms + "vm1" + V).statusCode()).as("reads go on").isEqualTo(200);
        assertThat(service.received()).noneMatch(r -> r.method().equals("PUT") || r.method().equals("POST"));

        // the service refuses: the group stays, Deleting, and the gateway asks again
        await().atMost(Duration.ofSeconds(30)).until(() -> service.received().stream()
                .filter(r -> r.method().equals("DELETE") && r.rawPathAndQuery().contains("/vm1?")).count() >= 3);
        assertThat(gateway.get(poll).statusCode()).isEqualTo(202);
        assertThat(json(gateway.get(group + V)).path("properties").path("provisioningState").asString())
                .isEqualTo("Deleting");

        serviceRefuses.set(false);
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.get(poll).statusCode() == 200);

        assertThat(service.received()).anyMatch(r -> r.method().equals("DELETE")
                && r.rawPathAndQuery().equals("/subscriptions/" + sub
                + "/resourceGroups/Busy-RG/providers/Microsoft.Compute/virtualMachines/vm2?api-version="
                + dev.cirrus.gateway.provider.ProviderRegistry.defaults().type("Microsoft.Compute", "virtualMachines")
                .orElseThrow().apiVersions().getFirst()));
        assertThat(service.received()).anyMatch(r -> r.rawPathAndQuery().equals("/operations/vm2"));
        HttpResponse<String> gone = gateway.get(group + V);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(errorCode(gone)).isEqualTo("ResourceGroupNotFound");
        assertThat(jdbc.queryForObject("select count(*) from resource_index where subscription_id = ?", Integer.class,
                sub)).isZero();
        assertThat(jdbc.queryForList("select event_type from outbox where record_key = ? order by seq", String.class,
                ("/subscriptions/" + sub + "/resourceGroups/Busy-RG").toLowerCase()))
                .endsWith(EventTypes.RESOURCE_GROUP_DELETED);
    }

    @Test
    void anEmptyGroupIsGoneOnTheFirstPassWithTheRoleAssignmentsAtItsScope() {
        Gateway gateway = Gateway.admin(port, data);
        String sub = gateway.newSubscription();
        String group = "/subscriptions/" + sub + "/resourcegroups/empty";
        gateway.put(group + V, "{\"location\":\"westus\"}");
        String principal = json(gateway.send("POST", "/cirrus/servicePrincipals", "{\"displayName\":\"reader\"}"))
                .path("objectId").asString();
        HttpResponse<String> assigned = gateway.put(group + "/providers/Microsoft.Authorization/roleAssignments/"
                + java.util.UUID.randomUUID() + "?api-version=2022-04-01", "{\"properties\":{\"roleDefinitionId\":"
                + "\"/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7\","
                + "\"principalId\":\"" + principal + "\"}}");
        assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(201);
        service.reset();

        HttpResponse<String> accepted = gateway.send("DELETE", group + V, null);
        URI location = URI.create(accepted.headers().firstValue("Location").orElseThrow());

        await().atMost(Duration.ofSeconds(30)).until(() ->
                gateway.get(location.getRawPath() + "?" + location.getRawQuery()).statusCode() == 200);
        assertThat(gateway.get(group + V).statusCode()).isEqualTo(404);
        assertThat(service.received()).noneMatch(r -> r.method().equals("DELETE"));
        assertThat(jdbc.queryForObject("select count(*) from role_assignments where principal_id = ?", Integer.class,
                principal)).isZero();
    }

    @Test
    void resourcesCreatedAtTheirServicesBehindTheGatewaysBackAreFoundByTheSweepAndDeletedWithTheGroup() {
        Gateway gateway = Gateway.admin(port, data);
        String sub = gateway.newSubscription();
        String group = "/subscriptions/" + sub + "/resourcegroups/Hidden-RG";
        assertThat(gateway.put(group + V, "{\"location\":\"westus\"}").statusCode()).isEqualTo(201);
        String scope = "/subscriptions/" + sub + "/resourceGroups/Hidden-RG/providers/";
        String vm = scope + "Microsoft.Compute/virtualMachines/behind";
        String budget = scope + "Microsoft.Consumption/budgets/monthly";
        java.util.Set<String> existing = java.util.concurrent.ConcurrentHashMap.newKeySet();
        existing.addAll(java.util.List.of(vm, budget));
        AtomicBoolean listsFail = new AtomicBoolean(true);
        service.reset();
        service.answer(r -> {
            String path = r.rawPathAndQuery().split("\\?")[0];
            if (r.method().equals("DELETE")) {
                return new Reply(existing.remove(path) ? 200 : 204, Map.of(), null);
            }
            if (listsFail.get()) {
                return Reply.json(503, "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"busy\"}}");
            }
            if (path.equals(scope + "Microsoft.Compute/virtualMachines") && existing.contains(vm)) {
                return Reply.json(200, "{\"value\":[{\"id\":\"" + vm + "\",\"name\":\"behind\",\"type\":"
                        + "\"Microsoft.Compute/virtualMachines\",\"location\":\"westus\",\"tags\":{\"a\":\"b\"}}]}");
            }
            if (path.equals(scope + "Microsoft.Consumption/budgets") && existing.contains(budget)) {
                return Reply.json(200, "{\"value\":[{\"id\":\"" + budget + "\",\"name\":\"monthly\",\"type\":"
                        + "\"Microsoft.Consumption/budgets\"}]}");
            }
            return path.endsWith("/Microsoft.Web/sites") ? Reply.json(404, "{\"error\":{\"code\":\"NotFound\","
                    + "\"message\":\"no such path\"}}") : Reply.json(200, "{\"value\":[]}");
        });

        HttpResponse<String> accepted = gateway.send("DELETE", group + V, null);
        URI location = URI.create(accepted.headers().firstValue("Location").orElseThrow());
        String poll = location.getRawPath() + "?" + location.getRawQuery();

        // a service that cannot list the group keeps it Deleting
        await().atMost(Duration.ofSeconds(30)).until(() -> service.received().stream()
                .filter(r -> r.rawPathAndQuery().startsWith(scope + "Microsoft.Consumption/budgets?")).count() >= 2);
        assertThat(gateway.get(poll).statusCode()).isEqualTo(202);
        assertThat(json(gateway.get(group + V)).path("properties").path("provisioningState").asString())
                .isEqualTo("Deleting");
        assertThat(existing).hasSize(2);

        listsFail.set(false);
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.get(poll).statusCode() == 200);

        assertThat(existing).as("deleted at their service").isEmpty();
        assertThat(service.received()).anyMatch(r -> r.method().equals("DELETE")
                && r.rawPathAndQuery().equals(budget + "?api-version=" + dev.cirrus.gateway.provider.ProviderRegistry
                .defaults().type("Microsoft.Consumption", "budgets").orElseThrow().apiVersions().getFirst()));
        assertThat(service.received()).anyMatch(r -> r.method().equals("GET")
                && r.rawPathAndQuery().startsWith(scope + "Microsoft.Web/sites?api-version="));
        assertThat(gateway.get(group + V).statusCode()).isEqualTo(404);
        assertThat(jdbc.queryForObject("select count(*) from resource_index where subscription_id = ?", Integer.class,
                sub)).isZero();
    }
}
