package dev.cirrus.computevm.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.cirrus.computevm.ComputeVmTestSupport;
import dev.cirrus.computevm.TopicReader;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.placement.v1.Allocation;
import dev.cirrus.contracts.placement.v1.GetAllocationRequest;
import dev.cirrus.contracts.placement.v1.GetMaintenanceRequest;
import dev.cirrus.contracts.placement.v1.HostSelector;
import dev.cirrus.contracts.placement.v1.Maintenance;
import dev.cirrus.contracts.placement.v1.RackRef;
import dev.cirrus.contracts.placement.v1.StartMaintenanceRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What users see when the platform acts on its own: the placement engine (real, over gRPC) fails hosts and racks
 * and runs planned maintenance; compute-vm reacts to its events on {@code cirrus.placement}. Each test has its own
 * region of the test inventory (eastus: host failure, centralus: rack failures, westus: maintenance).
 */
class PlatformReactionsTest extends ComputeVmTestSupport {

    private final String sub = newSubscription();

    @Test
    void aVmWhoseHostFailsIsServiceHealedOntoAHostOfItsFaultDomainAndOtherVmsAreUntouched() {
        // a set of two puts the bystander on another rack than the victim (fault domains 0 and 1)
        String set = "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Compute/availabilitySets/pair";
        assertThat(put(set, "{\"location\":\"eastus\"}").statusCode()).isEqualTo(200);
        String victim = vmPath(sub, "rg", "victim");
        String bystander = vmPath(sub, "rg", "bystander");
        String victimId = createAndAwait(victim, "Standard_B2s", "eastus", set);
        Allocation before = allocationOf(victimId);
        String bystanderId = createAndAwait(bystander, "Standard_B2s", "eastus", set);
        Allocation bystanderBefore = allocationOf(bystanderId);
        assertThat(bystanderBefore.getRack()).isNotEqualTo(before.getRack());
        await().atMost(Duration.ofSeconds(30)).until(() -> events(vmKey(sub, "rg", "bystander")).size() >= 2);
        List<String> bystanderEventsBefore = types(events(vmKey(sub, "rg", "bystander")));

        ENGINE.grpc().failHosts(HostSelector.newBuilder().setHost(before.getHost()).build());
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> types(events(vmKey(sub, "rg", "victim"))),
                    t -> t.contains(EventTypes.VM_SERVICE_HEALING_COMPLETED));
            Allocation after = allocationOf(victimId);
            assertThat(after.getHost()).isNotEqualTo(before.getHost());
            assertThat(after.getRack()).as("same fault domain").isEqualTo(before.getRack());
            assertThat(after.getFaultDomain()).isEqualTo(before.getFaultDomain());
            assertThat(after.getUpdateDomain()).isEqualTo(before.getUpdateDomain());

            List<TopicReader.Event> events = events(vmKey(sub, "rg", "victim"));
            assertThat(types(events)).containsSubsequence(EventTypes.VM_STARTED, EventTypes.VM_SERVICE_HEALING_STARTED,
                    EventTypes.VM_SERVICE_HEALING_COMPLETED);
            TopicReader.Event healing = events.stream()
                    .filter(e -> e.type().equals(EventTypes.VM_SERVICE_HEALING_STARTED)).findFirst().orElseThrow();
            assertThat(healing.data().path("powerState").stringValue()).isEqualTo("starting");
            assertThat(healing.data().path("host").stringValue()).isEqualTo(after.getHost());

            JsonNode view = json(get(victim + "/instanceView"));
            assertThat(view.path("statuses").findValuesAsString("code"))
                    .contains("PowerState/running", "HealthState/serviceHealed");
            assertThat(view.toString()).contains("service healing");
            assertThat(view.path("platformFaultDomain").intValue()).isEqualTo(after.getFaultDomain());

