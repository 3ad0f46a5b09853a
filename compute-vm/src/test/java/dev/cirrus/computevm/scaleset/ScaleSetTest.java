package dev.cirrus.computevm.scaleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.cirrus.computevm.ComputeVmTestSupport;
import dev.cirrus.computevm.TopicReader;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.placement.v1.Allocation;
import dev.cirrus.contracts.placement.v1.GetAllocationRequest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Scale sets against the real placement engine, PostgreSQL and Kafka: instances are VMs placed with the set's
 * group, spread over its fault domains; scaling follows the policies; set-wide and per-instance actions; events.
 */
public class ScaleSetTest extends ComputeVmTestSupport {

    private final String sub = newSubscription();

    public static String setPath(String sub, String rg, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.Compute/virtualMachineScaleSets/"
                + name;
    }

    /** A Uniform set of {@code capacity} Standard_B1s instances (1 vCPU each) with the given extra properties. */
    public static String uniform(String location, int capacity, String extraProperties) {
        return """
                {"location": "%s", "tags": {"tier": "web"},
                 "sku": {"name": "Standard_B1s", "tier": "Standard", "capacity": %d},
                 "properties": {%s
                   "virtualMachineProfile": {
                     "storageProfile": {"imageReference": {"publisher": "Canonical",
                         "offer": "0001-com-ubuntu-server-jammy", "sku": "22_04-lts", "version": "latest"}},
                     "osProfile": {"computerNamePrefix": "web", "adminUsername": "azureuser", "adminPassword": "%s"},
                     "networkProfile": {"networkInterfaceConfigurations": [{"name": "nic",
                       "properties": {"primary": true, "ipConfigurations": [{"name": "ip", "properties": {"subnet":
                         {"id": "/subscriptions/%s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/default"}}}]}}]}}}}
                """.formatted(location, capacity, extraProperties, PASSWORD, "00000000-0000-0000-0000-000000000001");
    }

