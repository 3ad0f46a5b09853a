package dev.cirrus.placement;

import static dev.cirrus.placement.GrpcAssertions.statusOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.contracts.placement.v1.Allocation;
import dev.cirrus.contracts.placement.v1.AvailabilitySetGroup;
import dev.cirrus.contracts.placement.v1.GetAllocationRequest;
import dev.cirrus.contracts.placement.v1.PlaceRequest;
import dev.cirrus.contracts.placement.v1.PlacementGroup;
import dev.cirrus.contracts.placement.v1.PlacementServiceGrpc;
import dev.cirrus.contracts.placement.v1.ReleaseRequest;
import dev.cirrus.contracts.placement.v1.VmSize;
import dev.cirrus.plumbing.security.ServiceCredential;
import dev.cirrus.plumbing.security.ServiceCredentialGrpc;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.SpringInfrastructure;
import dev.cirrus.testkit.TestInfrastructure;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The placement API as compute-vm sees it: a real engine on real PostgreSQL and Kafka, called through a real gRPC
 * stub over a loopback socket. The inventory (test-topology.yaml) gives each concern its own region.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cirrus.placement.grpc-port=0",
        "cirrus.placement.inventory=classpath:inventory/test-topology.yaml"})
class PlacementServiceTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringInfrastructure.register(registry, "placement");
    }

    @Value("${local.grpc.port}")
    int grpcPort;

    @LocalServerPort
    int httpPort;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ObjectMapper json;

    ManagedChannel channel;
    final HttpClient http = ServiceCredentials.httpClient();

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
    void aPlacedVmGetsAHostInTheRequestedRegionAndTheAllocationIsPersisted() {
        TestVm vm = TestVm.in("westeurope").size("Standard_D2s_v5", 2, 8192);

        Allocation allocation = placement().place(vm.place()).getAllocation();

        assertThat(allocation.getVmId()).isEqualTo(vm.vmId());
        assertThat(allocation.getResourceId()).isEqualTo(vm.resourceId());
        assertThat(allocation.getRegion()).isEqualTo("westeurope");
        assertThat(allocation.getCluster()).isEqualTo("weu-c1");
        assertThat(allocation.getHost()).startsWith("weu-c1-r");
        assertThat(allocation.getRack()).isEqualTo(allocation.getHost().substring(0, "weu-c1-r1".length()));
        assertThat(allocation.getFaultDomain()).isEqualTo(allocation.getRack().endsWith("r1") ? 0 : 1);
        assertThat(allocation.getUpdateDomain()).isZero();
        assertThat(allocation.getSize()).isEqualTo(
                VmSize.newBuilder().setName("Standard_D2s_v5").setVcpus(2).setMemoryMib(8192).build());

        assertThat(placement().getAllocation(vm.get())).isEqualTo(allocation);
        assertThat(jdbc.queryForMap("select host, region, vcpus, memory_mib from allocation where vm_id = ?",
                vm.vmId())).containsEntry("host", allocation.getHost()).containsEntry("region", "westeurope")
                .containsEntry("vcpus", 2).containsEntry("memory_mib", 8192);
    }

    @Test
    void placingTheSameVmTwiceAnswersTheSameAllocationAndAllocatesOnce() {
        TestVm vm = TestVm.in("westeurope");

        Allocation first = placement().place(vm.place()).getAllocation();
        Allocation second = placement().place(vm.place()).getAllocation();

        assertThat(second).isEqualTo(first);
        assertThat(jdbc.queryForObject("select count(*) from allocation where vm_id = ?", Integer.class, vm.vmId()))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from outbox where record_key = ? and event_type = ?",
                Integer.class, vm.resourceId().toLowerCase(Locale.ROOT), EventTypes.HOST_ALLOCATED)).isEqualTo(1);
    }

    @Test
    void aPlacedVmAskedAgainWithAnotherSizeIsRefusedAsAlreadyExistsAndKeepsItsAllocation() {
        TestVm vm = TestVm.in("westeurope").size(2, 4096);
        Allocation placed = placement().place(vm.place()).getAllocation();

        Status status = statusOf(() -> placement().place(vm.size(4, 8192).place()));

        assertThat(status.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(status.getDescription()).contains("already placed in 'westeurope' on host '" + placed.getHost() + "'")
                .contains("release it before");
        assertThat(placement().getAllocation(vm.get())).isEqualTo(placed);
    }

    @Test
    void releasingAVmFreesItsCapacityForALaterVmThatOnlyFitsThere() {
        // westus has one host of 4 vCPU / 16 GiB
        TestVm first = TestVm.in("westus").size(4, 8192);
        TestVm later = TestVm.in("westus").size(4, 8192);
        assertThat(placement().place(first.place()).getAllocation().getHost()).isEqualTo("wus-c1-r1-h01");
        assertThat(statusOf(() -> placement().place(later.place())).getCode())
                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

        assertThat(placement().release(first.release()).getReleased()).isTrue();

        assertThat(placement().place(later.place()).getAllocation().getHost()).isEqualTo("wus-c1-r1-h01");
        assertThat(statusOf(() -> placement().getAllocation(first.get())).getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(placement().release(first.release()).getReleased()).as("a second release").isFalse();
        assertThat(placement().release(later.release()).getReleased()).isTrue();
    }

    @Test
    void aVmPlacedAgainWithItsOldHostExcludedLandsOnAnotherHostAndIsRefusedWhenThatWasTheOnlyOne() {
        TestVm vm = TestVm.in("westeurope").size(2, 4096);
        String old = placement().place(vm.place()).getAllocation().getHost();
        assertThat(placement().release(vm.release()).getReleased()).isTrue();

        Allocation moved = placement().place(vm.place().toBuilder().addExcludeHosts(old.toUpperCase(Locale.ROOT)).build())
                .getAllocation();

        assertThat(moved.getHost()).isNotEqualTo(old);
        assertThat(placement().release(vm.release()).getReleased()).isTrue();

        // westus has a single host: excluding it leaves nothing, and the diagnosis says why
        TestVm lonely = TestVm.in("westus").size(1, 1024);
        Status status = statusOf(() -> placement().place(lonely.place().toBuilder().addExcludeHosts("wus-c1-r1-h01")
                .build()));
        assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(status.getDescription()).contains("1 excluded by the request (the host a redeploy leaves)");
    }

    @Test
    void releasingAVmThatWasNeverPlacedAnswersFalse() {
        assertThat(placement().release(TestVm.in("westus").release()).getReleased()).isFalse();
    }

    @Test
    void theAllocationOfAVmThatHasNoneIsNotFound() {
        TestVm vm = TestVm.in("westeurope");

        Status status = statusOf(() -> placement().getAllocation(vm.get()));

        assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status.getDescription()).isEqualTo("VM '" + vm.vmId() + "' has no allocation");
    }

    @Test
    void whenNothingFitsTheAnswerIsResourceExhaustedWithAPerReasonDiagnosis() {
        // eastus: 4 vCPU / 64 GiB, 16 vCPU / 8 GiB, 2 vCPU / 4 GiB
        TestVm vm = TestVm.in("eastus").size(8, 16 * 1024);

        Status status = statusOf(() -> placement().place(vm.place()));

        assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(status.getDescription())
                .isEqualTo("0/3 hosts in eastus are available: 2 insufficient vCPU, 1 insufficient memory");
        assertThat(statusOf(() -> placement().getAllocation(vm.get())).getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void anUnknownRegionIsRefusedAsAFailedPrecondition() {
        Status status = statusOf(() -> placement().place(TestVm.in("northpole").place()));

        assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(status.getDescription()).isEqualTo("no hosts in location 'northpole'");
    }

    @Test
    void aLocationIsMatchedWhateverItsCasingOrDisplayName() {
        assertThat(placement().place(TestVm.in("West Europe").place()).getAllocation().getRegion())
                .isEqualTo("westeurope");
        assertThat(placement().place(TestVm.in("WESTEUROPE").place()).getAllocation().getRegion())
                .isEqualTo("westeurope");
    }

    static Stream<Arguments> malformedRequests() {
        PlaceRequest valid = TestVm.in("westeurope").place();
        return Stream.of(
                Arguments.of("no vm_id", valid.toBuilder().clearVmId().build(), "vm_id is required"),
                Arguments.of("a vm_id that is no GUID", valid.toBuilder().setVmId("vm-1").build(),
                        "vm_id 'vm-1' is not a GUID"),
                Arguments.of("no resource_id", valid.toBuilder().clearResourceId().build(), "resource_id is required"),
                Arguments.of("no location", valid.toBuilder().setLocation(" ").build(), "location is required"),
                Arguments.of("no size", valid.toBuilder().clearSize().build(), "size is required"),
                Arguments.of("zero vCPUs", valid.toBuilder().setSize(valid.getSize().toBuilder().setVcpus(0)).build(),
                        "size.vcpus must be positive, got 0"),
                Arguments.of("negative memory",
                        valid.toBuilder().setSize(valid.getSize().toBuilder().setMemoryMib(-512)).build(),
                        "size.memory_mib must be positive, got -512"),
                Arguments.of("an availability set with 4 fault domains", valid.toBuilder()
                                .setGroup(PlacementGroup.newBuilder().setAvailabilitySet(AvailabilitySetGroup.newBuilder()
                                        .setId("/subscriptions/s/resourcegroups/rg/providers/microsoft.compute/availabilitysets/as1")
                                        .setFaultDomainCount(4).setUpdateDomainCount(5)))
                                .build(),
                        "group.availability_set.fault_domain_count must be between 1 and 3, got 4"),
                Arguments.of("several problems at once",
                        valid.toBuilder().clearVmId().setSize(VmSize.newBuilder().setName("x")).build(),
                        "vm_id is required; size.vcpus must be positive, got 0; size.memory_mib must be positive, got 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRequests")
    void aMalformedPlaceRequestIsAnInvalidArgumentAndPlacesNothing(String what, PlaceRequest request, String message) {
        int allocationsBefore = jdbc.queryForObject("select count(*) from allocation", Integer.class);

        Status status = statusOf(() -> placement().place(request));

        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains(message);
        assertThat(jdbc.queryForObject("select count(*) from allocation", Integer.class)).isEqualTo(allocationsBefore);
    }

    @Test
    void releaseAndGetAllocationWithoutAGuidAreInvalidArguments() {
        assertThat(statusOf(() -> placement().release(ReleaseRequest.getDefaultInstance())).getDescription())
                .isEqualTo("vm_id is required");
        Status status = statusOf(() -> placement().getAllocation(GetAllocationRequest.newBuilder().setVmId("x").build()));
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).isEqualTo("vm_id 'x' is not a GUID");
    }

    @Test
    void placingAndReleasingPublishHostAllocatedThenHostReleasedOnKafka() {
        TestVm vm = TestVm.in("westeurope").size(2, 4096);
        Allocation allocation = placement().place(vm.place()).getAllocation();
        placement().release(vm.release());

        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(Topics.PLACEMENT));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (vm.resourceId().toLowerCase(Locale.ROOT).equals(r.key())) {
                        records.add(r);
                    }
                });
                assertThat(records).hasSize(2);
            });
        }

        JsonNode allocated = json.readTree(records.get(0).value());
        JsonNode released = json.readTree(records.get(1).value());
        assertThat(allocated.get("type").asString()).isEqualTo(EventTypes.HOST_ALLOCATED);
        assertThat(released.get("type").asString()).isEqualTo(EventTypes.HOST_RELEASED);
        for (JsonNode event : List.of(allocated, released)) {
            assertThat(event.get("source").asString()).isEqualTo("/cirrus/placement-engine");
            assertThat(event.get("subject").asString()).isEqualTo(vm.resourceId());
            JsonNode data = event.get("data");
            assertThat(data.get("vmId").asString()).isEqualTo(vm.vmId());
            assertThat(data.get("host").asString()).isEqualTo(allocation.getHost());
            assertThat(data.get("rack").asString()).isEqualTo(allocation.getRack());
            assertThat(data.get("cluster").asString()).isEqualTo("weu-c1");
            assertThat(data.get("region").asString()).isEqualTo("westeurope");
            assertThat(data.get("faultDomain").asInt()).isEqualTo(allocation.getFaultDomain());
            assertThat(data.get("updateDomain").asInt()).isZero();
            assertThat(data.get("vcpus").asInt()).isEqualTo(2);
            assertThat(data.get("memoryMib").asInt()).isEqualTo(4096);
        }
    }

    @Test
    void theInventoryListsTheHostsOfARegionWithTheirCapacityAndUse() throws Exception {
        JsonNode before = hostsOf("westeurope");
        Allocation allocation = placement().place(TestVm.in("westeurope").size(3, 5000).place()).getAllocation();
        JsonNode after = hostsOf("westeurope");

        assertThat(after.size()).isEqualTo(4);
        assertThat(names(after)).containsExactly("weu-c1-r1-h01", "weu-c1-r1-h02", "weu-c1-r2-h01", "weu-c1-r2-h02");
        JsonNode host = find(after, allocation.getHost());
        JsonNode was = find(before, allocation.getHost());
        assertThat(host.get("region").asString()).isEqualTo("westeurope");
        assertThat(host.get("cluster").asString()).isEqualTo("weu-c1");
        assertThat(host.get("rack").asString()).isEqualTo(allocation.getRack());
        assertThat(host.get("faultDomain").asInt()).isEqualTo(allocation.getFaultDomain());
        assertThat(host.get("state").asString()).isEqualTo("InService");
        assertThat(host.get("vcpus").asInt()).isEqualTo(16);
        assertThat(host.get("memoryMib").asLong()).isEqualTo(64 * 1024);
        assertThat(host.get("usedVcpus").asLong()).isEqualTo(was.get("usedVcpus").asLong() + 3);
        assertThat(host.get("usedMemoryMib").asLong()).isEqualTo(was.get("usedMemoryMib").asLong() + 5000);
        assertThat(host.get("freeVcpus").asLong()).isEqualTo(16 - host.get("usedVcpus").asLong());
        assertThat(host.get("allocations").asInt()).isEqualTo(was.get("allocations").asInt() + 1);
    }

    @Test
    void theInventoryListsEveryHostWithoutARegionAndRefusesAnUnknownRegion() throws Exception {
        HttpResponse<String> all = get("/inventory/hosts");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(json.readTree(all.body()).get("value").size()).isEqualTo(8);

        HttpResponse<String> unknown = get("/inventory/hosts?region=northpole");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json.readTree(unknown.body()).at("/error/code").asString()).isEqualTo("LocationNotFound");
    }

    @Test
    void theEngineIsLiveAndReadyAndShowsItsGrpcPortAtActuatorInfo() throws Exception {
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        HttpResponse<String> info = get("/actuator/info");
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(json.readTree(info.body()).at("/grpc/port").asInt()).isEqualTo(grpcPort);
    }

    @Test
    void thePrometheusPageCountsPlacementsAndRefusalsByReason() throws Exception {
        placement().place(TestVm.in("westeurope").place());
        statusOf(() -> placement().place(TestVm.in("northpole").place()));

        HttpResponse<String> page = get("/actuator/prometheus");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).containsPattern("cirrus_placements_decided_total(\\{[^}]*})? [1-9]")
                .containsPattern("cirrus_placements_refused_total\\{[^}]*reason=\"UNKNOWN_LOCATION\"[^}]*} [1-9]")
                .contains("cirrus_outbox_backlog");
    }

    @Test
    void aGrpcCallWithoutTheServiceCredentialOrWithAWrongOneIsUnauthenticatedAndPlacesNothing() {
        TestVm vm = TestVm.in("westeurope");
        for (ManagedChannel stranger : List.of(
                Grpc.newChannelBuilderForAddress("127.0.0.1", grpcPort, InsecureChannelCredentials.create()).build(),
                Grpc.newChannelBuilderForAddress("127.0.0.1", grpcPort, InsecureChannelCredentials.create())
                        .intercept(ServiceCredentialGrpc.clientInterceptor(new ServiceCredential("x".repeat(64))))
                        .build())) {
            try {
                var stub = PlacementServiceGrpc.newBlockingStub(stranger).withDeadlineAfter(20, TimeUnit.SECONDS);
                assertThat(statusOf(() -> stub.place(vm.place())).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            } finally {
                stranger.shutdownNow();
            }
        }
        assertThat(statusOf(() -> placement().getAllocation(vm.get())).getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void anHttpCallWithoutTheServiceCredentialIsA401ButTheProbesAnswer() throws Exception {
        HttpClient stranger = HttpClient.newHttpClient();
        for (String path : List.of("/inventory/hosts", "/actuator/info")) {
            HttpResponse<String> refused = stranger.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(path).isEqualTo(401);
            assertThat(json.readTree(refused.body()).at("/error/code").asString()).isEqualTo("AuthenticationFailed");
        }
        HttpResponse<String> probe = stranger.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/actuator/health/readiness")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(probe.statusCode()).isEqualTo(200);
    }

    private KafkaConsumer<String, String> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "placement-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    private JsonNode hostsOf(String region) throws Exception {
        HttpResponse<String> response = get("/inventory/hosts?region=" + region);
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body()).get("value");
    }

    private static JsonNode find(JsonNode hosts, String name) {
        for (JsonNode host : hosts) {
            if (host.get("name").asString().equals(name)) {
                return host;
            }
        }
        throw new AssertionError("no host " + name + " in " + hosts);
    }

    private static List<String> names(JsonNode hosts) {
        List<String> names = new ArrayList<>();
        hosts.forEach(h -> names.add(h.get("name").asString()));
        return names;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
