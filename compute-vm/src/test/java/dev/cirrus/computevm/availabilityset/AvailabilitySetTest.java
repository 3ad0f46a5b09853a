package dev.cirrus.computevm.availabilityset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.cirrus.computevm.ComputeVmTestSupport;
import dev.cirrus.contracts.placement.v1.Allocation;
import dev.cirrus.contracts.placement.v1.GetAllocationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Availability sets, and VMs placed in them by the real placement engine. */
class AvailabilitySetTest extends ComputeVmTestSupport {

    private final String sub = newSubscription();

    static String setPath(String sub, String rg, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.Compute/availabilitySets/" + name;
    }

    @Test
    void aSetIsCreatedSynchronouslyWithAzuresDefaultsAndItsCountsCannotChange() {
        String path = setPath(sub, "Rg", "Web-Set");
        HttpResponse<String> created = put(path, "{\"location\":\"West Europe\",\"tags\":{\"tier\":\"web\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonNode set = json(created);
        assertThat(set.path("id").stringValue()).isEqualTo(path);
        assertThat(set.path("type").stringValue()).isEqualTo("Microsoft.Compute/availabilitySets");
        assertThat(set.path("location").stringValue()).isEqualTo("westeurope");
        assertThat(set.path("sku").path("name").stringValue()).isEqualTo("Classic");
        assertThat(set.path("properties").path("platformFaultDomainCount").intValue()).isEqualTo(2);
        assertThat(set.path("properties").path("platformUpdateDomainCount").intValue()).isEqualTo(5);
        assertThat(set.path("properties").path("virtualMachines").isEmpty()).isTrue();

        HttpResponse<String> changed = put(path, "{\"location\":\"westeurope\",\"properties\":{\"platformFaultDomainCount\":3}}");
        assertThat(changed.statusCode()).isEqualTo(409);
        assertThat(json(changed).path("error").path("code").stringValue()).isEqualTo("PropertyChangeNotAllowed");
        assertThat(json(changed).path("error").path("target").stringValue()).isEqualTo("properties.platformFaultDomainCount");

        HttpResponse<String> moved = put(path, "{\"location\":\"eastus\"}");
        assertThat(moved.statusCode()).isEqualTo(409);
        assertThat(json(moved).path("error").path("code").stringValue()).isEqualTo("PropertyChangeNotAllowed");
        assertThat(json(moved).path("error").path("target").stringValue()).isEqualTo("location");
        assertThat(json(get(path)).path("location").stringValue()).isEqualTo("westeurope");

        HttpResponse<String> patched = send("PATCH", withApi(path), "{\"tags\":{\"tier\":\"api\"},\"sku\":{\"name\":\"Aligned\"}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(patched).path("tags").path("tier").stringValue()).isEqualTo("api");
        assertThat(json(patched).path("sku").path("name").stringValue()).isEqualTo("Aligned");
        HttpResponse<String> back = send("PATCH", withApi(path), "{\"sku\":{\"name\":\"Classic\"}}");
        assertThat(back.statusCode()).isEqualTo(409);

        assertThat(json(get(path.toUpperCase(Locale.ROOT).replace(sub.toUpperCase(Locale.ROOT), sub)))
                .path("name").stringValue()).isEqualTo("Web-Set");
        assertThat(json(get("/subscriptions/" + sub + "/providers/Microsoft.Compute/availabilitySets"))
                .path("value").size()).isEqualTo(1);
        assertThat(json(get("/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Compute/availabilitySets"))
                .path("value").get(0).path("name").stringValue()).isEqualTo("Web-Set");
        assertThat(json(get(path + "/vmSizes")).path("value").findValuesAsString("name")).contains("Standard_D2s_v5");

        assertThat(delete(path).statusCode()).isEqualTo(200);
        assertThat(get(path).statusCode()).isEqualTo(404);
        assertThat(delete(path).statusCode()).isEqualTo(204);
    }

    @ParameterizedTest(name = "{0} → {1} {2} at {3}")
    @CsvSource(delimiter = '|', value = {
            "{\"location\":\"westeurope\",\"properties\":{\"platformFaultDomainCount\":4}}|400|InvalidParameter|properties.platformFaultDomainCount",
            "{\"location\":\"westeurope\",\"properties\":{\"platformFaultDomainCount\":0}}|400|InvalidParameter|properties.platformFaultDomainCount",
            "{\"location\":\"westeurope\",\"properties\":{\"platformUpdateDomainCount\":21}}|400|InvalidParameter|properties.platformUpdateDomainCount",
            "{\"location\":\"westeurope\",\"properties\":{\"platformUpdateDomainCount\":-1}}|400|InvalidParameter|properties.platformUpdateDomainCount",
            "{\"location\":\"westeurope\",\"properties\":{\"platformUpdateDomainCount\":\"five\"}}|400|InvalidRequestContent|properties.platformUpdateDomainCount",
            "{\"location\":\"westeurope\",\"sku\":{\"name\":\"Fancy\"}}|400|InvalidParameter|sku.name",
            "{\"location\":\"westeurope\",\"sku\":\"Aligned\"}|400|InvalidRequestContent|sku",
            "{\"properties\":{}}|400|LocationRequired|location",
            "{\"location\":\"west europe!\"}|400|InvalidLocation|location",
            "{\"location\":\"westeurope\",\"tags\":{\"a<b\":\"x\"}}|400|InvalidTagNameCharacters|tags",
            "[1]|400|InvalidRequestContent|"})
    void aBadSetRequestIsAnArmErrorAndCreatesNothing(String body, int status, String code, String target) {
        String path = setPath(sub, "rg", "bad");
        HttpResponse<String> response = put(path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json(response).path("error").path("code").stringValue()).isEqualTo(code);
        if (target != null) {
            assertThat(json(response).path("error").path("target").stringValue()).isEqualTo(target);
        }
        assertThat(get(path).statusCode()).isEqualTo(404);
    }

    @Test
    void aSetNameWithForbiddenCharactersIsRefused() {
        HttpResponse<String> response = put(setPath(sub, "rg", "bad-"), "{\"location\":\"westeurope\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").path("target").stringValue()).isEqualTo("name");
        assertThat(put(setPath(sub, "rg", "x".repeat(81)), "{\"location\":\"westeurope\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void vmsInASetAreSpreadOverItsFaultAndUpdateDomainsAndTheSetListsThem() {
        String set = setPath(sub, "rg", "spread");
        assertThat(put(set, """
                {"location":"westeurope","sku":{"name":"Aligned"},
                 "properties":{"platformFaultDomainCount":3,"platformUpdateDomainCount":4}}""").statusCode()).isEqualTo(200);
        List<String> paths = new ArrayList<>();
        List<String> operations = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String path = vmPath(sub, "rg", "member" + i);
            HttpResponse<String> created = putVm(path, inSet(set));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(json(created).path("properties").path("availabilitySet").path("id").stringValue()).isEqualTo(set);
            paths.add(path);
            operations.add(header(created, "Azure-AsyncOperation"));
            // one after the other: the engine gives the n-th VM fault domain n mod 3 and update domain n mod 4
            String op = operations.getLast();
            await().atMost(Duration.ofSeconds(30)).until(() -> json(get(op)).path("status").stringValue(), "Succeeded"::equals);
        }
        List<Integer> faultDomains = new ArrayList<>();
        List<Integer> updateDomains = new ArrayList<>();
        for (String path : paths) {
            JsonNode vm = json(get(path + "?$expand=instanceView"));
            JsonNode view = vm.path("properties").path("instanceView");
            faultDomains.add(view.path("platformFaultDomain").intValue());
            updateDomains.add(view.path("platformUpdateDomain").intValue());
            Allocation allocation = ENGINE.grpc().getAllocation(GetAllocationRequest.newBuilder()
                    .setVmId(vm.path("properties").path("vmId").stringValue()).build());
            assertThat(allocation.getGroupId()).isEqualTo(set.toLowerCase(Locale.ROOT));
            assertThat(allocation.getFaultDomain()).isEqualTo(view.path("platformFaultDomain").intValue());
        }
        assertThat(faultDomains).containsExactly(0, 1, 2, 0);
        assertThat(updateDomains).containsExactly(0, 1, 2, 3);
        assertThat(json(get(set)).path("properties").path("virtualMachines").findValuesAsString("id"))
                .containsExactlyElementsOf(paths);

        HttpResponse<String> refused = delete(set);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(json(refused).path("error").path("code").stringValue()).isEqualTo("OperationNotAllowed");
        assertThat(json(refused).path("error").path("message").stringValue()).contains("member0");
        assertThat(get(set).statusCode()).isEqualTo(200);

        String other = setPath(sub, "rg", "other");
        put(other, "{\"location\":\"westeurope\"}");
        HttpResponse<String> leave = putVm(paths.get(0), inSet(other));
        assertThat(leave.statusCode()).as("the set is fixed at creation").isEqualTo(409);
        assertThat(json(leave).path("error").path("target").stringValue()).isEqualTo("properties.availabilitySet");
        assertThat(putVm(paths.get(0), inSet(set.toUpperCase(Locale.ROOT).replace(sub.toUpperCase(Locale.ROOT), sub)))
                .statusCode()).as("the same set in another casing").isEqualTo(200);
        assertThat(json(leave).path("error").path("code").stringValue()).isEqualTo("PropertyChangeNotAllowed");

        for (String path : paths) {
            String location = header(delete(path), "Location");
            await().atMost(Duration.ofSeconds(30)).until(() -> get(location).statusCode() == 204);
        }
        assertThat(delete(set).statusCode()).isEqualTo(200);
    }

    @Test
    void aVmCannotJoinASetThatIsMissingElsewhereOrInAnotherRegion() {
        String set = setPath(sub, "rg", "here");
        put(set, "{\"location\":\"westeurope\"}");

        HttpResponse<String> missing = put(vmPath(sub, "rg", "a1"), inSet(setPath(sub, "rg", "nowhere")));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).path("error").path("code").stringValue()).isEqualTo("NotFound");
        assertThat(json(missing).path("error").path("target").stringValue()).isEqualTo("properties.availabilitySet.id");
        HttpResponse<String> otherGroup = put(vmPath(sub, "other", "a2"), inSet(set));
        assertThat(otherGroup.statusCode()).isEqualTo(400);
        HttpResponse<String> otherRegion = put(vmPath(sub, "rg", "a3"), inSet(set).replace("West Europe", "eastus"));
        assertThat(otherRegion.statusCode()).isEqualTo(400);
        assertThat(json(otherRegion).path("error").path("message").stringValue()).contains("westeurope");
        HttpResponse<String> malformed = put(vmPath(sub, "rg", "a4"), inSet("/not/a/set"));
        assertThat(malformed.statusCode()).isEqualTo(400);
        for (String name : List.of("a1", "a3", "a4")) {
            assertThat(get(vmPath(sub, "rg", name)).statusCode()).isEqualTo(404);
        }
        assertThat(json(get(set)).path("properties").path("virtualMachines").isEmpty()).isTrue();
    }

    static String inSet(String setId) {
        return vmBody("Standard_B1s").replace("\"hardwareProfile\"",
                "\"availabilitySet\": {\"id\": \"" + setId + "\"}, \"hardwareProfile\"");
    }
}