    private void awaitOperation(HttpResponse<String> response, String status) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 202);
        String op = header(response, "Azure-AsyncOperation");
        assertThat(op).as("Azure-AsyncOperation of " + response.body()).isNotNull();
        await().atMost(Duration.ofSeconds(60)).until(() -> json(get(op)).path("status").stringValue(), status::equals);
    }

    private List<JsonNode> instances(String set) {
        List<JsonNode> list = new ArrayList<>();
        json(get(set + "/virtualMachines?$expand=instanceView")).path("value").forEach(list::add);
        return list;
    }

    private Map<Integer, Integer> faultDomainCounts(String set) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (JsonNode vm : instances(set)) {
            counts.merge(vm.path("properties").path("instanceView").path("platformFaultDomain").intValue(), 1,
                    Integer::sum);
        }
        return counts;
    }

    private List<String> instanceIds(String set) {
        return instances(set).stream().map(vm -> vm.path("instanceId").stringValue()).toList();
    }

    private HttpResponse<String> patch(String path, String body) {
        return send("PATCH", withApi(path), body);
    }

    private HttpResponse<String> post(String path, String body) {
        return send("POST", withApi(path), body);
    }

    @Test
    void aUniformSetIsPlacedAcrossItsFaultDomainsAndItsOverprovisionedExtraIsRemoved() {
        String set = setPath(sub, "rg", "Web");
        HttpResponse<String> created = put(set, uniform("West Europe", 3, "\"platformFaultDomainCount\": 3,"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = json(created);
        assertThat(body.path("type").stringValue()).isEqualTo("Microsoft.Compute/virtualMachineScaleSets");
        assertThat(body.path("sku").path("capacity").intValue()).isEqualTo(3);
        assertThat(body.path("properties").path("provisioningState").stringValue()).isEqualTo("Creating");
        assertThat(body.path("properties").path("orchestrationMode").stringValue()).isEqualTo("Uniform");
        assertThat(body.path("properties").path("overprovision").booleanValue()).isTrue();
        assertThat(body.path("properties").path("upgradePolicy").path("mode").stringValue()).isEqualTo("Manual");
        assertThat(body.path("properties").path("scaleInPolicy").path("rules").get(0).stringValue())
                .isEqualTo("Default");
        assertThat(created.body()).doesNotContain(PASSWORD);
        assertThat(header(created, "ETag")).isEqualTo(body.path("etag").stringValue());
        awaitOperation(created, "Succeeded");

        JsonNode read = json(get(set));
        assertThat(read.path("properties").path("provisioningState").stringValue()).isEqualTo("Succeeded");
        List<JsonNode> instances = instances(set);
        assertThat(instances).hasSize(3);
        // 3 + 1 overprovisioned were created; the surplus went, so ids come from 0..3 with one gap at most
        assertThat(instances.stream().map(i -> Integer.parseInt(i.path("instanceId").stringValue())))
                .allMatch(id -> id >= 0 && id <= 3);
        assertThat(faultDomainCounts(set)).isEqualTo(Map.of(0, 1, 1, 1, 2, 1));
        for (JsonNode vm : instances) {
            String id = vm.path("instanceId").stringValue();
            assertThat(vm.path("name").stringValue()).isEqualTo("Web_" + id);
            assertThat(vm.path("id").stringValue()).isEqualTo(set + "/virtualMachines/" + id);
            assertThat(vm.path("type").stringValue())
                    .isEqualTo("Microsoft.Compute/virtualMachineScaleSets/virtualMachines");
            assertThat(vm.path("properties").path("latestModelApplied").booleanValue()).isTrue();
            assertThat(vm.path("properties").path("osProfile").path("computerName").stringValue())
                    .isEqualTo("web00000" + id);
            JsonNode view = json(get(set + "/virtualMachines/" + id + "/instanceView"));
            assertThat(view.path("statuses").findValuesAsString("code")).contains("PowerState/running");
            assertThat(view.has("platformUpdateDomain")).isTrue();
            Allocation allocation = ENGINE.grpc().getAllocation(GetAllocationRequest.newBuilder()
                    .setVmId(vm.path("properties").path("vmId").stringValue()).build());
            assertThat(allocation.getGroupId()).isEqualTo(set.toLowerCase(Locale.ROOT));
            assertThat(allocation.getFaultDomain()).isEqualTo(view.path("platformFaultDomain").intValue());
        }
        JsonNode listed = json(get("/subscriptions/" + sub + "/providers/Microsoft.Compute/virtualMachineScaleSets"));
        assertThat(listed.path("value")).hasSize(1);
        assertThat(listed.path("value").get(0).path("name").stringValue()).isEqualTo("Web");
        assertThat(json(get("/subscriptions/" + sub + "/resourceGroups/RG/providers/Microsoft.Compute/virtualMachineScaleSets"))
                .path("value")).hasSize(1);
        assertThat(json(get("/subscriptions/" + sub + "/providers/Microsoft.Compute/virtualMachines")).path("value"))
                .as("a Uniform set's instances are not in the VM list").isEmpty();

        // events: the set's, and each instance's own VM events under the instance id (billing meters those)
        TopicReader topic = vmTopic();
        String key = set.toLowerCase(Locale.ROOT);
        await().atMost(Duration.ofSeconds(30)).until(() -> topic.events(key).stream().map(TopicReader.Event::type)
                .toList().containsAll(List.of(EventTypes.SCALE_SET_CREATED, EventTypes.SCALE_SET_SCALED)));
        JsonNode scaled = topic.events(key).stream().filter(e -> e.type().equals(EventTypes.SCALE_SET_SCALED))
                .findFirst().orElseThrow().data();
        assertThat(scaled.path("capacity").intValue()).isEqualTo(3);
        assertThat(scaled.path("provisioningState").stringValue()).isEqualTo("Succeeded");
        String first = (set + "/virtualMachines/" + instances.getFirst().path("instanceId").stringValue())
                .toLowerCase(Locale.ROOT);
        await().atMost(Duration.ofSeconds(30)).until(() -> topic.events(first).stream()
                .anyMatch(e -> e.type().equals(EventTypes.VM_STARTED)));
        JsonNode started = topic.events(first).stream().filter(e -> e.type().equals(EventTypes.VM_STARTED))
                .findFirst().orElseThrow().json();
        assertThat(started.path("subject").stringValue()).containsIgnoringCase("/virtualMachineScaleSets/Web/virtualMachines/");
        assertThat(started.path("data").path("vmSize").stringValue()).isEqualTo("Standard_B1s");
        assertThat(started.path("data").path("powerState").stringValue()).isEqualTo("running");

        HttpResponse<String> deleted = delete(set);
        assertThat(deleted.statusCode()).isEqualTo(202);
        String location = header(deleted, "Location");
        await().atMost(Duration.ofSeconds(60)).until(() -> get(location).statusCode() == 204);
        assertThat(get(set).statusCode()).isEqualTo(404);
        assertThat(count("select count(*) from virtual_machines where scale_set_key = ?", key)).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> topic.events(key).stream()
                .anyMatch(e -> e.type().equals(EventTypes.SCALE_SET_DELETED)));
        assertThat(delete(set).statusCode()).isEqualTo(204);
    }

    @Test
    void scalingOutAndInKeepsTheFaultDomainsBalancedAndFollowsTheScaleInPolicyAndProtection() {
        String set = setPath(sub, "rg", "scaled");
        awaitOperation(put(set, uniform("westeurope", 3,
                "\"platformFaultDomainCount\": 3, \"overprovision\": false,")), "Succeeded");
        assertThat(instanceIds(set)).containsExactly("0", "1", "2");

        awaitOperation(patch(set, "{\"sku\": {\"capacity\": 6}}"), "Succeeded");
        assertThat(instanceIds(set)).containsExactly("0", "1", "2", "3", "4", "5");
        assertThat(faultDomainCounts(set)).isEqualTo(Map.of(0, 2, 1, 2, 2, 2));

        // Default: balance first, then the highest ids
        awaitOperation(patch(set, "{\"sku\": {\"capacity\": 4}}"), "Succeeded");
        assertThat(instanceIds(set)).containsExactly("0", "1", "2", "3");
        assertThat(faultDomainCounts(set).values()).containsExactlyInAnyOrder(2, 1, 1);
        assertThat(json(get(set)).path("sku").path("capacity").intValue()).isEqualTo(4);

        // OldestVM: the lowest id goes
        awaitOperation(patch(set, "{\"sku\": {\"capacity\": 3}, \"properties\": {\"scaleInPolicy\": "
                + "{\"rules\": [\"OldestVM\"]}}}"), "Succeeded");
        assertThat(instanceIds(set)).containsExactly("1", "2", "3");

        // NewestVM, with the newest protected from scale-in: the next newest goes
        HttpResponse<String> protect = put(set + "/virtualMachines/3",
                "{\"properties\": {\"protectionPolicy\": {\"protectFromScaleIn\": true}}}");
        assertThat(protect.statusCode()).as(protect.body()).isEqualTo(200);
        assertThat(json(protect).path("properties").path("protectionPolicy").path("protectFromScaleIn")
                .booleanValue()).isTrue();
        awaitOperation(patch(set, "{\"sku\": {\"capacity\": 2}, \"properties\": {\"scaleInPolicy\": "
                + "{\"rules\": [\"NewestVM\"]}}}"), "Succeeded");
        assertThat(instanceIds(set)).containsExactly("1", "3");

        // too few unprotected instances: refused, nothing changes
        put(set + "/virtualMachines/1", "{\"properties\": {\"protectionPolicy\": {\"protectFromScaleIn\": true}}}");
        String etag = json(get(set)).path("etag").stringValue();
        HttpResponse<String> refused = patch(set, "{\"sku\": {\"capacity\": 1}}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(json(refused).path("error").path("code").stringValue()).isEqualTo("OperationNotAllowed");
        assertThat(json(get(set)).path("etag").stringValue()).isEqualTo(etag);
        assertThat(json(get(set)).path("sku").path("capacity").intValue()).isEqualTo(2);
    }

    @Test
    void setWideAndInstanceActionsChangeTheInstancesNamedAndDeleteInstancesLowersTheCapacity() {
        String set = setPath(sub, "rg", "acts");
        awaitOperation(put(set, uniform("westeurope", 3,
                "\"platformFaultDomainCount\": 3, \"overprovision\": false,")), "Succeeded");

        awaitOperation(post(set + "/powerOff", "{\"instanceIds\": [\"1\"]}"), "Succeeded");
        assertThat(powerStates(set)).containsExactly("running", "stopped", "running");

        awaitOperation(post(set + "/deallocate", null), "Succeeded");
        assertThat(powerStates(set)).containsExactly("deallocated", "deallocated", "deallocated");

        awaitOperation(post(set + "/virtualMachines/2/start", null), "Succeeded");
        assertThat(powerStates(set)).containsExactly("deallocated", "deallocated", "running");
        awaitOperation(post(set + "/start", "{\"instanceIds\": [\"0\", \"1\", \"2\"]}"), "Succeeded");
        assertThat(powerStates(set)).containsExactly("running", "running", "running");

        HttpResponse<String> wrongState = post(set + "/virtualMachines/0/start", null);
        assertThat(wrongState.statusCode()).isEqualTo(409);

        // reimage: a reboot with a fresh OS disk, on one instance and through the set
        awaitOperation(post(set + "/virtualMachines/1/reimage", null), "Succeeded");
        awaitOperation(post(set + "/reimage", "{\"instanceIds\": [\"0\"]}"), "Succeeded");
        assertThat(powerStates(set)).containsExactly("running", "running", "running");
        for (String id : List.of("0", "1")) {
            String key = (set + "/virtualMachines/" + id).toLowerCase(Locale.ROOT);
            await().atMost(Duration.ofSeconds(30)).until(() -> vmTopic().events(key).stream().map(TopicReader.Event::type)
                    .toList().containsAll(List.of(EventTypes.VM_REIMAGING, EventTypes.VM_REIMAGED)));
        }

        awaitOperation(post(set + "/delete", "{\"instanceIds\": [\"0\"]}"), "Succeeded");
        assertThat(instanceIds(set)).containsExactly("1", "2");
        assertThat(json(get(set)).path("sku").path("capacity").intValue()).isEqualTo(2);

        HttpResponse<String> one = delete(set + "/virtualMachines/2");
        assertThat(one.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> instanceIds(set).equals(List.of("1")));
        assertThat(json(get(set)).path("sku").path("capacity").intValue()).isEqualTo(1);
        assertThat(get(set + "/virtualMachines/2").statusCode()).isEqualTo(404);

        // a new image version is a new model: instances are behind until manualupgrade
        String exact = json(get(set + "/virtualMachines/1")).path("properties").path("storageProfile")
                .path("imageReference").path("exactVersion").stringValue();
        HttpResponse<String> model = patch(set, "{\"properties\": {\"virtualMachineProfile\": {\"storageProfile\": "
                + "{\"imageReference\": {\"version\": \"" + exact + "\"}}}}}");
        assertThat(model.statusCode()).as(model.body()).isEqualTo(200);
        assertThat(json(get(set + "/virtualMachines/1")).path("properties").path("latestModelApplied").booleanValue())
                .isFalse();
        awaitOperation(post(set + "/manualupgrade", "{\"instanceIds\": [\"1\"]}"), "Succeeded");
        JsonNode upgraded = json(get(set + "/virtualMachines/1"));
        assertThat(upgraded.path("properties").path("latestModelApplied").booleanValue()).isTrue();
        assertThat(upgraded.path("properties").path("storageProfile").path("imageReference").path("version")
                .stringValue()).isEqualTo(exact);
    }

    @Test
    void aRollingUpgradeGoesBatchByBatchOneUpdateDomainAtATime() {
        String set = setPath(sub, "rg", "rolling");
        awaitOperation(put(set, uniform("westeurope", 3, "\"platformFaultDomainCount\": 3, \"overprovision\": false, "
                + "\"upgradePolicy\": {\"mode\": \"Rolling\", \"rollingUpgradePolicy\": "
                + "{\"maxBatchInstancePercent\": 34, \"pauseTimeBetweenBatches\": \"PT0S\"}},")), "Succeeded");
        Map<String, Integer> updateDomains = new TreeMap<>();
        for (JsonNode vm : instances(set)) {
            updateDomains.put(vm.path("instanceId").stringValue(),
                    vm.path("properties").path("instanceView").path("platformUpdateDomain").intValue());
        }
        assertThat(new java.util.HashSet<>(updateDomains.values())).as("3 instances, 3 update domains").hasSize(3);

        String exact = json(get(set + "/virtualMachines/0")).path("properties").path("storageProfile")
                .path("imageReference").path("exactVersion").stringValue();
        HttpResponse<String> changed = patch(set, "{\"properties\": {\"virtualMachineProfile\": {\"storageProfile\": "
                + "{\"imageReference\": {\"version\": \"" + exact + "\"}}}}}");
        assertThat(json(changed).path("properties").path("provisioningState").stringValue()).isEqualTo("Updating");
        awaitOperation(changed, "Succeeded");
        assertThat(instances(set)).allMatch(vm -> vm.path("properties").path("latestModelApplied").booleanValue());

        // one batch per update domain, in update-domain order, each over before the next began
        List<String> byDomain = updateDomains.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey).toList();
        List<java.time.Instant[]> windows = new ArrayList<>();
        for (String id : byDomain) {
            String key = (set + "/virtualMachines/" + id).toLowerCase(Locale.ROOT);
            await().atMost(Duration.ofSeconds(30)).until(() -> vmTopic().events(key).stream()
                    .anyMatch(e -> e.type().equals(EventTypes.VM_REIMAGED)));
            List<TopicReader.Event> events = vmTopic().events(key);
            windows.add(new java.time.Instant[] {time(events, EventTypes.VM_REIMAGING), time(events, EventTypes.VM_REIMAGED)});
        }
        for (int i = 1; i < windows.size(); i++) {
            assertThat(windows.get(i)[0]).as("batch %d begins after batch %d ended", i, i - 1)
                    .isAfterOrEqualTo(windows.get(i - 1)[1]);
        }

        JsonNode latest = json(get(set + "/rollingUpgrades/latest"));
        assertThat(latest.path("properties").path("runningStatus").path("code").stringValue()).isEqualTo("Completed");
        assertThat(latest.path("properties").path("runningStatus").path("lastAction").stringValue()).isEqualTo("Start");
        assertThat(latest.path("properties").path("progress").path("successfulInstanceCount").intValue()).isEqualTo(3);
        assertThat(latest.path("properties").path("policy").path("maxBatchInstancePercent").intValue()).isEqualTo(34);
        HttpResponse<String> nothingToCancel = post(set + "/rollingUpgrades/cancel", null);
        assertThat(nothingToCancel.statusCode()).isEqualTo(409);
        assertThat(json(nothingToCancel).path("error").path("code").stringValue()).isEqualTo("OperationNotAllowed");
    }

    @Test
    void aCancelledRollingUpgradeFinishesItsBatchAndStartsNoOther() {
        String set = setPath(sub, "rg", "cancelled");
        awaitOperation(put(set, uniform("westeurope", 3, "\"platformFaultDomainCount\": 3, \"overprovision\": false, "
                + "\"upgradePolicy\": {\"mode\": \"Rolling\", \"rollingUpgradePolicy\": "
                + "{\"maxBatchInstancePercent\": 34, \"pauseTimeBetweenBatches\": \"PT30S\"}},")), "Succeeded");
        assertThat(get(set + "/rollingUpgrades/latest").statusCode()).as("none ran yet").isEqualTo(404);
        String exact = json(get(set + "/virtualMachines/0")).path("properties").path("storageProfile")
                .path("imageReference").path("exactVersion").stringValue();
        HttpResponse<String> changed = patch(set, "{\"properties\": {\"virtualMachineProfile\": {\"storageProfile\": "
                + "{\"imageReference\": {\"version\": \"" + exact + "\"}}}}}");
        // the first batch runs, then a 30-second pause: cancel during it
        await().atMost(Duration.ofSeconds(30)).until(() -> json(get(set + "/rollingUpgrades/latest")).path("properties")
                .path("progress").path("successfulInstanceCount").intValue() == 1);
        HttpResponse<String> cancel = post(set + "/rollingUpgrades/cancel", null);
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
        awaitOperation(changed, "Succeeded");
        JsonNode latest = json(get(set + "/rollingUpgrades/latest")).path("properties");
        assertThat(latest.path("runningStatus").path("code").stringValue()).isEqualTo("Cancelled");
        assertThat(latest.path("runningStatus").path("lastAction").stringValue()).isEqualTo("Cancel");
        assertThat(latest.path("progress").path("successfulInstanceCount").intValue()).isEqualTo(1);
        assertThat(latest.path("progress").path("pendingInstanceCount").intValue()).isEqualTo(2);
        assertThat(instances(set).stream().filter(vm -> vm.path("properties").path("latestModelApplied").booleanValue()))
                .hasSize(1);
    }

    private static java.time.Instant time(List<TopicReader.Event> events, String type) {
        return java.time.Instant.parse(events.stream().filter(e -> e.type().equals(type)).findFirst().orElseThrow()
                .json().path("time").stringValue());
    }

    private List<String> powerStates(String set) {
        return instances(set).stream().map(vm -> {
            for (JsonNode s : vm.path("properties").path("instanceView").path("statuses")) {
                String code = s.path("code").stringValue();
                if (code.startsWith("PowerState/")) {
                    return code.substring("PowerState/".length());
                }
            }
            return "none";
        }).toList();
    }

    @Test
    void aPartialAllocationFailureFailsTheOperationAndTheFailedInstancesGoFirstOnScaleIn() {
        // northeurope has one 4-vCPU host in the test inventory: 4 of 6 one-vCPU instances fit
        String set = setPath(sub, "rg", "full");
        HttpResponse<String> created = put(set, uniform("northeurope", 6, "\"overprovision\": false,"));
        awaitOperation(created, "Failed");
        JsonNode op = json(get(header(created, "Azure-AsyncOperation")));
        assertThat(op.path("error").path("code").stringValue()).isEqualTo("AllocationFailed");
        assertThat(op.path("error").path("message").stringValue()).contains("2 of the 6 instances");
        assertThat(json(get(set)).path("properties").path("provisioningState").stringValue()).isEqualTo("Failed");
        List<JsonNode> instances = instances(set);
        assertThat(instances).hasSize(6);
        assertThat(instances.stream().filter(vm -> vm.path("properties").path("provisioningState").stringValue()
                .equals("Failed")).count()).isEqualTo(2);

        awaitOperation(patch(set, "{\"sku\": {\"capacity\": 4}}"), "Succeeded");
        assertThat(instances(set)).hasSize(4).allMatch(vm -> vm.path("properties").path("provisioningState")
                .stringValue().equals("Succeeded"));
        assertThat(json(get(set)).path("properties").path("provisioningState").stringValue()).isEqualTo("Succeeded");
        String location = header(delete(set), "Location");
        await().atMost(Duration.ofSeconds(60)).until(() -> get(location).statusCode() == 204);
    }

    @Test
    void aFlexibleSetsInstancesAreOrdinaryVmsListedBothWays() {
        createNic(sub, "rg", "westeurope", "fixture-nic");
        String subnet = "/subscriptions/" + sub
                + "/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-westeurope/subnets/default";
        String set = setPath(sub, "rg", "flex");
        String body = uniform("westeurope", 2, "\"orchestrationMode\": \"Flexible\", \"platformFaultDomainCount\": 2,")
                .replace("/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/"
                        + "Microsoft.Network/virtualNetworks/v/subnets/default", subnet)
                .replace("\"networkInterfaceConfigurations\"", "\"networkApiVersion\": \"2020-11-01\", "
                        + "\"networkInterfaceConfigurations\"");
        HttpResponse<String> created = put(set, body);
        assertThat(json(created).path("properties").has("overprovision")).isFalse();
        awaitOperation(created, "Succeeded");
        List<JsonNode> members = instances(set);
        assertThat(members).hasSize(2);
        for (JsonNode vm : members) {
            assertThat(vm.path("type").stringValue()).isEqualTo("Microsoft.Compute/virtualMachines");
            assertThat(vm.path("name").stringValue()).startsWith("flex_");
            assertThat(vm.path("properties").path("virtualMachineScaleSet").path("id").stringValue()).isEqualTo(set);
        }
        List<String> listed = json(get("/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Compute/"
                + "virtualMachines")).findValuesAsString("name");
        assertThat(listed).containsAll(members.stream().map(vm -> vm.path("name").stringValue()).toList());

        String location = header(delete(set), "Location");
        await().atMost(Duration.ofSeconds(60)).until(() -> get(location).statusCode() == 204);
        assertThat(json(get("/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Compute/"
                + "virtualMachines")).path("value")).isEmpty();
    }
}
