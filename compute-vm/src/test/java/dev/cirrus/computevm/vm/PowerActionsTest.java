package dev.cirrus.computevm.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
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

/**
 * Power actions, PATCH, quotas and images, against the real placement engine: every power-state change is visible in
 * the instance view and is an event carrying the new power state.
 */
class PowerActionsTest extends ComputeVmTestSupport {

    private final String sub = newSubscription();

    @Test
    void powerOffPassesThroughStoppingKeepsTheHostAndStartRunsItAgainThere() {
        String path = vmPath(sub, "rg", "vm1");
        String vmId = createAndAwait(path, "Standard_B2s");
        String host = allocationOf(vmId).getHost();

        HttpResponse<String> off = post(path + "/powerOff");
        assertThat(off.statusCode()).isEqualTo(202);
        assertThat(header(off, "Location")).contains("/operationResults/");
        assertThat(header(off, "Azure-AsyncOperation")).contains("/operations/");
        assertThat(powerState(path)).isEqualTo("PowerState/stopping");
        assertThat(json(get(path)).path("properties").path("provisioningState").stringValue()).isEqualTo("Updating");
        HttpResponse<String> meanwhile = post(path + "/start");
        assertThat(meanwhile.statusCode()).isEqualTo(409);
        assertThat(json(meanwhile).path("error").path("code").stringValue()).isEqualTo("AnotherOperationInProgress");

        awaitResult(header(off, "Location"), 200);
        assertThat(powerState(path)).isEqualTo("PowerState/stopped");
        assertThat(allocationOf(vmId).getHost()).as("a stopped VM keeps its host").isEqualTo(host);
        HttpResponse<String> again = post(path + "/powerOff");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).path("error").path("code").stringValue()).isEqualTo("Conflict");
        assertThat(json(again).path("error").path("message").stringValue()).contains("powerOff").contains("stopped");

        HttpResponse<String> start = post(path + "/START");
        assertThat(start.statusCode()).isEqualTo(202);
        assertThat(powerState(path)).isEqualTo("PowerState/starting");
        awaitResult(header(start, "Location"), 200);
        assertThat(powerState(path)).isEqualTo("PowerState/running");
        assertThat(allocationOf(vmId).getHost()).isEqualTo(host);

        List<TopicReader.Event> events = awaitEvents(vmKey(sub, "rg", "vm1"), 6);
        assertThat(events).extracting(TopicReader.Event::type).containsExactly(EventTypes.VM_CREATED,
                EventTypes.VM_STARTED, EventTypes.VM_STOPPING, EventTypes.VM_STOPPED, EventTypes.VM_STARTING,
                EventTypes.VM_STARTED);
        assertThat(events).extracting(e -> e.data().path("powerState").stringValue())
                .containsExactly(null, "running", "stopping", "stopped", "starting", "running");
        assertThat(events.get(3).data().path("host").stringValue()).isEqualTo(host);
    }

    @Test
    void deallocateReleasesTheHostAndStartPlacesTheVmAgain() {
        String path = vmPath(sub, "rg", "vm2");
        String vmId = createAndAwait(path, "Standard_B2s");

        HttpResponse<String> deallocating = post(path + "/deallocate");
        assertThat(deallocating.statusCode()).isEqualTo(202);
        assertThat(powerState(path)).isEqualTo("PowerState/deallocating");
        awaitResult(header(deallocating, "Location"), 200);

        JsonNode view = json(get(path + "/instanceView"));
        assertThat(view.path("statuses").findValuesAsString("code")).contains("PowerState/deallocated");
        assertThat(view.has("platformFaultDomain")).as("no host, no fault domain").isFalse();
        assertThat(Assertions.catchThrowableOfType(StatusRuntimeException.class, () -> allocationOf(vmId))
                .getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(post(path + "/restart").statusCode()).as("a deallocated VM cannot restart").isEqualTo(409);

        awaitResult(header(post(path + "/start"), "Location"), 200);
        assertThat(powerState(path)).isEqualTo("PowerState/running");
        Allocation again = allocationOf(vmId);
        assertThat(json(get(path + "/instanceView")).path("platformFaultDomain").intValue())
                .isEqualTo(again.getFaultDomain());

        List<TopicReader.Event> events = awaitEvents(vmKey(sub, "rg", "vm2"), 6);
        assertThat(events).extracting(TopicReader.Event::type).containsExactly(EventTypes.VM_CREATED,
                EventTypes.VM_STARTED, EventTypes.VM_DEALLOCATING, EventTypes.VM_DEALLOCATED, EventTypes.VM_STARTING,
                EventTypes.VM_STARTED);
        assertThat(events.get(3).data().path("powerState").stringValue()).isEqualTo("deallocated");
        assertThat(events.get(3).data().path("host").isNull()).isTrue();
        assertThat(events.get(5).data().path("host").stringValue()).isEqualTo(again.getHost());
    }

    @Test
    void restartAndRedeployRebootTheVmAndRedeployMovesItToAnotherHost() {
        String path = vmPath(sub, "rg", "vm3");
        String vmId = createAndAwait(path, "Standard_B1s");
        String before = allocationOf(vmId).getHost();

        HttpResponse<String> restart = post(path + "/restart");
        assertThat(restart.statusCode()).isEqualTo(202);
        assertThat(powerState(path)).isEqualTo("PowerState/starting");
        awaitResult(header(restart, "Location"), 200);
        assertThat(powerState(path)).isEqualTo("PowerState/running");

        HttpResponse<String> redeploy = post(path + "/redeploy");
        assertThat(redeploy.statusCode()).isEqualTo(202);
        assertThat(powerState(path)).isEqualTo("PowerState/stopping");
        awaitResult(header(redeploy, "Location"), 200);
        assertThat(powerState(path)).isEqualTo("PowerState/running");
        Allocation now = allocationOf(vmId);
        assertThat(now.getHost()).as("a redeploy leaves its host").isNotEqualTo(before);

        List<TopicReader.Event> events = awaitEvents(vmKey(sub, "rg", "vm3"), 6);
        assertThat(events).extracting(TopicReader.Event::type).containsExactly(EventTypes.VM_CREATED,
                EventTypes.VM_STARTED, EventTypes.VM_RESTARTING, EventTypes.VM_RESTARTED, EventTypes.VM_REDEPLOYING,
                EventTypes.VM_REDEPLOYED);
        assertThat(events.get(5).data().path("host").stringValue()).isEqualTo(now.getHost());
    }

    @Test
    void anActionOnAMissingVmIsNotFoundAndAnUnknownActionIsNoRoute() {
        HttpResponse<String> missing = post(vmPath(sub, "rg", "ghost") + "/start");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).path("error").path("code").stringValue()).isEqualTo("ResourceNotFound");
        assertThat(post(vmPath(sub, "rg", "ghost") + "/explode").statusCode()).isEqualTo(404);
    }

    @Test
    void patchReplacesTheTagsKeepsTheRestAndRefusesImmutableChanges() {
        String path = vmPath(sub, "rg", "patched");
        createAndAwait(path, "Standard_B1s");
        String etag = header(get(path), "ETag");

        HttpResponse<String> stale = send("PATCH", withApi(path), "{\"tags\":{\"a\":\"b\"}}", "If-Match", "\"stale\"");
        assertThat(stale.statusCode()).isEqualTo(412);
        HttpResponse<String> patched = send("PATCH", withApi(path), "{\"tags\":{\"team\":\"blue\"}}", "If-Match", etag);
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(patched).path("tags").properties()).hasSize(1);
        assertThat(json(patched).path("tags").path("team").stringValue()).isEqualTo("blue");
        assertThat(json(patched).path("properties").path("hardwareProfile").path("vmSize").stringValue())
                .isEqualTo("Standard_B1s");
        assertThat(json(get(path)).path("tags").path("team").stringValue()).isEqualTo("blue");

        HttpResponse<String> resize = send("PATCH", withApi(path),
                "{\"properties\":{\"hardwareProfile\":{\"vmSize\":\"Standard_D4s_v5\"}}}");
        assertThat(resize.statusCode()).isEqualTo(409);
        assertThat(json(resize).path("error").path("code").stringValue()).isEqualTo("PropertyChangeNotAllowed");
        assertThat(json(resize).path("error").path("target").stringValue()).isEqualTo("properties.hardwareProfile.vmSize");
        HttpResponse<String> move = send("PATCH", withApi(path), "{\"location\":\"eastus\"}");
        assertThat(move.statusCode()).isEqualTo(409);
        assertThat(json(move).path("error").path("target").stringValue()).isEqualTo("location");
        assertThat(json(get(path)).path("tags").path("team").stringValue()).isEqualTo("blue");

        assertThat(send("PATCH", withApi(vmPath(sub, "rg", "nobody")), "{\"tags\":{}}").statusCode()).isEqualTo(404);
    }

    @Test
    void theStatusOnlyListShowsEachVmsPowerState() {
        String path = vmPath(sub, "rg", "listed");
        createAndAwait(path, "Standard_B1s");
        awaitResult(header(post(path + "/powerOff"), "Location"), 200);

        JsonNode list = json(get("/subscriptions/" + sub + "/providers/Microsoft.Compute/virtualMachines?statusOnly=true"));
        JsonNode vm = list.path("value").get(0);
        assertThat(vm.path("properties").path("instanceView").path("statuses").findValuesAsString("code"))
                .contains("PowerState/stopped");
    }

    @Test
    void theRegionalVcpuQuotaRefusesCreatesAndStartsBeyondItAndUsagesShowIt() {
        String rg = "quota";
        createAndAwait(vmPath(sub, rg, "q1"), "Standard_D8s_v5");
        createAndAwait(vmPath(sub, rg, "q2"), "Standard_D8s_v5");

        HttpResponse<String> third = putVm(vmPath(sub, rg, "q3"), vmBody("Standard_D8s_v5"));
        assertThat(third.statusCode()).isEqualTo(409);
        JsonNode error = json(third).path("error");
        assertThat(error.path("code").stringValue()).isEqualTo("OperationNotAllowed");
        assertThat(error.path("message").stringValue()).startsWith("Operation could not be completed as it results in "
                + "exceeding approved Total Regional Cores quota.")
                .contains("Location: westeurope, Current Limit: 20, Current Usage: 16, Additional Required: 8");
        assertThat(get(vmPath(sub, rg, "q3")).statusCode()).as("nothing was created").isEqualTo(404);
        JsonNode cores = usage(sub, "cores");
        assertThat(cores.path("currentValue").intValue()).isEqualTo(16);
        assertThat(cores.path("limit").intValue()).isEqualTo(20);
        assertThat(cores.path("name").path("localizedValue").stringValue()).isEqualTo("Total Regional vCPUs");

        awaitResult(header(post(vmPath(sub, rg, "q1") + "/deallocate"), "Location"), 200);
        assertThat(usage(sub, "cores").path("currentValue").intValue()).as("deallocated vCPUs are free").isEqualTo(8);
        createAndAwait(vmPath(sub, rg, "q3"), "Standard_D8s_v5");
        HttpResponse<String> start = post(vmPath(sub, rg, "q1") + "/start");
        assertThat(start.statusCode()).isEqualTo(409);
        assertThat(json(start).path("error").path("code").stringValue()).isEqualTo("OperationNotAllowed");
        assertThat(powerState(vmPath(sub, rg, "q1"))).isEqualTo("PowerState/deallocated");
        assertThat(usage(sub, "cores").path("currentValue").intValue()).isEqualTo(16);
    }

    @Test
    void concurrentCreatesCannotTogetherOvershootTheQuota() throws Exception {
        String rg = "race";
        List<java.util.concurrent.Callable<HttpResponse<String>>> creates = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String path = vmPath(sub, rg, "r" + i);
            creates.add(() -> putVm(path, vmBody("Standard_D8s_v5")));
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(5);
        List<Integer> statuses = new java.util.ArrayList<>();
        try {
            for (var f : pool.invokeAll(creates)) {
                statuses.add(f.get().statusCode());
            }
        } finally {
            pool.shutdown();
        }
        // 20 vCPUs take two 8-vCPU VMs, whatever the interleaving
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(2);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(3);
        assertThat(usage(sub, "cores").path("currentValue").intValue()).isEqualTo(16);
    }

    @Test
    void theImageCatalogueListsPublishersOffersSkusAndVersionsAndLatestIsTheNewest() {
        String images = "/subscriptions/" + sub + "/providers/Microsoft.Compute/locations/westeurope/publishers";
        assertThat(json(get(images)).findValuesAsString("name")).contains("Canonical", "MicrosoftWindowsServer");
        String offers = images + "/canonical/artifacttypes/vmimage/offers";
        assertThat(json(get(offers)).findValuesAsString("name")).contains("0001-com-ubuntu-server-jammy");
        String skus = offers + "/0001-com-ubuntu-server-jammy/skus";
        assertThat(json(get(skus)).findValuesAsString("name")).contains("22_04-lts", "22_04-lts-gen2");
        List<String> versions = json(get(skus + "/22_04-lts/versions")).findValuesAsString("name");
        assertThat(versions).hasSizeGreaterThan(1);
        JsonNode latest = json(get(skus + "/22_04-lts/versions/latest"));
        assertThat(latest.path("name").stringValue()).isEqualTo(versions.getLast());
        assertThat(latest.path("properties").path("osDiskImage").path("operatingSystem").stringValue()).isEqualTo("Linux");
        HttpResponse<String> unknown = get(images + "/nobody/artifacttypes/vmimage/offers");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("error").path("code").stringValue()).isEqualTo("NotFound");

        String path = vmPath(sub, "rg", "imaged");
        HttpResponse<String> created = putVm(path, vmBody("Standard_B1s"));
        JsonNode image = json(created).path("properties").path("storageProfile").path("imageReference");
        assertThat(image.path("version").stringValue()).isEqualTo("latest");
        assertThat(image.path("exactVersion").stringValue()).isEqualTo(versions.getLast());

        HttpResponse<String> noSuchImage = put(vmPath(sub, "rg", "noimage"),
                vmBody("Standard_B1s").replace("22_04-lts", "99_99-lts"));
        assertThat(noSuchImage.statusCode()).isEqualTo(404);
        assertThat(json(noSuchImage).path("error").path("code").stringValue()).isEqualTo("PlatformImageNotFound");
        assertThat(json(noSuchImage).path("error").path("target").stringValue()).isEqualTo("imageReference");
        assertThat(json(noSuchImage).path("error").path("message").stringValue())
                .startsWith("The platform image 'Canonical:0001-com-ubuntu-server-jammy:99_99-lts:latest' is not available.");
        assertThat(get(vmPath(sub, "rg", "noimage")).statusCode()).isEqualTo(404);
    }

    // ---- helpers ----

    private String createAndAwait(String path, String size) {
        HttpResponse<String> created = putVm(path, vmBody(size));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String operation = header(created, "Azure-AsyncOperation");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> json(get(operation)).path("status").stringValue(), "Succeeded"::equals);
        return json(created).path("properties").path("vmId").stringValue();
    }

    private HttpResponse<String> post(String path) {
        return send("POST", withApi(path), null);
    }

    private void awaitResult(String location, int status) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> get(location).statusCode(), s -> s != 202);
        assertThat(get(location).statusCode()).isEqualTo(status);
    }

    private String powerState(String path) {
        for (JsonNode status : json(get(path + "/instanceView")).path("statuses")) {
            if (status.path("code").stringValue().startsWith("PowerState/")) {
                return status.path("code").stringValue();
            }
        }
        return null;
    }

    private JsonNode usage(String subscription, String name) {
        JsonNode usages = json(get("/subscriptions/" + subscription
                + "/providers/Microsoft.Compute/locations/West Europe/usages".replace(" ", "%20")));
        for (JsonNode u : usages.path("value")) {
            if (u.path("name").path("value").stringValue().equals(name)) {
                return u;
            }
        }
        throw new AssertionError("no usage " + name + " in " + usages);
    }

    private List<TopicReader.Event> awaitEvents(String key, int count) {
        TopicReader reader = vmTopic();
        await().atMost(Duration.ofSeconds(60)).until(() -> reader.events(key).size() >= count);
        return reader.events(key);
    }

    private static Allocation allocationOf(String vmId) {
        return ENGINE.grpc().getAllocation(GetAllocationRequest.newBuilder().setVmId(vmId).build());
    }
}
