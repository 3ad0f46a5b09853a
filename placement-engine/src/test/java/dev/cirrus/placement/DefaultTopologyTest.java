package dev.cirrus.placement;

import static dev.cirrus.placement.GrpcAssertions.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import dev.cirrus.contracts.placement.v1.Allocation;
import dev.cirrus.contracts.placement.v1.PlacementServiceGrpc;
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
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The engine as shipped: the default topology of 4 regions x 2 clusters x 3 racks x 10 hosts. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "cirrus.placement.grpc-port=0")
class DefaultTopologyTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringInfrastructure.register(registry, "placement_default");
    }

    @Value("${local.grpc.port}")
    int grpcPort;

    @LocalServerPort
    int httpPort;

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

    @Test
    void theInventoryHasSixtyHostsOf64VcpuAnd256GibInEachOfFourRegions() throws Exception {
        HttpResponse<String> response = ServiceCredentials.httpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/inventory/hosts")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode hosts = json.readTree(response.body()).get("value");

        assertThat(hosts.size()).isEqualTo(240);
        for (String region : new String[] {"koreacentral", "eastus", "westeurope", "westus"}) {
            assertThat(hosts.valueStream().filter(h -> h.get("region").asString().equals(region))).hasSize(60);
        }
        assertThat(hosts.valueStream()).allSatisfy(h -> {
            assertThat(h.get("vcpus").asInt()).isEqualTo(64);
            assertThat(h.get("memoryMib").asLong()).isEqualTo(256 * 1024);
        });
        JsonNode h07 = hosts.valueStream().filter(h -> h.get("name").asString().equals("kc-c1-r2-h07"))
                .findFirst().orElseThrow();
        assertThat(h07.get("cluster").asString()).isEqualTo("kc-c1");
        assertThat(h07.get("rack").asString()).isEqualTo("kc-c1-r2");
        assertThat(h07.get("faultDomain").asInt()).isEqualTo(1);
    }

    @Test
    void theFirstVmOfARegionLandsOnItsFirstHostByName() {
        Allocation allocation = placement().place(TestVm.in("koreacentral").place()).getAllocation();

        assertThat(allocation.getHost()).isEqualTo("kc-c1-r1-h01");
        assertThat(allocation.getRack()).isEqualTo("kc-c1-r1");
        assertThat(allocation.getCluster()).isEqualTo("kc-c1");
        assertThat(allocation.getFaultDomain()).isZero();
        assertThat(allocation.getUpdateDomain()).isZero();
    }

    @Test
    void aVmLargerThanAnyHostIsRefusedWithADiagnosisOverAllSixtyHostsOfItsRegion() {
        Status status = statusOf(() -> placement().place(TestVm.in("eastus").size(65, 1024).place()));

        assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(status.getDescription()).isEqualTo("0/60 hosts in eastus are available: 60 insufficient vCPU");
    }
}
