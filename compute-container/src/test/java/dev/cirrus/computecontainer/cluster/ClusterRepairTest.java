package dev.cirrus.computecontainer.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import dev.cirrus.computecontainer.ClusterTestSupport;
import dev.cirrus.computecontainer.TopicReader;
import dev.cirrus.contracts.placement.v1.HostSelector;
import dev.cirrus.contracts.placement.v1.RackRef;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Rack failures under managed clusters, with the real placement engine failing the rack: a node whose VM the engine
 * strands there (its scale set's fault-domain balance keeps it from moving) is replaced by auto-repair on a healthy
 * host, and an upgrade under way still ends with the wanted nodes, none on the failed rack.
 */
class ClusterRepairTest extends ClusterTestSupport {

    @Test
    void aRackFailureDuringAnUpgradeLeavesTheClusterSucceededWithTheWantedCountAndNoNodeOnTheFailedRack() {
        String sub = newSubscription();
        String path = clusterPath(sub, "rack", "upgrading");
        String body = clusterBody("1.29.10", """
                {"name": "system", "mode": "System", "count": 3, "vmSize": "Standard_D2s_v5",
                 "upgradeSettings": {"maxSurge": "1"}}""");
        assertThat(awaitOperation(put(path, body)).path("status").asString()).isEqualTo("Succeeded");
        await().atMost(Duration.ofSeconds(30)).until(() -> machines(path, "system").stream()
                .allMatch(n -> n.path("properties").path("rack").isString()));

        HttpResponse<String> upgrading = put(path, body.replace("1.29.10", "1.30.6"));
        assertThat(upgrading.statusCode()).as(upgrading.body()).isEqualTo(200);
        // once the first surge node has come, fail the rack of a node still on the old version
        await().atMost(Duration.ofSeconds(60)).until(() -> machines(path, "system").stream()
                .anyMatch(n -> n.path("properties").path("orchestratorVersion").asString().equals("1.30.6")));
        String failedRack = machines(path, "system").stream()
                .filter(n -> n.path("properties").path("orchestratorVersion").asString().equals("1.29.10"))
                .map(n -> n.path("properties").path("rack").asString()).findFirst().orElseThrow();
        HostSelector rack = HostSelector.newBuilder()
                .setRack(RackRef.newBuilder().setCluster("eus-c1").setRack(failedRack)).build();
        ENGINE.grpc().failHosts(rack);
        try {
            assertThat(awaitOperation(upgrading).path("status").asString()).isEqualTo("Succeeded");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                List<JsonNode> nodes = machines(path, "system");
                assertThat(nodes).hasSize(3);
                assertThat(nodes).allSatisfy(n -> {
                    assertThat(n.path("properties").path("orchestratorVersion").asString()).isEqualTo("1.30.6");
                    assertThat(n.path("properties").path("rack").asString()).isNotEqualTo(failedRack);
                });
            });
            JsonNode props = json(get(path)).path("properties");
            assertThat(props.path("provisioningState").asString()).isEqualTo("Succeeded");
            assertThat(props.path("currentKubernetesVersion").asString()).isEqualTo("1.30.6");
        } finally {
            ENGINE.grpc().recoverHosts(rack);
        }
    }

    @Test
    void aNodeWhoseRackFailsIsReplacedByANodeOnAHealthyHostAndTheEventStreamShowsIt() {
        String sub = newSubscription();
        String path = clusterPath(sub, "rack", "repaired");
        assertThat(awaitOperation(put(path, clusterBody(null, pool("system", "System", 3))))
                .path("status").asString()).isEqualTo("Succeeded");
        await().atMost(Duration.ofSeconds(30)).until(() -> machines(path, "system").stream()
                .allMatch(n -> n.path("properties").path("rack").isString()));
        JsonNode victim = machines(path, "system").getFirst();
        String failedRack = victim.path("properties").path("rack").asString();
        String node = victim.path("name").asString();
        HostSelector rack = HostSelector.newBuilder()
                .setRack(RackRef.newBuilder().setCluster("eus-c1").setRack(failedRack)).build();
        ENGINE.grpc().failHosts(rack);
        try {
            // the node on the failed rack is repaired: cordoned, drained, replaced by a node on a healthy host
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                List<String> types = events(path + "/agentPools/system/nodes/" + node).stream()
                        .map(TopicReader.Event::type).toList();
                assertThat(types).containsSubsequence("Microsoft.ContainerService.NodeRepaired",
                        "Microsoft.ContainerService.NodeCordoned", "Microsoft.ContainerService.NodeDrained",
                        "Microsoft.ContainerService.NodeRemoved");
                List<JsonNode> nodes = machines(path, "system");
                assertThat(nodes).hasSize(3).allSatisfy(n -> {
                    assertThat(n.path("name").asString()).isNotEqualTo(node);
                    assertThat(n.path("properties").path("rack").asString()).isNotEqualTo(failedRack);
                });
            });
            assertThat(json(get(path)).path("properties").path("provisioningState").asString())
                    .isEqualTo("Succeeded");
        } finally {
            ENGINE.grpc().recoverHosts(rack);
        }
    }
}