            assertThat(types(events(vmKey(sub, "rg", "bystander")))).isEqualTo(bystanderEventsBefore);
            assertThat(json(get(bystander + "/instanceView")).path("statuses").findValuesAsString("code"))
                    .containsExactly("ProvisioningState/succeeded", "PowerState/running");
            assertThat(allocationOf(bystanderId).getHost()).isEqualTo(bystanderBefore.getHost());
        } finally {
            ENGINE.grpc().recoverHosts(HostSelector.newBuilder().setHost(before.getHost()).build());
        }
    }

    @Test
    void aVmOnADrainedHostIsLiveMigratedWithoutARebootOrAnEvent() {
        String path = vmPath(sub, "rg", "mover");
        String vmId = createAndAwait(path, "Standard_B1s", "eastus", null);
        Allocation before = allocationOf(vmId);
        await().atMost(Duration.ofSeconds(30)).until(() -> events(vmKey(sub, "rg", "mover")).size() >= 2);
        List<String> eventsBefore = types(events(vmKey(sub, "rg", "mover")));

        ENGINE.grpc().drainHosts(HostSelector.newBuilder().setHost(before.getHost()).build());
        try {
            String moved = allocationOf(vmId).getHost();
            assertThat(moved).isNotEqualTo(before.getHost());
            // compute-vm learns the new host from VmMigrated
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                    "select host from virtual_machines where vm_id = ?::uuid", String.class, vmId), moved::equals);
            assertThat(types(events(vmKey(sub, "rg", "mover")))).isEqualTo(eventsBefore);
            assertThat(json(get(path + "/instanceView")).path("statuses").findValuesAsString("code"))
                    .containsExactly("ProvisioningState/succeeded", "PowerState/running");
            // and releases the right allocation when deallocated
            String location = header(send("POST", withApi(path + "/deallocate"), null), "Location");
            await().atMost(Duration.ofSeconds(30)).until(() -> get(location).statusCode() == 200);
            assertThat(catchThrowableOfType(StatusRuntimeException.class,
                    () -> allocationOf(vmId)).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        } finally {
            ENGINE.grpc().recoverHosts(HostSelector.newBuilder().setHost(before.getHost()).build());
        }
    }

    /**
     * Azure's availability-set promise: with two or more VMs in an availability set, when any single rack fails at least one
     * VM of the set stays running throughout. Each rack of the set's cluster fails in turn; while it is down the
     * members elsewhere keep running (sampled, and no event touches them); the members on it are shown unavailable;
     * after the rack recovers, the stranded members come back by themselves: rebooted on their recovered hosts.
     */
    @Test
    void whenAnySingleRackFailsAtLeastOneVmOfTheSetStaysRunningThroughout() {
        String set = "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Compute/availabilitySets/ha";
        assertThat(put(set, "{\"location\":\"centralus\",\"properties\":{\"platformFaultDomainCount\":2}}").statusCode())
                .isEqualTo(200);
        List<String> members = new ArrayList<>();
        Map<String, String> vmIds = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            String path = vmPath(sub, "rg", "ha" + i);
            vmIds.put(path, createAndAwait(path, "Standard_B1s", "centralus", set));
            members.add(path);
        }
        for (String rack : List.of("cus-c1-r1", "cus-c1-r2", "cus-c1-r3")) {
            // every earlier event of the members has reached the topic: the last one says they run
            await().atMost(Duration.ofSeconds(30)).until(() -> members.stream().allMatch(m -> {
                List<String> seen = types(events(m.toLowerCase()));
                return !seen.isEmpty() && Set.of(EventTypes.VM_STARTED, EventTypes.VM_SERVICE_HEALING_COMPLETED)
                        .contains(seen.getLast());
            }));
            Map<String, Integer> eventsBefore = new LinkedHashMap<>();
            members.forEach(m -> eventsBefore.put(m, events(m.toLowerCase()).size()));
            List<String> onRack = members.stream().filter(m -> allocationOf(vmIds.get(m)).getRack().equals(rack)).toList();
            HostSelector selector = HostSelector.newBuilder()
                    .setRack(RackRef.newBuilder().setCluster("cus-c1").setRack(rack)).build();

            ENGINE.grpc().failHosts(selector);
            try {
                // throughout the reaction: sample every member until each one on the rack shows it is unavailable
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    int running = 0;
                    int unavailable = 0;
                    for (String m : members) {
                        List<String> codes = json(get(m + "/instanceView")).path("statuses").findValuesAsString("code");
                        if (codes.contains("PowerState/running") && !codes.contains("HealthState/unavailable")) {
                            running++;
                        } else if (onRack.contains(m) && codes.contains("HealthState/unavailable")) {
                            unavailable++;
                        }
                    }
                    assertThat(running).as("members running while rack %s is down", rack).isPositive();
                    return unavailable == onRack.size();
                });
                assertThat(onRack.size()).as("a rack holds at most the VMs of one fault domain").isLessThan(members.size());
                await().atMost(Duration.ofSeconds(30)).until(() -> onRack.stream()
                        .allMatch(m -> events(m.toLowerCase()).size() > eventsBefore.get(m)));
                for (String m : members) {
                    List<String> seen = types(events(m.toLowerCase()));
                    List<String> newOnes = seen.subList(eventsBefore.get(m), seen.size());
                    if (onRack.contains(m)) {
                        assertThat(newOnes).containsExactly(EventTypes.VM_UNAVAILABLE);
                    } else {
                        assertThat(newOnes).as("%s is elsewhere and untouched", m).isEmpty();
                    }
                }
            } finally {
                ENGINE.grpc().recoverHosts(selector);
            }
            for (String m : onRack) {
                // the engine announces each stranded VM back on its recovered host; compute-vm reboots it there
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    List<String> seen = types(events(m.toLowerCase()));
                    return seen.getLast().equals(EventTypes.VM_SERVICE_HEALING_COMPLETED);
                });
                List<String> seen = types(events(m.toLowerCase()));
                assertThat(seen.subList(eventsBefore.get(m), seen.size())).containsExactly(EventTypes.VM_UNAVAILABLE,
                        EventTypes.VM_SERVICE_HEALING_STARTED, EventTypes.VM_SERVICE_HEALING_COMPLETED);
                assertThat(json(get(m + "/instanceView")).path("statuses").findValuesAsString("code"))
                        .contains("PowerState/running").doesNotContain("HealthState/unavailable");
            }
        }
    }

    /**
     * Azure's other availability-set promise: during planned maintenance, at any instant at most one update domain of the set
     * is rebooting. Checked on the members' instance views while the maintenance runs, and on the reboot intervals
     * their events give afterwards.
     */
    @Test
    void duringPlannedMaintenanceAtMostOneUpdateDomainOfTheSetIsRebootingAtAnyInstant() {
        String set = "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Compute/availabilitySets/maint";
        assertThat(put(set, "{\"location\":\"westus\",\"properties\":{\"platformFaultDomainCount\":2,"
                + "\"platformUpdateDomainCount\":3}}").statusCode()).isEqualTo(200);
        List<String> members = new ArrayList<>();
        Map<String, Integer> updateDomain = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            String path = vmPath(sub, "rg", "m" + i);
            String vmId = createAndAwait(path, "Standard_B1s", "westus", set);
            members.add(path);
            updateDomain.put(path.toLowerCase(), allocationOf(vmId).getUpdateDomain());
        }
        assertThat(new HashSet<>(updateDomain.values())).hasSize(3);

        Maintenance maintenance = ENGINE.grpc().startMaintenance(StartMaintenanceRequest.newBuilder()
                .setRegion("westus").setCluster(allocationOf(json(get(members.get(0))).path("properties").path("vmId")
                        .stringValue()).getCluster()).setPauseMillis(2000).build());
        Set<Integer> everRebooting = new HashSet<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Set<Integer> rebootingNow = new HashSet<>();
            for (String m : members) {
                List<String> codes = json(get(m + "/instanceView")).path("statuses").findValuesAsString("code");
                if (codes.contains("MaintenanceState/rebooting")) {
                    rebootingNow.add(updateDomain.get(m.toLowerCase()));
                }
            }
            assertThat(rebootingNow).as("update domains rebooting at once").hasSizeLessThanOrEqualTo(1);
            everRebooting.addAll(rebootingNow);
            return ENGINE.grpc().getMaintenance(GetMaintenanceRequest.newBuilder().setId(maintenance.getId()).build())
                    .getState().equals("Completed");
        });
        for (String m : members) {
            await().atMost(Duration.ofSeconds(30)).until(() -> json(get(m + "/instanceView")).path("statuses")
                    .findValuesAsString("code"), c -> c.contains("MaintenanceState/completed"));
            assertThat(json(get(m + "/instanceView")).path("statuses").findValuesAsString("code"))
                    .contains("PowerState/running");
        }
        assertThat(everRebooting).as("the samples saw reboots").isNotEmpty();

        // the events' own times: no two update domains of the set ever reboot in overlapping intervals
        record Reboot(int updateDomain, Instant from, Instant to) {
        }
        // the events reach the topic through the outbox relay, a moment after the instance views change
        await().atMost(Duration.ofSeconds(30)).until(() -> members.stream().allMatch(m -> types(events(m.toLowerCase()))
                .contains(EventTypes.VM_MAINTENANCE_REBOOT_COMPLETED)));
        List<Reboot> reboots = new ArrayList<>();
        for (String m : members) {
            Instant started = null;
            for (TopicReader.Event e : events(m.toLowerCase())) {
                Instant time = Instant.parse(e.json().path("time").stringValue());
                if (e.type().equals(EventTypes.VM_MAINTENANCE_REBOOT_STARTED)) {
                    assertThat(e.data().path("powerState").stringValue()).isEqualTo("starting");
                    started = time;
                } else if (e.type().equals(EventTypes.VM_MAINTENANCE_REBOOT_COMPLETED)) {
                    assertThat(started).isNotNull();
                    reboots.add(new Reboot(updateDomain.get(m.toLowerCase()), started, time));
                    started = null;
                }
            }
        }
        assertThat(reboots).hasSize(members.size());
        for (Reboot a : reboots) {
            for (Reboot b : reboots) {
                if (a.updateDomain() != b.updateDomain()) {
                    assertThat(a.to().isBefore(b.from()) || b.to().isBefore(a.from()))
                            .as("reboots of update domains %d and %d overlap", a.updateDomain(), b.updateDomain())
                            .isTrue();
                }
            }
        }
    }

    // ---- helpers ----

    private String createAndAwait(String path, String size, String location, String setId) {
        String body = vmBody(size).replace("West Europe", location);
        if (setId != null) {
            body = body.replace("\"hardwareProfile\"", "\"availabilitySet\": {\"id\": \"" + setId + "\"}, \"hardwareProfile\"");
        }
        HttpResponse<String> created = putVm(path, body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String operation = header(created, "Azure-AsyncOperation");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> json(get(operation)).path("status").stringValue(), "Succeeded"::equals);
        return json(created).path("properties").path("vmId").stringValue();
    }

    private static List<TopicReader.Event> events(String key) {
        return vmTopic().events(key);
    }

    private static List<String> types(List<TopicReader.Event> events) {
        return events.stream().map(TopicReader.Event::type).toList();
    }

    private static Allocation allocationOf(String vmId) {
        return ENGINE.grpc().getAllocation(GetAllocationRequest.newBuilder().setVmId(vmId).build());
    }
}
