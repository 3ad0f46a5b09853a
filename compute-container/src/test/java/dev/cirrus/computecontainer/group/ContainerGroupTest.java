package dev.cirrus.computecontainer.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.cirrus.contracts.arm.ArmErrorException;
import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The group's lifecycle as plain transitions, and the contract with billing: billing (billing/README.md, its
 * EventReader) meters a container group while the {@code state} of its latest event on its id is Running, at
 * {@code cpu} vCPU-seconds and {@code memoryInGB} GB-seconds, and stops at any other state or at
 * {@code ContainerGroupDeleted}. These tests show the sequence and the payload fields the group publishes are exactly
 * those.
 */
class ContainerGroupTest {

    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    static final ObjectMapper JSON = JsonMapper.builder().build();
    static final String ID = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/Demo/providers/"
            + "Microsoft.ContainerInstance/containerGroups/cg1";

    static ContainerGroupSpec spec(String restartPolicy) {
        return new ContainerGroupSpec("Linux", restartPolicy, "Standard", List.of(
                container("web", "1.5", "1"), container("sidecar", "0.5", "0.5")), null, null, null, null);
    }

    static ContainerGroupSpec.Container container(String name, String cpu, String memory) {
        return new ContainerGroupSpec.Container(name, "cirrus-test/busybox:1", List.of(), List.of(), List.of(),
                new ContainerGroupSpec.Resources(new BigDecimal(cpu), new BigDecimal(memory)), null, null, null,
                List.of());
    }

    static ContainerGroup created() {
        return ContainerGroup.create(ID, "00000000-0000-0000-0000-000000000001", "Demo", "cg1", "westeurope",
                spec("Always"), Map.of(), UUID.randomUUID(), UUID.randomUUID(), T0, "\"e1\"");
    }

    static final ContainerGroup.Placement HOST = new ContainerGroup.Placement("h1", "r1", "c1", 0);

    /** The event as it goes on Kafka: a CloudEvent whose data is the record as JSON. */
    static JsonNode onTheWire(ContainerGroup.Event e) {
        CloudEvent event = CloudEvent.of("compute-container", e.type(), e.subject(), e.time(), JSON.valueToTree(e.data()));
        return JSON.readTree(JSON.writeValueAsString(event));
    }

    @Test
    void aGroupPublishesWhatBillingMetersStartedWhileRunningThenStoppedThenDeleted() {
        ContainerGroup.Transition started = created().deployed(HOST, Map.of(80, 49000), T0.plusSeconds(5), "\"e2\"");
        ContainerGroup.Transition stopped = started.group().stop(T0.plusSeconds(1005), "\"e3\"");
        ContainerGroup.Transition deleted = stopped.group().delete(T0.plusSeconds(2000));

        List<JsonNode> wire = List.of(onTheWire(started.events().getFirst()), onTheWire(stopped.events().getFirst()),
                onTheWire(deleted.events().getFirst()));
        assertThat(wire).extracting(e -> e.path("type").asString()).containsExactly(
                EventTypes.CONTAINER_GROUP_STARTED, EventTypes.CONTAINER_GROUP_STOPPED,
                EventTypes.CONTAINER_GROUP_DELETED);
        assertThat(wire).allSatisfy(e -> {
            assertThat(e.path("subject").asString()).isEqualTo(ID);
            assertThat(e.path("source").asString()).isEqualTo("/cirrus/compute-container");
            assertThat(e.path("data").path("subscriptionId").asString()).isEqualTo("00000000-0000-0000-0000-000000000001");
            assertThat(e.path("data").path("resourceGroup").asString()).isEqualTo("Demo");
            assertThat(e.path("data").path("name").asString()).isEqualTo("cg1");
            assertThat(e.path("data").path("location").asString()).isEqualTo("westeurope");
            assertThat(e.path("data").path("osType").asString()).isEqualTo("Linux");
            // the group's request, summed over its containers: what billing prices per second
            assertThat(e.path("data").path("cpu").decimalValue()).isEqualByComparingTo("2.0");
            assertThat(e.path("data").path("memoryInGB").decimalValue()).isEqualByComparingTo("1.5");
        });
        assertThat(wire.get(0).path("data").path("state").asString()).isEqualTo("Running");
        assertThat(wire.get(1).path("data").path("state").asString()).isEqualTo("Stopped");
        assertThat(wire.get(2).path("data").path("state").isNull()).isTrue();
        assertThat(wire.get(0).path("time").asString()).isEqualTo("2026-12-06T10:00:05Z");
        assertThat(wire.get(1).path("time").asString()).isEqualTo("2026-12-06T10:16:45Z");
    }

