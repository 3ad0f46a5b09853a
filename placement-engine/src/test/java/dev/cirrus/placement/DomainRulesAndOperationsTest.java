package dev.cirrus.placement;

import static dev.cirrus.placement.GrpcAssertions.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.placement.v1.Allocation;
import dev.cirrus.contracts.placement.v1.HostOperationResponse;
import dev.cirrus.contracts.placement.v1.HostSelector;
import dev.cirrus.contracts.placement.v1.ListAllocationsRequest;
import dev.cirrus.contracts.placement.v1.ListHostsRequest;
import dev.cirrus.contracts.placement.v1.Move;
import dev.cirrus.contracts.placement.v1.PlaceManyRequest;
import dev.cirrus.contracts.placement.v1.PlacementServiceGrpc;
import dev.cirrus.contracts.placement.v1.RackRef;
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

/**
 * Availability sets, scale sets, all-or-nothing placement, host and rack failures and drains, as compute-vm and an
 * operator see them over gRPC. Each concern has its own region of domains-topology.yaml.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "cirrus.placement.grpc-port=0",
        "cirrus.kafka.bootstrap-servers=",
        "cirrus.placement.inventory=classpath:inventory/domains-topology.yaml"})
class DomainRulesAndOperationsTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringInfrastructure.register(registry, "placement_domains");
    }

    @Value("${local.grpc.port}")
    int grpcPort;

    @Autowired
    JdbcTemplate jdbc;

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

    @Test
    void theVmsOfAnAvailabilitySetGetRoundRobinDomainsOnDistinctRacksOfOneCluster() {
        List<Allocation> placed = new ArrayList<>();
        for (int n = 0; n < 7; n++) {
            placed.add(placement().place(TestVm.in("westeurope").size(2, 4096).inAvailabilitySet("web", 3, 5)
                    .place()).getAllocation());
        }

        for (int n = 0; n < placed.size(); n++) {
            assertThat(placed.get(n).getFaultDomain()).as("FD of VM %d", n).isEqualTo(n % 3);
            assertThat(placed.get(n).getUpdateDomain()).as("UD of VM %d", n).isEqualTo(n % 5);
        }
        assertThat(placed).extracting(Allocation::getCluster).containsOnly(placed.getFirst().getCluster());
        Map<Integer, Set<String>> racks = placed.stream().collect(Collectors.groupingBy(Allocation::getFaultDomain,
                Collectors.mapping(Allocation::getRack, Collectors.toSet())));
        assertThat(racks.values()).allSatisfy(r -> assertThat(r).hasSize(1));
        assertThat(racks.values().stream().flatMap(Set::stream).distinct()).hasSize(3);
        String setId = TestVm.setId("availabilitySets", "WEB").toLowerCase(Locale.ROOT);
        assertThat(placement().listAllocations(ListAllocationsRequest.newBuilder().setGroupId(setId).build())
                .getAllocationsList()).hasSize(7).allSatisfy(a -> assertThat(a.getGroupId()).isEqualTo(setId));
    }

    @Test
    void aDeletedMembersDomainsGoToTheNextVmOfTheSet() {
        List<TestVm> vms = new ArrayList<>();
        List<Allocation> placed = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            TestVm vm = TestVm.in("westeurope").size(1, 1024).inAvailabilitySet("api", 2, 3);
            vms.add(vm);
            placed.add(placement().place(vm.place()).getAllocation());
        }
        // (FD,UD): (0,0) (1,1) (0,2) (1,0); delete VM 1
        placement().release(vms.get(1).release());

        Allocation next = placement().place(TestVm.in("westeurope").size(1, 1024).inAvailabilitySet("api", 2, 3)
                .place()).getAllocation();

        assertThat(next.getFaultDomain()).isEqualTo(1);
        assertThat(next.getUpdateDomain()).isEqualTo(1);
        assertThat(next.getRack()).isEqualTo(placed.get(3).getRack());
    }

    @Test
    void aScaleSetIsSpreadWithASkewOfAtMostOne() {
        for (int n = 0; n < 8; n++) {
            Allocation a = placement().place(TestVm.in("westeurope").size(1, 1024).inScaleSet("ss", 3).place())
                    .getAllocation();
            assertThat(a.getFaultDomain()).isBetween(0, 2);
            Map<Integer, Long> counts = placement().listAllocations(ListAllocationsRequest.newBuilder()
                    .setGroupId(TestVm.setId("virtualMachineScaleSets", "ss")).build()).getAllocationsList().stream()
                    .collect(Collectors.groupingBy(Allocation::getFaultDomain, Collectors.counting()));
            long max = counts.values().stream().max(Long::compare).orElse(0L);
            long min = counts.size() < 3 ? 0 : counts.values().stream().min(Long::compare).orElse(0L);
            assertThat(max - min).as("skew after %d VMs: %s", n + 1, counts).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void aScaleSetBalancesOverTheFaultDomainsThatHaveAHostInServiceWhenARackHasFailed() {
        // centralus: three racks of one 4-vCPU host; a set of three one-vCPU VMs, one per fault domain
        List<TestVm> members = new ArrayList<>();
        List<Allocation> placed = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            TestVm vm = TestVm.in("centralus").size(1, 512).inScaleSet("best-effort", 3);
            members.add(vm);
            placed.add(placement().place(vm.place()).getAllocation());
        }
        RackRef rack = RackRef.newBuilder().setCluster("cus-c1").setRack(placed.get(0).getRack()).build();
        placement().failHosts(HostSelector.newBuilder().setRack(rack).build());
        try {
            // the member on the failed rack is deleted: its fault domain is the least loaded, but it cannot take VMs
            placement().release(members.get(0).release());
            TestVm next = TestVm.in("centralus").size(1, 512).inScaleSet("best-effort", 3);
            Allocation a = placement().place(next.place()).getAllocation();
            assertThat(a.getRack()).isNotEqualTo(rack.getRack());
            assertThat(a.getFaultDomain()).isNotEqualTo(placed.get(0).getFaultDomain());
            members.set(0, next);
        } finally {
            placement().recoverHosts(HostSelector.newBuilder().setRack(rack).build());
            members.forEach(m -> placement().release(m.release()));
        }
    }

    @Test
    void placeManyPlacesEveryVmOrNoneAndSaysWhyTheFirstMisfitDidNotFit() {
        // eastus: three racks of one 4-vCPU host; a set of FD=3: four VMs of 4 vCPU cannot all fit
        PlaceManyRequest.Builder tooMany = PlaceManyRequest.newBuilder();
        for (int n = 0; n < 4; n++) {
            tooMany.addVms(TestVm.in("eastus").size(4, 4096).inAvailabilitySet("batch", 3, 5).place());
        }

        Status refused = statusOf(() -> placement().placeMany(tooMany.build()));

        assertThat(refused.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(refused.getDescription()).isEqualTo(
                "VM 4 of 4: 0/3 hosts in eastus are available: 3 insufficient vCPU");
        assertThat(jdbc.queryForObject("select count(*) from allocation where region = 'eastus'", Integer.class))
                .isZero();

        PlaceManyRequest.Builder three = PlaceManyRequest.newBuilder();
        for (int n = 0; n < 3; n++) {
            three.addVms(TestVm.in("eastus").size(4, 4096).inAvailabilitySet("batch", 3, 5).place());
        }
        List<Allocation> placed = placement().placeMany(three.build()).getAllocationsList();
        assertThat(placed).extracting(Allocation::getFaultDomain).containsExactly(0, 1, 2);
        assertThat(placed).extracting(Allocation::getHost).doesNotHaveDuplicates();
        assertThat(placement().placeMany(three.build()).getAllocationsList()).as("a retry").isEqualTo(placed);
    }

    @Test
    void aFailedHostsVmsAreServiceHealedToTheirRackAndTheHostTakesNothingUntilRecovered() {
        // westus: racks r1, r2 of three 8-vCPU hosts; pack mode fills wus-c1-r1-h01 first
        TestVm a = TestVm.in("westus").size(4, 4096);
        TestVm b = TestVm.in("westus").size(4, 4096);
        String host = placement().place(a.place()).getAllocation().getHost();
        assertThat(placement().place(b.place()).getAllocation().getHost()).isEqualTo(host);
        String rack = host.substring(0, host.lastIndexOf('-'));

        HostOperationResponse failed = placement().failHosts(HostSelector.newBuilder().setHost(host).build());

        assertThat(failed.getHostsList()).containsExactly(host);
        assertThat(failed.getMovesList()).hasSize(2).allSatisfy(m -> {
            assertThat(m.getStranded()).isFalse();
            assertThat(m.getFromHost()).isEqualTo(host);
            assertThat(m.getAllocation().getHost()).isNotEqualTo(host).startsWith(rack);
        });
        assertThat(placement().getAllocation(a.get()).getHost()).isNotEqualTo(host).startsWith(rack);
        assertThat(events(EventTypes.VM_SERVICE_HEALED, a)).isEqualTo(1);
        assertThat(hostState(host)).isEqualTo("Failed");
        // a VM that only the failed host's empty room would take is refused, naming the failed host
        for (int n = 0; n < 4; n++) {
            placement().place(TestVm.in("westus").size(8, 4096).place());
        }
        assertThat(statusOf(() -> placement().place(TestVm.in("westus").size(8, 4096).place())).getDescription())
                .isEqualTo("0/6 hosts in westus are available: 5 insufficient vCPU, 1 host failed");

        HostOperationResponse recovered = placement().recoverHosts(HostSelector.newBuilder().setHost(host).build());
        assertThat(recovered.getHostsList()).containsExactly(host);
        assertThat(placement().place(TestVm.in("westus").size(8, 4096).place()).getAllocation().getHost())
                .isEqualTo(host);
    }

    @Test
    void whenARackFailsSetVmsAreStrandedAndStandaloneVmsMoveToAnotherRack() {
        TestVm member = TestVm.in("northeurope").size(2, 2048).inAvailabilitySet("db", 3, 5);
        Allocation placed = placement().place(member.place()).getAllocation();
        TestVm standalone = TestVm.in("northeurope").size(2, 2048);
        Allocation alone = placement().place(standalone.place()).getAllocation();
        assertThat(alone.getHost()).as("pack mode: the fullest host").isEqualTo(placed.getHost());
        RackRef rack = RackRef.newBuilder().setCluster("neu-c1").setRack(placed.getRack()).build();

        HostOperationResponse failed = placement().failHosts(HostSelector.newBuilder().setRack(rack).build());

        assertThat(failed.getHostsList()).hasSize(2).allSatisfy(h -> assertThat(h).startsWith(placed.getRack()));
        Move stranded = failed.getMovesList().stream().filter(m -> m.getVmId().equals(member.vmId())).findFirst()
                .orElseThrow();
        assertThat(stranded.getStranded()).isTrue();
        assertThat(stranded.getReason()).isEqualTo("0/2 hosts in northeurope are available: 2 host failed");
        assertThat(placement().getAllocation(member.get())).isEqualTo(placed);
        assertThat(events(EventTypes.VM_STRANDED, member)).isEqualTo(1);
        Allocation moved = placement().getAllocation(standalone.get());
        assertThat(moved.getRack()).isNotEqualTo(placed.getRack());
        assertThat(moved.getFaultDomain()).isNotEqualTo(alone.getFaultDomain());
        assertThat(events(EventTypes.VM_SERVICE_HEALED, standalone)).isEqualTo(1);
        assertThat(placement().listHosts(ListHostsRequest.newBuilder().setRegion("northeurope").build())
                .getHostsList()).filteredOn(h -> h.getRack().equals(placed.getRack()))
                .allSatisfy(h -> assertThat(h.getState()).isEqualTo("Failed"));

        assertThat(placement().recoverHosts(HostSelector.newBuilder().setRack(rack).build()).getHostsList())
                .hasSize(2);
        assertThat(placement().getAllocation(member.get())).as("it runs there again").isEqualTo(placed);
        assertThat(events(EventTypes.VM_SERVICE_HEALED, member)).as("the stranded VM is announced back on its host")
                .isEqualTo(1);
        assertThat(events(EventTypes.VM_SERVICE_HEALED, standalone)).as("a VM that had moved is not announced again")
                .isEqualTo(1);
    }

    @Test
    void aDrainedHostsVmsAreMigratedAndItTakesNoNewOnes() {
        TestVm a = TestVm.in("uksouth").size(2, 2048);
        String host = placement().place(a.place()).getAllocation().getHost();

        HostOperationResponse drained = placement().drainHosts(HostSelector.newBuilder().setHost(host).build());

        assertThat(drained.getMovesList()).singleElement().satisfies(m -> {
            assertThat(m.getStranded()).isFalse();
            assertThat(m.getAllocation().getHost()).isNotEqualTo(host);
        });
        assertThat(events(EventTypes.VM_MIGRATED, a)).isEqualTo(1);
        assertThat(hostState(host)).isEqualTo("Drained");
        for (int n = 0; n < 6; n++) {
            assertThat(placement().place(TestVm.in("uksouth").size(1, 1024).place()).getAllocation().getHost())
                    .isNotEqualTo(host);
        }
    }

    @Test
    void operationsOnUnknownOrUnnamedHostsAreRefused() {
        assertThat(statusOf(() -> placement().failHosts(HostSelector.newBuilder().setHost("nope").build())).getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(statusOf(() -> placement().drainHosts(HostSelector.getDefaultInstance())).getCode())
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(statusOf(() -> placement().listAllocations(ListAllocationsRequest.getDefaultInstance()))
                .getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    private int events(String type, TestVm vm) {
        return jdbc.queryForObject("select count(*) from outbox where record_key = ? and event_type = ?",
                Integer.class, vm.resourceId().toLowerCase(Locale.ROOT), type);
    }

    private String hostState(String host) {
        return jdbc.queryForObject("select state from host where name = ?", String.class, host);
    }
}
