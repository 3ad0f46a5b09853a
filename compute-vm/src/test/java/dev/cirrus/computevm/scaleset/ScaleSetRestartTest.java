package dev.cirrus.computevm.scaleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import dev.cirrus.computevm.PlacementEngineProcess;
import dev.cirrus.contracts.placement.v1.Allocation;
import dev.cirrus.contracts.placement.v1.ListAllocationsRequest;
import dev.cirrus.testkit.ChildJvm;
import dev.cirrus.testkit.ServiceCredentials;
import dev.cirrus.testkit.TestInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * compute-vm killed ({@code kill -9}) in the middle of a scale-out and started again on the same database: the
 * scale-out completes with exactly the instances asked for, each placed once by the real placement engine (its
 * allocations for the set are the instances, no more), none lost or duplicated. compute-vm runs as a child JVM of its
 * own classes (target/classes) so that it can be killed; slow, so it runs with the scenario tests.
 */
@Tag("scenario") // slow: runs in the second Maven run of ./cirrus test (root pom.xml)
class ScaleSetRestartTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final PlacementEngineProcess ENGINE = PlacementEngineProcess.shared();

    private final HttpClient http = ServiceCredentials.httpClient(HttpClient.newHttpClient());
    private final String database = TestInfrastructure.postgres().newDatabase("compute_vm_restart");
    private final int port = ChildJvm.freePort();
    private ChildJvm service;

    private ChildJvm start() {
        TestInfrastructure.PostgresEndpoint pg = TestInfrastructure.postgres();
        List<Path> classpath = new ArrayList<>();
        classpath.add(Path.of("target", "classes").toAbsolutePath());
        classpath.addAll(ChildJvm.testClassPathWithoutThisModule());
        return ChildJvm.mainClass("dev.cirrus.computevm.ComputeVmApplication", classpath).name("compute-vm-restart")
                .output(Path.of("target", "compute-vm-restart-" + UUID.randomUUID() + ".log"))
                .environment("CIRRUS_SERVICE_CREDENTIAL", ServiceCredentials.value())
                .cirrusService(port)
                .arguments("--spring.datasource.url=" + database, "--spring.datasource.username=" + pg.username(),
                        "--spring.datasource.password=" + pg.password(),
                        "--cirrus.kafka.bootstrap-servers=" + TestInfrastructure.kafkaBootstrapServers(),
                        "--cirrus.placement.target=" + ENGINE.target(),
                        "--cirrus.vm.topology=file:" + Path.of("src/test/resources/inventory/test-topology.yaml")
                                .toAbsolutePath(),
                        "--cirrus.vm.timings.provisioning=1500ms", "--cirrus.vm.worker.threads=2",
                        "--cirrus.vm.worker.poll-interval=200ms", "--cirrus.vm.worker.lease=12s",
                        "--cirrus.placement.call-deadline=2s",
                        "--cirrus.vmss.poll-interval=200ms", "--cirrus.vm.quota.regional-vcpus=1000")
                .launch().awaitReady(Duration.ofSeconds(120));
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.kill();
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path
                        + (path.contains("?") ? "&" : "?") + "api-version=2024-07-01"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        return JSON.readTree(send("GET", path, null).body());
    }

    @Test
    void aScaleOutInterruptedByAKillCompletesAfterTheRestartWithNoInstanceLostOrDuplicated() throws Exception {
        service = start();
        String sub = UUID.randomUUID().toString();
        String set = ScaleSetTest.setPath(sub, "rg", "restarted");
        HttpResponse<String> created = send("PUT", set, ScaleSetTest.uniform("westeurope", 2, "\"overprovision\": false,"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).until(() -> "Succeeded".equals(
                get(set).path("properties").path("provisioningState").stringValue()));

        assertThat(send("PATCH", set, "{\"sku\": {\"capacity\": 10}}").statusCode()).isBetween(200, 202);
        // some of the new instances are placed, the scale-out is still running: kill -9
        await().atMost(Duration.ofSeconds(60)).until(() -> ENGINE.grpc().listAllocations(
                ListAllocationsRequest.newBuilder().setGroupId(set).build()).getAllocationsCount() >= 4);
        assertThat(get(set).path("properties").path("provisioningState").stringValue()).isEqualTo("Updating");
        service.kill();

        service = start();
        await().atMost(Duration.ofSeconds(120)).until(() -> "Succeeded".equals(
                get(set).path("properties").path("provisioningState").stringValue()));
        JsonNode instances = get(set + "/virtualMachines?$expand=instanceView").path("value");
        assertThat(instances).hasSize(10);
        Set<String> ids = new HashSet<>();
        Set<String> vmIds = new HashSet<>();
        for (JsonNode vm : instances) {
            ids.add(vm.path("instanceId").stringValue());
            vmIds.add(vm.path("properties").path("vmId").stringValue());
            assertThat(vm.path("properties").path("provisioningState").stringValue()).isEqualTo("Succeeded");
        }
        assertThat(ids).as("instance ids").hasSize(10);
        List<Allocation> allocations = ENGINE.grpc().listAllocations(
                ListAllocationsRequest.newBuilder().setGroupId(set.toLowerCase(Locale.ROOT)).build()).getAllocationsList();
        assertThat(allocations).as("one allocation per instance, none leaked").hasSize(10);
        assertThat(allocations.stream().map(Allocation::getVmId).toList()).containsExactlyInAnyOrderElementsOf(vmIds);
        assertThat(get(set).path("sku").path("capacity").asInt()).isEqualTo(10);
    }
}
