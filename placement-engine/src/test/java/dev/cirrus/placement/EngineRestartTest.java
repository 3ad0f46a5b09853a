package dev.cirrus.placement;

import static dev.cirrus.placement.GrpcAssertions.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.contracts.placement.v1.Allocation;
import dev.cirrus.testkit.TestInfrastructure;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One database, several engine lives: what one engine placed, the next one sees. */
class EngineRestartTest {

    static final String TWO_HOSTS = "classpath:inventory/two-hosts.yaml";

    final TestInfrastructure.PostgresEndpoint postgres = TestInfrastructure.postgres();
    final String database = postgres.newDatabase("placement_restart");

    RunningEngine engine(String inventory) {
        return RunningEngine.start(database, postgres.username(), postgres.password(), inventory);
    }

    @Test
    void aRestartedEngineSeesTheSameAllocations() throws Exception {
        TestVm big = TestVm.in("koreacentral").size(8, 8192);
        Allocation before;
        try (RunningEngine engine = engine(TWO_HOSTS)) {
            before = engine.placement().place(big.place()).getAllocation();
            assertThat(before.getHost()).isEqualTo("kc-c1-r1-h01");
        }

        try (RunningEngine engine = engine(TWO_HOSTS)) {
            assertThat(engine.placement().getAllocation(big.get())).isEqualTo(before);
            assertThat(engine.placement().place(big.place()).getAllocation()).as("placed again").isEqualTo(before);
            // the first host is full: the next VM of the same size goes to the second
            assertThat(engine.placement().place(TestVm.in("koreacentral").size(8, 8192).place()).getAllocation()
                    .getHost()).isEqualTo("kc-c1-r2-h01");
            JsonNode first = host(engine, "kc-c1-r1-h01");
            assertThat(first.get("usedVcpus").asInt()).isEqualTo(8);
            assertThat(first.get("allocations").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aHostNoLongerInTheInventoryIsRetiredKeepsItsVmsAndTakesNoNewOnes() throws Exception {
        TestVm onFirstHost = TestVm.in("koreacentral").size(8, 8192);
        try (RunningEngine engine = engine(TWO_HOSTS)) {
            assertThat(engine.placement().place(onFirstHost.place()).getAllocation().getHost())
                    .isEqualTo("kc-c1-r1-h01");
        }

        // kc-c1-r1-h01 is gone from this file; kc-c1-r1-h02 is new
        try (RunningEngine engine = engine("classpath:inventory/second-host-only.yaml")) {
            assertThat(engine.placement().getAllocation(onFirstHost.get()).getHost()).isEqualTo("kc-c1-r1-h01");
            JsonNode retired = host(engine, "kc-c1-r1-h01");
            assertThat(retired.get("state").asString()).isEqualTo("Retired");
            assertThat(retired.get("allocations").asInt()).isEqualTo(1);

            assertThat(engine.placement().place(TestVm.in("koreacentral").size(1, 1024).place()).getAllocation()
                    .getHost()).isEqualTo("kc-c1-r1-h02");
            assertThat(engine.placement().place(TestVm.in("koreacentral").size(8, 1024).place()).getAllocation()
                    .getHost()).isEqualTo("kc-c1-r2-h01");
            Status full = statusOf(() -> engine.placement().place(TestVm.in("koreacentral").size(8, 1024).place()));
            assertThat(full.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(full.getDescription()).as("the retired host is not one of the region's hosts any more")
                    .isEqualTo("0/2 hosts in koreacentral are available: 2 insufficient vCPU");
        }

        // listed again: back in service, its VM still there
        try (RunningEngine engine = engine(TWO_HOSTS)) {
            JsonNode back = host(engine, "kc-c1-r1-h01");
            assertThat(back.get("state").asString()).isEqualTo("InService");
            assertThat(back.get("allocations").asInt()).isEqualTo(1);
        }
    }

    private static JsonNode host(RunningEngine engine, String name) throws Exception {
        JsonNode hosts = JsonMapper.shared().readTree(engine.get("/inventory/hosts?region=koreacentral").body())
                .get("value");
        for (JsonNode host : hosts) {
            if (host.get("name").asString().equals(name)) {
                return host;
            }
        }
        throw new AssertionError("no host " + name + " in " + hosts);
    }
}
