package dev.cirrus.computevm.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.cirrus.computevm.ComputeVmTestSupport;
import dev.cirrus.computevm.TopicReader;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.placement.v1.Allocation;
import dev.cirrus.contracts.placement.v1.GetAllocationRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class VirtualMachineLifecycleTest extends ComputeVmTestSupport {

    private final String sub = newSubscription();

    @Test
    void aCreatedVmIsPlacedRunsAndShowsItsFaultDomain() {
        String path = vmPath(sub, "Rg-Web", "vm1");
        HttpResponse<String> created = putVm(path, vmBody("Standard_D2s_v5"));

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode vm = json(created);
        assertThat(vm.path("id").stringValue()).isEqualTo(path);
        assertThat(vm.path("name").stringValue()).isEqualTo("vm1");
        assertThat(vm.path("type").stringValue()).isEqualTo("Microsoft.Compute/virtualMachines");
        assertThat(vm.path("location").stringValue()).isEqualTo("westeurope");
        assertThat(vm.path("tags").path("env").stringValue()).isEqualTo("test");
        JsonNode props = vm.path("properties");
        assertThat(props.path("provisioningState").stringValue()).isEqualTo("Creating");
        assertThat(props.path("vmId").stringValue()).matches("[0-9a-f-]{36}");
        assertThat(props.path("timeCreated").stringValue()).isNotEmpty();
        assertThat(props.path("hardwareProfile").path("vmSize").stringValue()).isEqualTo("Standard_D2s_v5");
        JsonNode osDisk = props.path("storageProfile").path("osDisk");
        assertThat(osDisk.path("name").stringValue()).matches("vm1_OsDisk_1_[0-9a-f]{32}");
        assertThat(osDisk.path("createOption").stringValue()).isEqualTo("FromImage");
        assertThat(osDisk.path("caching").stringValue()).isEqualTo("ReadWrite");
        assertThat(osDisk.path("osType").stringValue()).isEqualTo("Linux");
        assertThat(osDisk.path("managedDisk").path("storageAccountType").stringValue()).isEqualTo("Premium_LRS");
        assertThat(props.path("storageProfile").path("dataDisks").isArray()).isTrue();
        assertThat(props.path("osProfile").path("adminUsername").stringValue()).isEqualTo("azureuser");
        assertThat(props.path("osProfile").has("adminPassword")).isFalse();
        assertThat(props.path("networkProfile").path("networkInterfaces").get(0).path("properties").path("primary")
                .booleanValue()).isTrue();
        assertThat(vm.path("etag").stringValue()).isEqualTo(header(created, "ETag"));
        assertThat(header(created, "Retry-After")).isEqualTo("1");
        String operationUrl = header(created, "Azure-AsyncOperation");
        assertThat(operationUrl).startsWith("http://127.0.0.1:" + port + "/subscriptions/" + sub
                + "/providers/Microsoft.Compute/locations/westeurope/operations/").endsWith("?" + API);

        JsonNode operation = awaitOperation(operationUrl, "Succeeded");
        assertThat(operation.path("startTime").stringValue()).isNotEmpty();
        assertThat(operation.path("endTime").stringValue()).isNotEmpty();
        assertThat(operation.has("error")).isFalse();

        String vmId = props.path("vmId").stringValue();
        Allocation allocation = allocationOf(vmId);
        HttpResponse<String> read = get(path + "?$expand=instanceView");
        assertThat(read.statusCode()).isEqualTo(200);
        JsonNode running = json(read).path("properties");
        assertThat(running.path("provisioningState").stringValue()).isEqualTo("Succeeded");
        assertThat(running.path("timeCreated")).isEqualTo(props.path("timeCreated"));
        JsonNode view = running.path("instanceView");
        assertThat(view.path("platformFaultDomain").intValue()).isEqualTo(allocation.getFaultDomain());
        assertThat(view.path("platformUpdateDomain").intValue()).isEqualTo(allocation.getUpdateDomain());
        assertThat(view.path("computerName").stringValue()).isEqualTo("web1");
        assertThat(view.path("statuses").findValuesAsString("code"))
                .containsExactly("ProvisioningState/succeeded", "PowerState/running");
        assertThat(view.path("statuses").get(0).path("displayStatus").stringValue()).isEqualTo("Provisioning succeeded");
        assertThat(view.path("statuses").get(1).path("displayStatus").stringValue()).isEqualTo("VM running");
        assertThat(json(read).path("etag").stringValue()).isNotEqualTo(vm.path("etag").stringValue());

        HttpResponse<String> instanceView = get(path + "/instanceView");
        assertThat(instanceView.statusCode()).isEqualTo(200);
        assertThat(json(instanceView).path("platformFaultDomain").intValue()).isEqualTo(allocation.getFaultDomain());

        String key = vmKey(sub, "Rg-Web", "vm1");
        List<TopicReader.Event> events = awaitEvents(key, 2);
        assertThat(events).extracting(TopicReader.Event::type)
                .containsExactly(EventTypes.VM_CREATED, EventTypes.VM_STARTED);
        TopicReader.Event createdEvent = events.get(0);
        assertThat(createdEvent.json().path("subject").stringValue()).isEqualTo(path);
        assertThat(createdEvent.json().path("source").stringValue()).isEqualTo("/cirrus/compute-vm");
        assertThat(createdEvent.data().path("provisioningState").stringValue()).isEqualTo("Creating");
        assertThat(createdEvent.data().path("powerState").isNull()).isTrue();
        assertThat(createdEvent.data().path("host").isNull()).isTrue();
        JsonNode started = events.get(1).data();
        assertThat(started.path("subscriptionId").stringValue()).isEqualTo(sub);
        assertThat(started.path("resourceGroup").stringValue()).isEqualTo("Rg-Web");
        assertThat(started.path("name").stringValue()).isEqualTo("vm1");
        assertThat(started.path("location").stringValue()).isEqualTo("westeurope");
        assertThat(started.path("vmId").stringValue()).isEqualTo(vmId);
        assertThat(started.path("vmSize").stringValue()).isEqualTo("Standard_D2s_v5");
        assertThat(started.path("vcpus").intValue()).isEqualTo(2);
        assertThat(started.path("memoryMib").intValue()).isEqualTo(8192);
        assertThat(started.path("provisioningState").stringValue()).isEqualTo("Succeeded");
        assertThat(started.path("powerState").stringValue()).isEqualTo("running");
        assertThat(started.path("host").stringValue()).isEqualTo(allocation.getHost());
        assertThat(started.path("faultDomain").intValue()).isEqualTo(allocation.getFaultDomain());
        assertThat(started.path("updateDomain").intValue()).isEqualTo(allocation.getUpdateDomain());
        assertThat(Instant.parse(events.get(1).json().path("time").stringValue()))
                .isAfterOrEqualTo(Instant.parse(createdEvent.json().path("time").stringValue()));

        assertThat(bodiesSeen).noneMatch(b -> b.contains(PASSWORD));
        assertThat(events).noneMatch(e -> e.raw().contains(PASSWORD));
        assertThat(count("select count(*) from outbox where payload like ?", "%" + PASSWORD + "%")).isZero();
        assertThat(count("select count(*) from virtual_machines where profile::text like ?", "%" + PASSWORD + "%")).isZero();
    }

    @Test
    void aDeletedVmReleasesItsHostAndDisappears() {
        String path = vmPath(sub, "rg", "doomed");
        HttpResponse<String> created = putVm(path, vmBody("Standard_B1s"));
        awaitOperation(header(created, "Azure-AsyncOperation"), "Succeeded");
        String vmId = json(created).path("properties").path("vmId").stringValue();

        HttpResponse<String> deleting = delete(path);

        assertThat(deleting.statusCode()).isEqualTo(202);
        assertThat(header(deleting, "Retry-After")).isEqualTo("1");
        String location = header(deleting, "Location");
        assertThat(location).startsWith("http://127.0.0.1:" + port + "/subscriptions/" + sub
                + "/providers/Microsoft.Compute/locations/westeurope/operationResults/").endsWith("?" + API);
        assertThat(header(deleting, "Azure-AsyncOperation")).contains("/operations/");
        // the status a CLI polls says when to ask again (else the Azure CLI waits 30 s between polls)
        HttpResponse<String> status = get(header(deleting, "Azure-AsyncOperation"));
        assertThat(json(status).path("status").stringValue()).isEqualTo("InProgress");
        assertThat(header(status, "Retry-After")).isEqualTo("1");
        HttpResponse<String> running = get(location);
        assertThat(running.statusCode()).isEqualTo(202);
        assertThat(header(running, "Location")).isEqualTo(location);
        assertThat(header(running, "Retry-After")).isEqualTo("1");
        assertThat(json(get(path)).path("properties").path("provisioningState").stringValue()).isEqualTo("Deleting");
        assertThat(delete(path).statusCode()).as("a repeated DELETE joins the running one").isEqualTo(202);

        await().atMost(Duration.ofSeconds(30)).until(() -> get(location).statusCode() == 204);

        HttpResponse<String> gone = get(path);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(json(gone).path("error").path("code").stringValue()).isEqualTo("ResourceNotFound");
        assertThat(json(gone).path("error").path("message").stringValue()).isEqualTo(
                "The Resource 'Microsoft.Compute/virtualMachines/doomed' under resource group 'rg' was not found.");
        assertThat(Assertions.catchThrowableOfType(StatusRuntimeException.class, () -> allocationOf(vmId)).getStatus()
                .getCode()).as("the engine holds nothing for it").isEqualTo(Status.Code.NOT_FOUND);
        awaitOperation(header(deleting, "Azure-AsyncOperation"), "Succeeded");
        List<TopicReader.Event> events = awaitEvents(vmKey(sub, "rg", "doomed"), 3);
        assertThat(events).extracting(TopicReader.Event::type)
                .containsExactly(EventTypes.VM_CREATED, EventTypes.VM_STARTED, EventTypes.VM_DELETED);
        JsonNode deleted = events.get(2).data();
        assertThat(deleted.path("provisioningState").stringValue()).isEqualTo("Deleted");
        assertThat(deleted.path("powerState").isNull()).isTrue();
        assertThat(deleted.path("host").isNull()).isTrue();
        assertThat(deleted.path("vmId").stringValue()).isEqualTo(vmId);

        assertThat(delete(path).statusCode()).as("deleting what is gone").isEqualTo(204);
    }

    @Test
    void aVmThatFitsNowhereFailsWithTheEnginesDiagnosis() {
        // northeurope has one 4-vCPU host in the test inventory
        String path = vmPath(sub, "rg", "big1");
        HttpResponse<String> created = putVm(path, vmBody("Standard_D8s_v5").replace("West Europe", "North Europe"));
        assertThat(created.statusCode()).isEqualTo(201);

        JsonNode operation = awaitOperation(header(created, "Azure-AsyncOperation"), "Failed");
        assertThat(operation.path("error").path("code").stringValue()).isEqualTo("AllocationFailed");
        String diagnosis = operation.path("error").path("message").stringValue();
        assertThat(diagnosis).startsWith("0/1 hosts in northeurope are available: 1 insufficient");

        JsonNode vm = json(get(path + "?$expand=instanceView")).path("properties");
        assertThat(vm.path("provisioningState").stringValue()).isEqualTo("Failed");
        JsonNode status = vm.path("instanceView").path("statuses").get(0);
        assertThat(status.path("code").stringValue()).isEqualTo("ProvisioningState/failed/AllocationFailed");
        assertThat(status.path("level").stringValue()).isEqualTo("Error");
        assertThat(status.path("message").stringValue()).isEqualTo(diagnosis);
        assertThat(vm.path("instanceView").path("statuses").size()).as("no power state without a host").isEqualTo(1);

        List<TopicReader.Event> events = awaitEvents(vmKey(sub, "rg", "big1"), 2);
        assertThat(events).extracting(TopicReader.Event::type)
                .containsExactly(EventTypes.VM_CREATED, EventTypes.VM_ALLOCATION_FAILED);
        assertThat(events.get(1).data().path("provisioningState").stringValue()).isEqualTo("Failed");
        assertThat(events.get(1).data().path("host").isNull()).isTrue();

        HttpResponse<String> deleting = delete(path);
        assertThat(deleting.statusCode()).as("a failed VM can be deleted").isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> get(header(deleting, "Location")).statusCode() == 204);
        assertThat(get(path).statusCode()).isEqualTo(404);
    }

    @Test
    void writesWaitWhileTheVmIsStillBeingCreated() {
        // provisioning takes a second here: the writes below arrive while the VM is Creating
        String path = vmPath(sub, "rg", "busy");
        HttpResponse<String> created = putVm(path, vmBody("Standard_B1s"));
        assertThat(created.statusCode()).isEqualTo(201);

        HttpResponse<String> again = putVm(path, vmBody("Standard_B1s"));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).path("error").path("code").stringValue()).isEqualTo("AnotherOperationInProgress");
        HttpResponse<String> deleting = delete(path);
        assertThat(deleting.statusCode()).isEqualTo(409);
        assertThat(json(deleting).path("error").path("code").stringValue()).isEqualTo("AnotherOperationInProgress");

        awaitOperation(header(created, "Azure-AsyncOperation"), "Succeeded");
        assertThat(putVm(path, vmBody("Standard_B1s")).statusCode()).isEqualTo(200);
    }

    @Test
    void aPutOnAnExistingVmReplacesItsTagsAndRefusesImmutableChanges() {
        String path = vmPath(sub, "rg", "tagged");
        HttpResponse<String> created = putVm(path, vmBody("Standard_B2s"));
        awaitOperation(header(created, "Azure-AsyncOperation"), "Succeeded");
        HttpResponse<String> read = get(path);

        ObjectNode roundTrip = (ObjectNode) json(read);
        roundTrip.putObject("tags").put("env", "prod");
        HttpResponse<String> updated = put(path, roundTrip.toString());
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(header(updated, "Azure-AsyncOperation")).isNull();
        assertThat(json(updated).path("tags").properties()).hasSize(1);
        assertThat(json(updated).path("tags").path("env").stringValue()).isEqualTo("prod");
        assertThat(json(updated).path("properties").path("provisioningState").stringValue()).isEqualTo("Succeeded");
        assertThat(header(updated, "ETag")).isNotEqualTo(header(read, "ETag"));
        assertThat(json(get(path)).path("tags").path("env").stringValue()).isEqualTo("prod");

        HttpResponse<String> resized = putVm(path, vmBody("Standard_D4s_v5"));
        assertThat(resized.statusCode()).isEqualTo(409);
        assertThat(json(resized).path("error").path("code").stringValue()).isEqualTo("PropertyChangeNotAllowed");
        assertThat(json(resized).path("error").path("target").stringValue()).isEqualTo("properties.hardwareProfile.vmSize");
        assertThat(json(resized).path("error").path("message").stringValue()).contains("vmSize");

        HttpResponse<String> moved = put(path, vmBody("Standard_B2s").replace("West Europe", "eastus"));
        assertThat(moved.statusCode()).isEqualTo(409);
        assertThat(json(moved).path("error").path("target").stringValue()).isEqualTo("location");

        HttpResponse<String> reimaged = putVm(path, vmBody("Standard_B2s").replace("22_04-lts", "24_04-lts"));
        assertThat(reimaged.statusCode()).isEqualTo(409);
        assertThat(json(reimaged).path("error").path("code").stringValue()).isEqualTo("PropertyChangeNotAllowed");
        assertThat(json(reimaged).path("error").path("target").stringValue())
                .isEqualTo("properties.storageProfile.imageReference");

        assertThat(json(get(path)).path("tags").path("env").stringValue()).as("refusals change nothing").isEqualTo("prod");
    }

    @Test
    void etagsGuardWritesAsArmDescribes() {
        String path = vmPath(sub, "rg", "guarded");
        assertThat(put(path, vmBody("Standard_B1s"), "If-Match", "*").statusCode())
                .as("If-Match on a VM that does not exist").isEqualTo(412);
        assertThat(get(path).statusCode()).isEqualTo(404);

        HttpResponse<String> created = putVm(path, vmBody("Standard_B1s"), "If-None-Match", "*");
        assertThat(created.statusCode()).isEqualTo(201);
        awaitOperation(header(created, "Azure-AsyncOperation"), "Succeeded");
        String etag = header(get(path), "ETag");

        HttpResponse<String> again = putVm(path, vmBody("Standard_B1s"), "If-None-Match", "*");
        assertThat(again.statusCode()).isEqualTo(412);
        assertThat(json(again).path("error").path("code").stringValue()).isEqualTo("PreconditionFailed");
        assertThat(putVm(path, vmBody("Standard_B1s"), "If-Match", "\"stale\"").statusCode()).isEqualTo(412);
        HttpResponse<String> matching = putVm(path, vmBody("Standard_B1s"), "If-Match", etag);
        assertThat(matching.statusCode()).isEqualTo(200);
        assertThat(delete(path, "If-Match", etag).statusCode()).as("the etag changed with the update").isEqualTo(412);
        assertThat(delete(path, "If-Match", header(matching, "ETag")).statusCode()).isEqualTo(202);
        assertThat(delete(vmPath(sub, "rg", "never-there"), "If-Match", "\"x\"").statusCode()).isEqualTo(204);
    }

    @Test
    void listsArePagedWithAbsoluteNextLinks() {
        for (String name : List.of("a1", "a2", "a3", "a4", "a5")) {
            assertThat(putVm(vmPath(sub, "group-a", name), vmBody("Standard_B1s")).statusCode()).isEqualTo(201);
        }
        for (String name : List.of("b1", "b2")) {
            assertThat(putVm(vmPath(sub, "group-b", name), vmBody("Standard_B1s")).statusCode()).isEqualTo(201);
        }

        List<String> all = names(listAll("/subscriptions/" + sub + "/providers/Microsoft.Compute/virtualMachines", 3));
        assertThat(all).containsExactlyInAnyOrder("a1", "a2", "a3", "a4", "a5", "b1", "b2");
        List<String> groupA = names(listAll(
                "/subscriptions/" + sub + "/resourceGroups/GROUP-A/providers/Microsoft.Compute/virtualMachines", 3));
        assertThat(groupA).containsExactly("a1", "a2", "a3", "a4", "a5");

        HttpResponse<String> top = get("/subscriptions/" + sub + "/providers/Microsoft.Compute/virtualMachines?$top=2");
        assertThat(json(top).path("value").size()).isEqualTo(2);
        assertThat(json(top).path("nextLink").stringValue()).contains("top=2").contains("$skiptoken=");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode statuses = json(get("/subscriptions/" + sub
                    + "/resourceGroups/group-b/providers/Microsoft.Compute/virtualMachines?statusOnly=true"));
            assertThat(statuses.path("value")).hasSize(2).allSatisfy(vm -> assertThat(
                    vm.path("properties").path("instanceView").path("statuses").findValuesAsString("code"))
                    .containsExactly("ProvisioningState/succeeded", "PowerState/running"));
        });

        JsonNode empty = json(get("/subscriptions/" + newSubscription() + "/providers/Microsoft.Compute/virtualMachines"));
        assertThat(empty.path("value").isArray()).isTrue();
        assertThat(empty.path("value").isEmpty()).isTrue();
        assertThat(empty.has("nextLink")).isFalse();
    }

    @Test
    void pathsMatchCaseInsensitivelyAndAnswerInTheCasingLastSupplied() {
        String path = vmPath(sub, "MixedCase", "Vm-One");
        assertThat(putVm(path, vmBody("Standard_B1s")).statusCode()).isEqualTo(201);
        HttpResponse<String> read = get("/SUBSCRIPTIONS/" + sub.toUpperCase()
                + "/resourcegroups/mixedcase/providers/microsoft.compute/VIRTUALMACHINES/vm-one");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(json(read).path("id").stringValue()).isEqualTo(path);
        assertThat(json(read).path("name").stringValue()).isEqualTo("Vm-One");
    }

    @Test
    void operationUrlsPointAtTheGatewayThatForwardedTheRequest() {
        HttpResponse<String> created = putVm(vmPath(sub, "rg", "forwarded"), vmBody("Standard_B1s"),
                "X-Forwarded-Host", "gateway.example", "X-Forwarded-Proto", "https", "X-Forwarded-Port", "8443");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(header(created, "Azure-AsyncOperation")).startsWith("https://gateway.example:8443/subscriptions/" + sub
                + "/providers/Microsoft.Compute/locations/westeurope/operations/");
    }

    @Test
    void unknownOperationsAreNotFoundAndOperationsStayInTheirSubscription() {
        HttpResponse<String> unknown = get("/subscriptions/" + sub
                + "/providers/Microsoft.Compute/locations/westeurope/operations/" + java.util.UUID.randomUUID());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("error").path("code").stringValue()).isEqualTo("OperationNotFound");

        HttpResponse<String> created = putVm(vmPath(sub, "rg", "mine"), vmBody("Standard_B1s"));
        String operationUrl = header(created, "Azure-AsyncOperation");
        assertThat(get(operationUrl).statusCode()).isEqualTo(200);
        assertThat(get(operationUrl.replace(sub, newSubscription())).statusCode()).isEqualTo(404);
        assertThat(get(operationUrl.replace("/westeurope/", "/eastus/")).statusCode()).isEqualTo(404);
    }

    @Test
    void theSizeListComesFromTheCatalogue() {
        HttpResponse<String> sizes = get("/subscriptions/" + sub + "/providers/Microsoft.Compute/locations/westeurope/vmSizes");
        assertThat(sizes.statusCode()).isEqualTo(200);
        JsonNode d2 = null;
        for (JsonNode size : json(sizes).path("value")) {
            if (size.path("name").stringValue().equals("Standard_D2s_v5")) {
                d2 = size;
            }
        }
        assertThat(json(sizes).path("value").size()).isEqualTo(11);
        assertThat(d2).isNotNull();
        assertThat(d2.path("numberOfCores").intValue()).isEqualTo(2);
        assertThat(d2.path("memoryInMB").intValue()).isEqualTo(8192);
        assertThat(d2.path("maxDataDiskCount").intValue()).isEqualTo(4);
        assertThat(d2.has("osDiskSizeInMB")).isTrue();
        assertThat(d2.has("resourceDiskSizeInMB")).isTrue();
    }

    @Test
    void theServiceReportsLivenessAndReadiness() {
        assertThat(send("GET", "/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        HttpResponse<String> readiness = send("GET", "/actuator/health/readiness", null);
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"UP\"");
    }

    // ---- helpers ----

    private static Allocation allocationOf(String vmId) {
        return ENGINE.grpc().getAllocation(GetAllocationRequest.newBuilder().setVmId(vmId).build());
    }

    private JsonNode awaitOperation(String url, String status) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            HttpResponse<String> r = get(url);
            assertThat(r.statusCode()).isEqualTo(200);
            last[0] = json(r);
            assertThat(last[0].path("status").stringValue()).isEqualTo(status);
        });
        return last[0];
    }

    private List<TopicReader.Event> awaitEvents(String key, int count) {
        TopicReader reader = vmTopic();
        await().atMost(Duration.ofSeconds(60)).until(() -> reader.events(key).size() >= count);
        return reader.events(key);
    }

    /** Follows nextLinks to the end, checking every page's size and link shape. */
    private List<JsonNode> listAll(String path, int pageSize) {
        List<JsonNode> items = new java.util.ArrayList<>();
        String next = withApi(path);
        int pages = 0;
        while (next != null) {
            HttpResponse<String> page = get(next);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode body = json(page);
            assertThat(body.path("value").size()).isLessThanOrEqualTo(pageSize);
            body.path("value").forEach(items::add);
            next = body.has("nextLink") ? body.path("nextLink").stringValue() : null;
            if (next != null) {
                assertThat(next).startsWith("http://127.0.0.1:" + port + "/subscriptions/").contains("api-version=")
                        .contains("$skiptoken=");
            }
            assertThat(++pages).isLessThan(10);
        }
        return items;
    }

    private static List<String> names(List<JsonNode> vms) {
        return vms.stream().map(vm -> vm.path("name").stringValue()).toList();
    }
}