    @Test
    void aGroupWhoseContainersAllExitStopsItsMeterWithTheOutcomeAsItsState() {
        ContainerGroup running = created().deployed(HOST, Map.of(), T0, "\"e2\"").group();

        ContainerGroup.Transition failed = running.terminated(false, T0.plusSeconds(60), "\"e3\"");
        ContainerGroup.Transition succeeded = running.terminated(true, T0.plusSeconds(60), "\"e3\"");

        assertThat(failed.group().state()).isEqualTo("Failed");
        assertThat(failed.group().placement()).isNull();
        assertThat(failed.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.CONTAINER_GROUP_STOPPED);
            assertThat(e.data().state()).isEqualTo("Failed");
        });
        assertThat(succeeded.group().state()).isEqualTo("Succeeded");
        assertThat(succeeded.group().provisioningState()).isEqualTo("Succeeded");
    }

    @Test
    void aCreateThatFailsBeforeRunningPublishesNothingSoNoMeterEverStarts() {
        ContainerGroup.Transition failed = created().deployFailed(
                new ContainerGroup.Failure("DockerEngineUnavailable", "no engine"), T0, "\"e2\"");

        assertThat(failed.events()).isEmpty();
        assertThat(failed.group().provisioningState()).isEqualTo("Failed");
        assertThat(failed.group().failure().code()).isEqualTo("DockerEngineUnavailable");
    }

    @Test
    void aRestartThatFailsStopsTheMeterOfTheGroupThatWasRunning() {
        ContainerGroup running = created().deployed(HOST, Map.of(), T0, "\"e2\"").group();
        ContainerGroup restarting = running.beginRedeploy(true, UUID.randomUUID(), T0, "\"e3\"").group();

        ContainerGroup.Transition failed = restarting.deployFailed(new ContainerGroup.Failure("X", "y"), T0, "\"e4\"");

        assertThat(failed.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.CONTAINER_GROUP_STOPPED);
            assertThat(e.data().state()).isEqualTo("Failed");
        });
    }

    @Test
    void writesWhileAGroupIsBeingCreatedAreRefusedAndAStartOfARunningGroupIsAConflict() {
        assertThatThrownBy(() -> created().stop(T0, "\"e2\""))
                .isInstanceOfSatisfying(ArmErrorException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.error().code()).isEqualTo("AnotherOperationInProgress");
                });
        ContainerGroup running = created().deployed(HOST, Map.of(), T0, "\"e2\"").group();
        assertThatThrownBy(() -> running.beginRedeploy(false, UUID.randomUUID(), T0, "\"e3\""))
                .isInstanceOfSatisfying(ArmErrorException.class, e -> assertThat(e.status()).isEqualTo(409));
    }

    @Test
    void stoppingAStoppedGroupChangesNothingAndPublishesNothing() {
        ContainerGroup stopped = created().deployed(HOST, Map.of(), T0, "\"e2\"").group().stop(T0, "\"e3\"").group();

        ContainerGroup.Transition again = stopped.stop(T0.plusSeconds(1), "\"e4\"");

        assertThat(again.group()).isSameAs(stopped);
        assertThat(again.events()).isEmpty();
    }
}
