package dev.cirrus.gateway.provider;

import static dev.cirrus.gateway.support.Gateway.errorCode;
import static dev.cirrus.gateway.support.Gateway.errorMessage;
import static dev.cirrus.gateway.support.Gateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;

import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.FakeService;
import dev.cirrus.gateway.support.FakeService.Reply;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.RawHttp;
import dev.cirrus.gateway.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The provider registry at the gateway's door, in front of fake services on loopback: locations from the placement
 * topology, api-versions newer than a type's newest, the providers listing, empty path segments, and the Functions
 * data plane chosen by host or path only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProviderRegistryThroughTheGatewayTest {

    static final String SUB = "5e1a7c2e-3a4d-4e5f-8a9b-0c1d2e3f4a5b";
    static final String V = "api-version=2025-04-01";
    static final String GROUP = "/subscriptions/" + SUB + "/resourceGroups/Registry-RG";
    static final String VM = GROUP + "/providers/Microsoft.Compute/virtualMachines/vm1";

    static final FakeService computeVm = FakeService.start();
    static final FakeService appService = FakeService.start();
    static final FakeService serverless = FakeService.start();
    static final FakeService other = FakeService.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_provider_registry");
        registry.add("cirrus.gateway.services.compute-vm", () -> computeVm.url().toString());
        registry.add("cirrus.gateway.services.compute-container", () -> other.url().toString());
        registry.add("cirrus.gateway.services.app-service", () -> appService.url().toString());
        registry.add("cirrus.gateway.services.serverless", () -> serverless.url().toString());
        registry.add("cirrus.gateway.services.billing", () -> other.url().toString());
    }

    @AfterAll
    static void stopServices() {
        Stream.of(computeVm, appService, serverless, other).forEach(FakeService::close);
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    Gateway gateway;

    @BeforeEach
    void groupExists() {
        gateway = Gateway.admin(port, data);
        gateway.subscription(SUB);
        assertThat(gateway.put(GROUP + "?" + V, "{\"location\":\"West Europe\"}").statusCode()).isIn(200, 201);
        Stream.of(computeVm, appService, serverless, other).forEach(FakeService::reset);
    }

    @Test
    void aResourceGroupInALocationTheTopologyDoesNotDefineIsRefusedAsArmDoes() {
        HttpResponse<String> refused = gateway.put("/subscriptions/" + SUB + "/resourceGroups/mars?" + V,
                "{\"location\":\"marsnorth\"}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(errorCode(refused)).isEqualTo("LocationNotAvailableForResourceGroup");
        assertThat(errorMessage(refused)).isEqualTo("The provided location 'marsnorth' is not available for resource "
                + "group. List of available regions is 'koreacentral,eastus,westeurope,westus'.");
        assertThat(gateway.get("/subscriptions/" + SUB + "/resourceGroups/mars?" + V).statusCode()).isEqualTo(404);
    }

    @Test
    void aLocatedResourceInALocationTheTopologyDoesNotDefineNeverReachesItsService() {
        HttpResponse<String> refused = gateway.put(VM + "?" + V, "{\"location\":\"Mars North\",\"properties\":{}}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(errorCode(refused)).isEqualTo("LocationNotAvailableForResourceType");
        assertThat(errorMessage(refused)).isEqualTo("The provided location 'Mars North' is not available for resource "
                + "type 'Microsoft.Compute/virtualMachines'. List of available regions for the resource type is "
                + "'koreacentral,eastus,westeurope,westus'.");
        assertThat(computeVm.received()).isEmpty();

        computeVm.answer(r -> Reply.json(201, "{\"name\":\"vm1\"}"));
        assertThat(gateway.put(VM + "?" + V, "{\"location\":\"West Europe\",\"properties\":{}}").statusCode())
                .isEqualTo(201);
        assertThat(computeVm.received()).hasSize(1);
    }

    @Test
    void aVersionNewerThanATypesNewestReachesTheServiceAndAnOlderUnknownOneIsRefusedWithVersionsAndLocations() {
        computeVm.answer(r -> Reply.json(200, "{\"name\":\"vm1\"}"));

        assertThat(gateway.get(VM + "?api-version=2026-03-01").statusCode()).as("@azure/arm-compute 24.x")
                .isEqualTo(200);
        assertThat(gateway.get(VM + "?api-version=2027-01-01").statusCode()).as("newer than the newest listed")
                .isEqualTo(200);
        assertThat(computeVm.received()).hasSize(2);

        HttpResponse<String> refused = gateway.get(VM + "?api-version=2016-01-01");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(errorCode(refused)).isEqualTo("NoRegisteredProviderFound");
        assertThat(errorMessage(refused)).contains("The supported api-versions are '2026-04-01, 2026-03-01, 2025-04-01,")
                .endsWith("The supported locations are 'Korea Central, East US, West Europe, West US'.");
        assertThat(computeVm.received()).hasSize(2);
    }

    @Test
    void theProvidersListingShowsTheTopologysRegionsAndTheRegistrysVersions() {
        JsonNode compute = json(gateway.get("/subscriptions/" + SUB + "/providers/Microsoft.Compute?" + V));

        JsonNode vms = null;
        for (JsonNode t : compute.path("resourceTypes")) {
            if (t.path("resourceType").asString().equals("virtualMachines")) {
                vms = t;
            }
        }
        assertThat(vms).isNotNull();
        assertThat(vms.path("locations").toString()).isEqualTo("[\"Korea Central\",\"East US\",\"West Europe\",\"West US\"]");
        assertThat(vms.path("apiVersions").toString()).contains("\"2026-03-01\"");
    }

    @Test
    void theFunctionsProviderCallsOfTheSdksReachServerless() {
        serverless.answer(r -> Reply.json(200, "{\"value\":[]}"));
        String web = "api-version=2024-04-01";

        assertThat(gateway.get("/subscriptions/" + SUB + "/providers/Microsoft.Web/geoRegions?" + web).statusCode())
                .isEqualTo(200);
        assertThat(gateway.get("/providers/Microsoft.Web/functionAppStacks?" + web).statusCode()).isEqualTo(200);
        assertThat(gateway.get("/providers/Microsoft.Web/locations/westeurope/functionAppStacks?" + web).statusCode())
                .isEqualTo(200);

        assertThat(serverless.received()).extracting(FakeService.Received::rawPathAndQuery).containsExactly(
                "/subscriptions/" + SUB + "/providers/Microsoft.Web/geoRegions?" + web,
                "/providers/Microsoft.Web/functionAppStacks?" + web,
                "/providers/Microsoft.Web/locations/westeurope/functionAppStacks?" + web);
        assertThat(appService.received()).isEmpty();
    }

    @Test
    void emptyPathSegmentsAreDroppedBeforeTheOwnerSeesThePath() {
        computeVm.answer(r -> Reply.json(200, "{\"name\":\"x\"}"));

        HttpResponse<String> response = gateway.get(GROUP + "/providers/Microsoft.Compute//availabilitySets/x?" + V);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(computeVm.received()).extracting(FakeService.Received::rawPathAndQuery)
                .containsExactly(GROUP + "/providers/Microsoft.Compute/availabilitySets/x?" + V);
    }

    @Test
    void aClientsForwardedHostNamingAnAppDoesNotTakeAnArmCallToTheFunctionsDataPlane() {
        computeVm.answer(r -> Reply.json(200, "{\"name\":\"vm1\"}"));

        HttpResponse<String> response = gateway.get(VM + "?" + V, "X-Forwarded-Host", "app1.azurewebsites.localhost");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(computeVm.received()).hasSize(1);
        assertThat(serverless.received()).isEmpty();
    }

    @Test
    void theFunctionsDataPlaneIsStillChosenByTheHostTheClientConnectedTo() {
        serverless.answer(r -> Reply.json(200, "{\"function\":true}"));

        RawHttp.Response response = RawHttp.send(port, "GET", "/api/hello", "app1.azurewebsites.localhost:" + port,
                Map.of(), null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(serverless.received()).extracting(FakeService.Received::rawPathAndQuery).containsExactly("/api/hello");
        assertThat(computeVm.received()).isEmpty();
    }

    @Test
    void aFunctionAppPutGoesToServerlessAndItsLaterCallsFollowTheIndex() {
        String app = GROUP + "/providers/Microsoft.Web/sites/fn1";
        serverless.answer(r -> Reply.json(r.method().equals("PUT") ? 201 : 200, "{\"name\":\"fn1\"}"));
        appService.answer(r -> Reply.json(200, "{\"name\":\"site\"}"));

        assertThat(gateway.put(app + "?api-version=2025-05-01", "{\"location\":\"westeurope\",\"kind\":\"functionapp,linux\"}")
                .statusCode()).isEqualTo(201);
        assertThat(gateway.get(app + "/config/web?api-version=2025-05-01").statusCode()).isEqualTo(200);

        assertThat(serverless.received()).extracting(FakeService.Received::method).containsExactly("PUT", "GET");
        assertThat(appService.received()).isEmpty();
        assertThat(gateway.get(GROUP + "/providers/Microsoft.Web/sites/web1?api-version=2025-05-01").statusCode())
                .isEqualTo(200);
        assertThat(appService.received()).hasSize(1);
    }
}
