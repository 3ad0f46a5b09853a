package dev.cirrus.computecontainer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.cirrus.computecontainer.ClusterTestSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Benchmark (not in the suite): a pool of 100 nodes created, then upgraded with {@code maxSurge} 33%, against the
 * real compute-vm and placement engine, through compute-container directly. Figures: time to Succeeded of each,
 * placements made (nodes added), the fault-domain skew of the nodes after each. Run with
 * {@code mvn -B -pl compute-container verify -Dcirrus.test.groups=bench -Dtest=ClusterBenchmarkTest
 * -Dcirrus.test.vm-timing=0s} (simulated durations zero); writes {@code bench-results/managed-clusters.md}.
 */
@Tag("bench")
class ClusterBenchmarkTest extends ClusterTestSupport {

    static final int NODES = Integer.getInteger("bench.clusters.nodes", 100);

    @Test
    void aPoolOfAHundredNodesIsCreatedAndUpgradedWithASurgeOfAThird() throws IOException {
        String sub = newSubscription();
        String path = clusterPath(sub, "bench", "big");
        String body = clusterBody("1.29.10", """
                {"name": "system", "mode": "System", "count": %d, "vmSize": "Standard_B1s",
                 "upgradeSettings": {"maxSurge": "33%%"}}""".formatted(NODES)).replace("eastus", "westus2");

        long start = System.nanoTime();
        assertThat(awaitOperation(put(path, body)).path("status").asString()).isEqualTo("Succeeded");
        double createSeconds = (System.nanoTime() - start) / 1e9;
        int createdNodes = nodesAdded(path);
        int createSkew = skew(path);

        start = System.nanoTime();
        assertThat(awaitOperation(put(path, body.replace("1.29.10", "1.30.6"))).path("status").asString())
                .isEqualTo("Succeeded");
        double upgradeSeconds = (System.nanoTime() - start) / 1e9;
        int upgradeNodes = nodesAdded(path) - createdNodes;
        int upgradeSkew = skew(path);
        assertThat(machines(path, "system")).hasSize(NODES);

        String figures = String.format(Locale.ROOT, """
                # Managed clusters: a pool of %d nodes created and upgraded (%s)

                One System pool of %d Standard_B1s nodes in westus2 of the test inventory (3 racks of 2 hosts), then an
                upgrade 1.29.10 → 1.30.6 with maxSurge 33%%; compute-vm's simulated durations %s; through
                compute-container directly, the real compute-vm and placement engine in child JVMs, on a shared 2-core
                machine.

                | | time to Succeeded s | placements (nodes added) | fault-domain skew |
                |---|---|---|---|
                | create | %.1f | %d | %d |
                | upgrade (surge 33%%) | %.1f | %d | %d |

                Targets: each ≤ 20 s: %s; skew ≤ 1: %s.
                """, NODES, Instant.now(), NODES, System.getProperty("cirrus.test.vm-timing", "200ms"),
                createSeconds, createdNodes, createSkew, upgradeSeconds, upgradeNodes, upgradeSkew,
                createSeconds <= 20 && upgradeSeconds <= 20 ? "met" : "NOT met",
                createSkew <= 1 && upgradeSkew <= 1 ? "met" : "NOT met");
        Path out = Path.of("bench-results", "managed-clusters.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, figures);
        System.out.println(figures);
    }

    /** The NodeAdded events of the cluster's pools so far (the outbox keeps them for its retention). */
    private int nodesAdded(String path) {
        Long n = jdbc.queryForObject("select count(*) from outbox where event_type = ? and record_key like ?",
                Long.class, "Microsoft.ContainerService.NodeAdded", path.toLowerCase(Locale.ROOT) + "/agentpools/%");
        return n == null ? 0 : n.intValue();
    }

    private int skew(String path) {
        Map<Integer, Long> perDomain = machines(path, "system").stream()
                .map(n -> n.path("properties").path("platformFaultDomain"))
                .filter(JsonNode::isNumber).map(JsonNode::asInt)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        List<Long> counts = List.copyOf(perDomain.values());
        return counts.isEmpty() ? -1 : (int) (counts.stream().mapToLong(Long::longValue).max().orElse(0)
                - counts.stream().mapToLong(Long::longValue).min().orElse(0));
    }
}
