package dev.cirrus.computecontainer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;

import dev.cirrus.computecontainer.ClusterTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input on managed clusters and agent pools: Azure's status and code, and nothing changed — no cluster stored,
 * the existing cluster's ETag the same, no scale set in compute-vm.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterBadInputTest extends ClusterTestSupport {

    private final String sub = newSubscription();
    private final String existing = clusterPath(sub, "bad", "existing");
    private static final String SYSTEM = pool("system", "System", 1);
    private static final String BASE = clusterBody("1.29.10", SYSTEM);

    @BeforeAll
    void anExistingCluster() {
        assertThat(awaitOperation(put(existing, BASE.replace("demo-dns", "existing"))).path("status").asString())
                .isEqualTo("Succeeded");
    }

    /** A new cluster's body with one pool whose JSON is {@code poolJson}. */
    private static String withPool(String poolJson) {
        return clusterBody(null, poolJson);
    }

    private static String poolWith(String extra) {
        return "{\"name\": \"system\", \"mode\": \"System\", \"count\": 1, \"vmSize\": \"Standard_D2s_v5\", " + extra + "}";
    }

    Stream<Arguments> cases() {
        String e = BASE.replace("demo-dns", "existing");
        return Stream.of(
                // new clusters
                Arguments.of("a body that is not an object", "new", "[1]", 400, "InvalidRequestContent"),
                Arguments.of("no location", "new", BASE.replace("\"location\": \"eastus\", ", ""), 400, "LocationRequired"),
                Arguments.of("a region the platform lacks", "new", BASE.replace("eastus", "uksouth"), 400, "LocationNotAvailableForResourceType"),
                Arguments.of("an unknown tier", "new", BASE.replace("\"Standard\"", "\"Gold\""), 400, "InvalidParameter"),
                Arguments.of("the Automatic SKU", "new", BASE.replace("\"Base\"", "\"Automatic\""), 400, "InvalidParameter"),
                Arguments.of("no properties", "new", "{\"location\": \"eastus\"}", 400, "InvalidParameter"),
                Arguments.of("an unknown version", "new", BASE.replace("1.29.10", "1.27.3"), 400, "K8sVersionNotSupported"),
                Arguments.of("a version that is not one", "new", BASE.replace("1.29.10", "latest"), 400, "K8sVersionNotSupported"),
                Arguments.of("no dnsPrefix", "new", BASE.replace("\"dnsPrefix\": \"demo-dns\", ", ""), 400, "InvalidParameter"),
                Arguments.of("a dnsPrefix with forbidden characters", "new", BASE.replace("demo-dns", "demo_dns!"), 400, "InvalidDnsPrefix"),
                Arguments.of("a dnsPrefix ending in a dash", "new", BASE.replace("demo-dns", "demo-"), 400, "InvalidDnsPrefix"),
                Arguments.of("a dnsPrefix of 55 characters", "new", BASE.replace("demo-dns", "d".repeat(55)), 400, "InvalidDnsPrefix"),
                Arguments.of("no agent pools", "new", clusterBody(null), 400, "InvalidParameter"),
                Arguments.of("no System pool", "new", clusterBody(null, pool("user", "User", 1)), 400, "MustDefineAtLeastOneSystemPool"),
                Arguments.of("a pool name of 13 characters", "new", withPool(pool("abcdefghijklm", "System", 1)), 400, "InvalidParameter"),
                Arguments.of("a pool name with capitals", "new", withPool(pool("System1", "System", 1)), 400, "InvalidParameter"),
                Arguments.of("a pool name starting with a digit", "new", withPool(pool("1pool", "System", 1)), 400, "InvalidParameter"),
                Arguments.of("two pools of one name", "new", clusterBody(null, SYSTEM, SYSTEM), 400, "InvalidParameter"),
                Arguments.of("a negative count", "new", withPool(pool("system", "System", -1)), 400, "InvalidParameter"),
                Arguments.of("a count above 1000", "new", withPool(pool("system", "System", 1001)), 400, "InvalidParameter"),
                Arguments.of("a System pool of no node", "new", withPool(pool("system", "System", 0)), 400, "InvalidParameter"),
                Arguments.of("an unknown mode", "new", withPool(pool("system", "Primary", 1)), 400, "InvalidParameter"),
                Arguments.of("a Windows pool", "new", withPool(poolWith("\"osType\": \"Windows\"")), 400, "InvalidParameter"),
                Arguments.of("an AvailabilitySet pool", "new", withPool(poolWith("\"type\": \"AvailabilitySet\"")), 400, "InvalidParameter"),
                Arguments.of("a VM size that is not one", "new", withPool(poolWith("\"vmSize\": \"huge\"").replace("\"vmSize\": \"Standard_D2s_v5\", ", "")), 400, "InvalidParameter"),
                Arguments.of("maxPods below 10", "new", withPool(poolWith("\"maxPods\": 5")), 400, "InvalidParameter"),
                Arguments.of("maxPods above 250", "new", withPool(poolWith("\"maxPods\": 251")), 400, "InvalidParameter"),
                Arguments.of("a taint without effect", "new", withPool(poolWith("\"nodeTaints\": [\"gpu=true\"]")), 400, "InvalidParameter"),
                Arguments.of("a taint with an unknown effect", "new", withPool(poolWith("\"nodeTaints\": [\"gpu=true:Never\"]")), 400, "InvalidParameter"),
                Arguments.of("a label in the reserved namespace", "new", withPool(poolWith("\"nodeLabels\": {\"kubernetes.azure.com/mode\": \"x\"}")), 400, "InvalidParameter"),
                Arguments.of("a label value with spaces", "new", withPool(poolWith("\"nodeLabels\": {\"team\": \"a b\"}")), 400, "InvalidParameter"),
                Arguments.of("autoscaling without bounds", "new", withPool(poolWith("\"enableAutoScaling\": true")), 400, "InvalidParameter"),
                Arguments.of("minCount above maxCount", "new", withPool(poolWith("\"enableAutoScaling\": true, \"minCount\": 3, \"maxCount\": 2")), 400, "InvalidParameter"),
                Arguments.of("a count outside min and max", "new", withPool(poolWith("\"enableAutoScaling\": true, \"minCount\": 2, \"maxCount\": 4").replace("\"count\": 1", "\"count\": 5")), 400, "InvalidParameter"),
                Arguments.of("bounds without autoscaling", "new", withPool(poolWith("\"minCount\": 1, \"maxCount\": 3")), 400, "InvalidParameter"),
                Arguments.of("a maxSurge that is no number", "new", withPool(poolWith("\"upgradeSettings\": {\"maxSurge\": \"many\"}")), 400, "InvalidParameter"),
                Arguments.of("a maxSurge of 0", "new", withPool(poolWith("\"upgradeSettings\": {\"maxSurge\": \"0\"}")), 400, "InvalidParameter"),
                Arguments.of("a maxSurge above 100%", "new", withPool(poolWith("\"upgradeSettings\": {\"maxSurge\": \"150%\"}")), 400, "InvalidParameter"),
                Arguments.of("a pool newer than the control plane", "new", clusterBody("1.29.10", poolWith("\"orchestratorVersion\": \"1.30.6\"")), 400, "NodePoolMcVersionIncompatible"),
                Arguments.of("a pool version not supported", "new", withPool(poolWith("\"orchestratorVersion\": \"1.28.1\"")), 400, "AgentPoolK8sVersionNotSupported"),
                Arguments.of("an unknown auto-upgrade channel", "new", BASE.replace("\"agentPoolProfiles\"", "\"autoUpgradeProfile\": {\"upgradeChannel\": \"nightly\"}, \"agentPoolProfiles\""), 400, "InvalidParameter"),
                Arguments.of("an unknown node OS upgrade channel", "new", BASE.replace("\"agentPoolProfiles\"", "\"autoUpgradeProfile\": {\"nodeOSUpgradeChannel\": \"Weekly\"}, \"agentPoolProfiles\""), 400, "InvalidParameter"),
                Arguments.of("an unknown network plugin", "new", BASE.replace("\"agentPoolProfiles\"", "\"networkProfile\": {\"networkPlugin\": \"calico\"}, \"agentPoolProfiles\""), 400, "InvalidParameter"),
                Arguments.of("a pod CIDR that is not one", "new", BASE.replace("\"agentPoolProfiles\"", "\"networkProfile\": {\"podCidr\": \"10.244.0.0/33\"}, \"agentPoolProfiles\""), 400, "InvalidParameter"),
                Arguments.of("a node resource group of the cluster's own group", "new", BASE.replace("\"agentPoolProfiles\"", "\"nodeResourceGroup\": \"bad\", \"agentPoolProfiles\""), 400, "InvalidParameter"),
                Arguments.of("a tag name with '<'", "new", BASE.replace("\"env\": \"test\"", "\"a<b\": \"x\""), 400, "InvalidTagNameCharacters"),
                // the existing cluster
                Arguments.of("a downgrade", "existing", e.replace("1.29.10", "1.29.9"), 400, "OperationNotAllowed"),
                Arguments.of("skipping a minor version", "existing", e.replace("1.29.10", "1.31.2"), 400, "OperationNotAllowed"),
                Arguments.of("another dnsPrefix", "existing", BASE, 400, "PropertyChangeNotAllowed"),
                Arguments.of("another location", "existing", e.replace("eastus", "westeurope"), 409, "InvalidResourceLocation"),
                Arguments.of("another VM size of a pool", "existing", e.replace("Standard_D2s_v5", "Standard_B2s"), 400, "PropertyChangeNotAllowed"),
                Arguments.of("removing the last System pool", "existing", clusterBody("1.29.10", pool("user", "User", 1)).replace("demo-dns", "existing"), 400, "MustDefineAtLeastOneSystemPool"),
                Arguments.of("an If-Match that does not match", "existing-if-match", e.replace("\"env\": \"test\"", "\"env\": \"other\""), 412, "PreconditionFailed"),
                Arguments.of("a pool PUT with a count outside its bounds", "pool:work", "{\"properties\": {\"mode\": \"User\", \"count\": 9, \"enableAutoScaling\": true, \"minCount\": 1, \"maxCount\": 3}}", 400, "InvalidParameter"),
                Arguments.of("a pool PUT with a malformed maxSurge", "pool:work", "{\"properties\": {\"mode\": \"User\", \"count\": 1, \"upgradeSettings\": {\"maxSurge\": \"-1\"}}}", 400, "InvalidParameter"),
                Arguments.of("a pool PUT with a malformed taint", "pool:work", "{\"properties\": {\"mode\": \"User\", \"count\": 1, \"nodeTaints\": [\"=x:NoSchedule\"]}}", 400, "InvalidParameter"),
                Arguments.of("a pool PUT with a long name", "pool:workers123456", "{\"properties\": {\"mode\": \"User\", \"count\": 1}}", 400, "InvalidParameter"),
                Arguments.of("a pool PUT turning the last System pool into User", "pool:system", "{\"properties\": {\"mode\": \"User\", \"count\": 1}}", 400, "MustDefineAtLeastOneSystemPool"),
                Arguments.of("deleting the last System pool", "delete-pool:system", null, 400, "MustDefineAtLeastOneSystemPool"),
                Arguments.of("a pool of a cluster that does not exist", "missing-pool", "{\"properties\": {\"mode\": \"User\", \"count\": 1}}", 404, "ResourceNotFound"),
                Arguments.of("an operation id that is not one", "operation", null, 404, "OperationNotFound"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsRefusedWithAzuresErrorAndChangesNothing(String description, String where, String body, int status,
                                                            String code) {
        String etagBefore = get(existing).headers().firstValue("ETag").orElseThrow();
        String newCluster = clusterPath(sub, "bad", "new1");
        HttpResponse<String> r = switch (where) {
            case "new" -> put(newCluster, body);
            case "existing" -> put(existing, body);
            case "existing-if-match" -> put(existing, body, "If-Match", "\"not-the-etag\"");
            case "delete-pool:system" -> delete(existing + "/agentPools/system");
            case "missing-pool" -> put(clusterPath(sub, "bad", "nosuch") + "/agentPools/work", body);
            case "operation" -> get("/subscriptions/" + sub
                    + "/providers/Microsoft.ContainerService/locations/eastus/operations/not-a-guid");
            default -> put(existing + "/agentPools/" + where.substring("pool:".length()), body);
        };
        assertThat(r.statusCode()).as(description + ": " + r.body()).isEqualTo(status);
        assertThat(json(r).path("error").path("code").asString()).as(r.body()).isEqualTo(code);
        assertThat(json(r).path("error").path("message").asString()).isNotBlank();
        // nothing changed: no new cluster, no scale set for it, the existing cluster as it was
        assertThat(get(newCluster).statusCode()).isEqualTo(404);
        assertThat(json(computeVm(scaleSetsPath(sub, "MC_bad_new1_eastus"))).path("value")).isEmpty();
        HttpResponse<String> after = get(existing);
        assertThat(after.headers().firstValue("ETag").orElseThrow()).isEqualTo(etagBefore);
        assertThat(json(after).path("properties").path("provisioningState").asString()).isEqualTo("Succeeded");
        assertThat(json(after).path("properties").path("agentPoolProfiles").valueStream()
                .map(p -> p.path("name").asString()).toList()).isEqualTo(List.of("system"));
    }
}
