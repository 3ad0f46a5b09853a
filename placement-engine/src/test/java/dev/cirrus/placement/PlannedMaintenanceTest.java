package dev.cirrus.placement;

import static dev.cirrus.placement.GrpcAssertions.statusOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.placement.v1.Allocation;
import dev.cirrus.contracts.placement.v1.GetMaintenanceRequest;
import dev.cirrus.contracts.placement.v1.Maintenance;
import dev.cirrus.contracts.placement.v1.PlacementServiceGrpc;
import dev.cirrus.contracts.placement.v1.StartMaintenanceRequest;
import dev.cirrus.plumbing.security.ServiceCredential;
import dev.cirrus.plumbing.security.ServiceCredentialGrpc;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.SpringInfrastructure;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Planned maintenance of a cluster, in waves of one update domain, with pauses of a few hundred milliseconds. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "cirrus.placement.grpc-port=0",
        "cirrus.kafka.bootstrap-servers=",
        "cirrus.placement.maintenance.reboot-time=PT0.2S",
        "cirrus.placement.maintenance.tick=PT0.05S",
        "cirrus.placement.inventory=classpath:inventory/domains-topology.yaml"})
class PlannedMaintenanceTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringInfrastructure.register(registry, "placement_maintenance");
    }

    @Value("${local.grpc.port}")
    int grpcPort;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ObjectMapper json;

    ManagedChannel channel;

    @BeforeEach
    void connect() {
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", grpcPort, InsecureChannelCredentials.create())
                .intercept(ServiceCredentialGrpc.clientInterceptor(new ServiceCredential(ServiceCredentials.value()))).build();
    }

    @AfterEach
    void disconnect() {
        channel.shutdownNow();
    }

    PlacementServiceGrpc.PlacementServiceBlockingStub placement() {
        return PlacementServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    record Event(String type, String subject, OffsetDateTime time, JsonNode data) {
    }

    @Test
    void maintenanceRebootsOneUpdateDomainPerWaveWithAPauseBetweenWaves() {
        // westeurope: an availability set of UD 3 (6 VMs: 2 per update domain) and a standalone VM
        List<Allocation> vms = new ArrayList<>();
        for (int n = 0; n < 6; n++) {
            vms.add(placement().place(TestVm.in("westeurope").size(1, 1024).inAvailabilitySet("maint", 2, 3).place())
                    .getAllocation());
        }
        String cluster = vms.getFirst().getCluster();
        vms.add(placement().place(TestVm.in("westeurope").size(1, 1024).place()).getAllocation());
        long sinceSeq = jdbc.queryForObject("select coalesce(max(seq), 0) from outbox", Long.class);

        Maintenance started = placement().startMaintenance(StartMaintenanceRequest.newBuilder()
                .setRegion("West Europe").setCluster(cluster).setPauseMillis(300).build());

        assertThat(started.getState()).isEqualTo("Updating");
        assertThat(started.getWaves()).isEqualTo(3);
        assertThat(statusOf(() -> placement().startMaintenance(StartMaintenanceRequest.newBuilder()
                .setRegion("westeurope").setCluster(cluster).build())).getCode())
                .as("one maintenance per cluster at a time").isEqualTo(Status.Code.FAILED_PRECONDITION);
        await().atMost(Duration.ofSeconds(20)).until(() -> placement().getMaintenance(GetMaintenanceRequest
                .newBuilder().setId(started.getId()).build()).getState().equals("Completed"));

        List<Event> events = jdbc.query("select payload from outbox where seq > ? and event_type like "
                + "'Cirrus.%' and event_type <> 'Cirrus.Placement.HostAllocated' order by seq",
                (rs, i) -> {
                    JsonNode e = json.readTree(rs.getString(1));
                    return new Event(e.get("type").asString(), e.get("subject").asString(),
                            OffsetDateTime.parse(e.get("time").asString()), e.get("data"));
                }, sinceSeq);
        Map<String, Integer> domainOf = new java.util.HashMap<>();
        vms.stream().filter(a -> a.getCluster().equals(cluster))
                .forEach(a -> domainOf.put(a.getVmId(), a.getUpdateDomain()));
        // walk the events: at any moment, only the VMs of the current wave's update domain are rebooting
        Set<String> rebooting = new HashSet<>();
        int wave = -1;
        OffsetDateTime lastCompleted = null;
        List<Integer> wavesSeen = new ArrayList<>();
        for (Event e : events) {
            switch (e.type()) {
                case EventTypes.MAINTENANCE_WAVE_STARTED -> {
                    assertThat(rebooting).isEmpty();
                    wave = e.data().get("wave").asInt();
                    wavesSeen.add(wave);
                    if (lastCompleted != null) {
                        assertThat(Duration.between(lastCompleted, e.time())).as("pause before wave %d", wave)
                                .isGreaterThanOrEqualTo(Duration.ofMillis(300));
                    }
                }
                case EventTypes.VM_REBOOT_STARTED -> {
                    assertThat(e.data().get("updateDomain").asInt()).isEqualTo(wave);
                    rebooting.add(e.data().get("vmId").asString());
                }
                case EventTypes.VM_REBOOT_COMPLETED -> assertThat(rebooting.remove(e.data().get("vmId").asString()))
                        .isTrue();
                case EventTypes.MAINTENANCE_WAVE_COMPLETED -> {
                    assertThat(rebooting).isEmpty();
                    lastCompleted = e.time();
                }
                default -> { }
            }
        }
        assertThat(wavesSeen).containsExactly(0, 1, 2);
        assertThat(events.stream().filter(e -> e.type().equals(EventTypes.VM_REBOOT_STARTED))
                .map(e -> e.data().get("vmId").asString())).containsExactlyInAnyOrderElementsOf(domainOf.keySet());
    }

    @Test
    void maintenanceOfAnUnknownClusterIsNotFound() {
        assertThat(statusOf(() -> placement().startMaintenance(StartMaintenanceRequest.newBuilder()
                .setRegion("westeurope").setCluster("nope").build())).getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(statusOf(() -> placement().getMaintenance(GetMaintenanceRequest.newBuilder().setId("x").build()))
                .getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }
}
