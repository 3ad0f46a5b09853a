package dev.cirrus.computecontainer.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import dev.cirrus.computecontainer.ClusterTestSupport;
import dev.cirrus.computecontainer.TopicReader;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Managed clusters against the real compute-vm, placement engine, PostgreSQL and Kafka. */
class ManagedClusterTest extends ClusterTestSupport {

    @Test
    void aClusterIsCreatedWithEachPoolAScaleSetOfComputeVmInTheNodeResourceGroup() {
        String sub = newSubscription();
        String path = clusterPath(sub, "demo", "aks1");
        HttpResponse<String> created = put(path, clusterBody(null, pool("system", "System", 2),
                pool("user", "User", 1)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = json(created);
        assertThat(body.path("properties").path("provisioningState").asString()).isEqualTo("Creating");
        assertThat(created.headers().firstValue("ETag")).isPresent();

        assertThat(awaitOperation(created).path("status").asString()).isEqualTo("Succeeded");
        JsonNode props = json(get(path)).path("properties");
        assertThat(props.path("provisioningState").asString()).isEqualTo("Succeeded");
        assertThat(props.path("kubernetesVersion").asString()).isEqualTo("1.30.6");
        assertThat(props.path("currentKubernetesVersion").asString()).isEqualTo("1.30.6");
        assertThat(props.path("fqdn").asString()).matches("demo-dns-[0-9a-f]{8}\\.hcp\\.eastus\\.azmk8s\\.localhost");
        assertThat(props.path("nodeResourceGroup").asString()).isEqualTo("MC_demo_aks1_eastus");
        assertThat(props.path("powerState").path("code").asString()).isEqualTo("Running");
        assertThat(props.path("kubernetesApi").path("served").asBoolean()).isFalse();
        assertThat(props.path("autoUpgradeProfile").path("upgradeChannel").asString()).as("Azure's default")
                .isEqualTo("none");
        assertThat(props.path("autoUpgradeProfile").path("nodeOSUpgradeChannel").asString()).isEqualTo("NodeImage");
        assertThat(props.path("agentPoolProfiles").valueStream().map(p -> p.path("provisioningState").asString()))
                .containsOnly("Succeeded");

        // the pools are scale sets of compute-vm in the node resource group, their instances the nodes
        JsonNode sets = json(computeVm(scaleSetsPath(sub, "MC_demo_aks1_eastus")));
        assertThat(sets.path("value").valueStream().map(s -> s.path("sku").path("capacity").asInt()).toList())
                .containsExactlyInAnyOrder(2, 1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<JsonNode> nodes = machines(path, "system");
            assertThat(nodes).hasSize(2);
            assertThat(nodes).allSatisfy(n -> {
                assertThat(n.path("name").asString()).matches("aks-system-\\d{8}-vmss[0-9a-z]{6}");
                assertThat(n.path("properties").path("host").isString()).isTrue();
            });
            // spread: two nodes on two racks
            assertThat(nodes.stream().map(n -> n.path("properties").path("rack").asString())
                    .collect(Collectors.toSet())).hasSize(2);
        });

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<TopicReader.Event> events = events(path);
            assertThat(events).extracting(TopicReader.Event::type).contains(
                    "Microsoft.ContainerService.ManagedClusterWritten");
            assertThat(events.getLast().data().path("tier").asString()).isEqualTo("Standard");
            assertThat(events.getLast().data().path("provisioningState").asString()).isEqualTo("Succeeded");
        });
    }

    @Test
    void scalingAPoolDownCordonsAndDrainsEachRemovedNodeBeforeItsInstanceIsDeleted() {
        String sub = newSubscription();
        String path = clusterPath(sub, "scale", "aks2");
        assertThat(awaitOperation(put(path, clusterBody(null, pool("system", "System", 1),
                pool("work", "User", 3)))).path("status").asString()).isEqualTo("Succeeded");
        List<String> before = machines(path, "work").stream().map(n -> n.path("name").asString()).toList();
        assertThat(before).hasSize(3);

        HttpResponse<String> scaled = put(path + "/agentPools/work",
                "{\"properties\": {\"count\": 1, \"mode\": \"User\", \"vmSize\": \"Standard_D2s_v5\"}}");
        assertThat(scaled.statusCode()).as(scaled.body()).isEqualTo(200);
        assertThat(json(scaled).path("properties").path("provisioningState").asString()).isEqualTo("Scaling");
        assertThat(awaitOperation(scaled).path("status").asString()).isEqualTo("Succeeded");

        List<String> after = machines(path, "work").stream().map(n -> n.path("name").asString()).toList();
        assertThat(after).hasSize(1);
        assertThat(json(computeVm(scaleSetsPath(sub, "MC_scale_aks2_eastus"))).path("value").valueStream()
                .mapToInt(s -> s.path("sku").path("capacity").asInt()).sum()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (String removed : before.stream().filter(n -> !after.contains(n)).toList()) {
                List<String> types = events(path + "/agentPools/work/nodes/" + removed).stream()
                        .map(TopicReader.Event::type).toList();
                assertThat(types).containsSubsequence("Microsoft.ContainerService.NodeCordoned",
                        "Microsoft.ContainerService.NodeDrained", "Microsoft.ContainerService.NodeRemoved");
            }
        });
    }

    @Test
    void theAutoUpgradeChannelsAreKeptAndChangedWithoutAnOperation() {
        String sub = newSubscription();
        String path = clusterPath(sub, "channel", "aks9");
        String body = clusterBody(null, pool("system", "System", 1));
        assertThat(awaitOperation(put(path, body)).path("status").asString()).isEqualTo("Succeeded");
        HttpResponse<String> changed = put(path, body.replace("\"agentPoolProfiles\"", "\"autoUpgradeProfile\": "
                + "{\"upgradeChannel\": \"stable\", \"nodeOSUpgradeChannel\": \"SecurityPatch\"}, \"agentPoolProfiles\""));
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(changed.headers().firstValue("Azure-AsyncOperation")).as("no operation").isEmpty();
        JsonNode props = json(get(path)).path("properties");
        assertThat(props.path("autoUpgradeProfile").path("upgradeChannel").asString()).isEqualTo("stable");
        assertThat(props.path("autoUpgradeProfile").path("nodeOSUpgradeChannel").asString()).isEqualTo("SecurityPatch");
        assertThat(props.path("provisioningState").asString()).isEqualTo("Succeeded");
    }

    @Test
    void anUpgradeReplacesEveryNodeInSurgeBatchesAndAMinorVersionCannotBeSkipped() {
        String sub = newSubscription();
        String path = clusterPath(sub, "upgrade", "aks3");
        String body = clusterBody("1.29.10", """
                {"name": "system", "mode": "System", "count": 3, "vmSize": "Standard_D2s_v5",
                 "upgradeSettings": {"maxSurge": "34%"}}""");
        assertThat(awaitOperation(put(path, body)).path("status").asString()).isEqualTo("Succeeded");
        List<String> before = machines(path, "system").stream().map(n -> n.path("name").asString()).toList();

        HttpResponse<String> skipping = put(path, body.replace("1.29.10", "1.31.2"));
        assertThat(skipping.statusCode()).isEqualTo(400);
        assertThat(json(skipping).path("error").path("code").asString()).isEqualTo("OperationNotAllowed");
        assertThat(json(get(path)).path("properties").path("kubernetesVersion").asString()).isEqualTo("1.29.10");

        HttpResponse<String> upgrading = put(path, body.replace("1.29.10", "1.30"));
        assertThat(upgrading.statusCode()).as(upgrading.body()).isEqualTo(200);
        assertThat(json(upgrading).path("properties").path("provisioningState").asString()).isEqualTo("Upgrading");
        assertThat(awaitOperation(upgrading).path("status").asString()).isEqualTo("Succeeded");

        JsonNode props = json(get(path)).path("properties");
        assertThat(props.path("currentKubernetesVersion").asString()).isEqualTo("1.30.6");
        assertThat(props.path("agentPoolProfiles").get(0).path("orchestratorVersion").asString()).isEqualTo("1.30.6");
        List<JsonNode> nodes = machines(path, "system");
        assertThat(nodes).hasSize(3).allSatisfy(n ->
                assertThat(n.path("properties").path("orchestratorVersion").asString()).isEqualTo("1.30.6"));
        assertThat(nodes.stream().map(n -> n.path("name").asString())).doesNotContainAnyElementsOf(before);
        // each old node was cordoned and drained before it went
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (String old : before) {
                assertThat(events(path + "/agentPools/system/nodes/" + old).stream()
                        .map(TopicReader.Event::type).toList()).containsSubsequence(
                        "Microsoft.ContainerService.NodeCordoned", "Microsoft.ContainerService.NodeDrained",
                        "Microsoft.ContainerService.NodeRemoved");
            }
        });
    }

    @Test
    void stopDeallocatesEveryNodeAndStartRunsThemAgain() {
        String sub = newSubscription();
        String path = clusterPath(sub, "power", "aks4");
        assertThat(awaitOperation(put(path, clusterBody(null, pool("system", "System", 2))))
                .path("status").asString()).isEqualTo("Succeeded");

        HttpResponse<String> stop = post(path + "/stop");
        assertThat(stop.statusCode()).isEqualTo(202);
        assertThat(awaitOperation(stop).path("status").asString()).isEqualTo("Succeeded");
        assertThat(json(get(path)).path("properties").path("powerState").path("code").asString())
                .isEqualTo("Stopped");
        String set = json(computeVm(scaleSetsPath(sub, "MC_power_aks4_eastus"))).path("value").get(0)
                .path("name").asString();
        assertThat(powerStates(sub, "MC_power_aks4_eastus", set)).containsOnly("PowerState/deallocated");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events(path).getLast().data()
                .path("powerState").asString()).isEqualTo("Stopped"));

        HttpResponse<String> start = post(path + "/start");
        assertThat(awaitOperation(start).path("status").asString()).isEqualTo("Succeeded");
        assertThat(powerStates(sub, "MC_power_aks4_eastus", set)).containsOnly("PowerState/running");
        assertThat(json(get(path)).path("properties").path("powerState").path("code").asString())
                .isEqualTo("Running");
    }

    @Test
    void aDeletionRemovesTheScaleSetsThenTheCluster() {
        String sub = newSubscription();
        String path = clusterPath(sub, "gone", "aks5");
        assertThat(awaitOperation(put(path, clusterBody(null, pool("system", "System", 1), pool("user", "User", 1))))
                .path("status").asString()).isEqualTo("Succeeded");
        HttpResponse<String> deleting = delete(path);
        assertThat(deleting.statusCode()).isEqualTo(202);
        assertThat(deleting.headers().firstValue("Location")).isPresent();
        assertThat(awaitOperation(deleting).path("status").asString()).isEqualTo("Succeeded");
        assertThat(get(path).statusCode()).isEqualTo(404);
        assertThat(json(computeVm(scaleSetsPath(sub, "MC_gone_aks5_eastus"))).path("value")).isEmpty();
        assertThat(delete(path).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events(path))
                .extracting(TopicReader.Event::type).contains("Microsoft.ContainerService.ManagedClusterDeleted"));
    }

    @Test
    void credentialsAreRefusedWithTheReasonAndTheUpgradeProfileAndVersionsFollowAzuresRules() {
        String sub = newSubscription();
        String path = clusterPath(sub, "creds", "aks6");
        assertThat(awaitOperation(put(path, clusterBody("1.29.9", pool("system", "System", 1))))
                .path("status").asString()).isEqualTo("Succeeded");
        HttpResponse<String> creds = post(path + "/listClusterUserCredential");
        assertThat(creds.statusCode()).isEqualTo(409);
        assertThat(json(creds).path("error").path("code").asString()).isEqualTo("KubernetesApiNotServed");
        assertThat(json(creds).path("error").path("message").asString()).contains("no Kubernetes API");
        assertThat(post(path + "/listClusterAdminCredential").statusCode()).isEqualTo(409);

        JsonNode profile = json(get(path + "/upgradeProfiles/default")).path("properties");
        assertThat(profile.path("controlPlaneProfile").path("kubernetesVersion").asString()).isEqualTo("1.29.9");
        assertThat(profile.path("controlPlaneProfile").path("upgrades").valueStream()
                .map(u -> u.path("kubernetesVersion").asString()).toList())
                .containsExactly("1.29.10", "1.30.5", "1.30.6");

        JsonNode versions = json(get("/subscriptions/" + sub
                + "/providers/Microsoft.ContainerService/locations/eastus/kubernetesVersions"));
        assertThat(versions.path("values").valueStream().map(v -> v.path("version").asString()).toList())
                .containsExactly("1.31", "1.30", "1.29");
        assertThat(versions.path("values").get(1).path("isDefault").asBoolean()).isTrue();
    }

    private List<String> powerStates(String sub, String nodeRg, String set) {
        return json(computeVm(scaleSetsPath(sub, nodeRg) + "/" + set + "/virtualMachines?$expand=instanceView"))
                .path("value").valueStream().flatMap(i -> i.path("properties").path("instanceView").path("statuses")
                        .valueStream()).map(s -> s.path("code").asString()).filter(c -> c.startsWith("PowerState/"))
                .toList();
    }
}
