package dev.cirrus.computecontainer.cluster;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.PlacementData;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.plumbing.events.InboxConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Where the placement engine puts the nodes' VMs, from its {@code cirrus.placement} events (inbox
 * {@code compute-container-clusters}, {@code cirrus.compute-container.placement-consumer}: each applied once): a
 * VM's host, rack and domains are kept ({@code vm_placements}) from {@code HostAllocated}, {@code VmServiceHealed},
 * {@code VmMigrated}, until {@code HostReleased}. Auto-repair: when the engine moves a node's VM off a failed
 * ({@code VmServiceHealed}) or drained ({@code VmMigrated}) host, the platform has already restarted it on a healthy
 * host; the node is recorded there and {@code NodeRepaired} says so on {@code cirrus.compute.container}. A VM the
 * engine strands ({@code VmStranded}: no healthy host may take it, e.g. its scale set's fault-domain balance forbids
 * it) is marked so, and the {@link ClusterWorker} replaces its node.
 */
@Component
class NodePlacements implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NodePlacements.class);

    private final ClusterRepository clusters;
    private final ClusterEvents events;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;
    private final String bootstrap;
    private final String consumerName;
    private volatile InboxConsumer consumer;

    NodePlacements(ClusterRepository clusters, ClusterEvents events, JdbcTemplate jdbc, TransactionTemplate tx,
                   ObjectMapper json, Clock clock, @Value("${cirrus.kafka.bootstrap-servers:}") String bootstrap,
                   @Value("${cirrus.compute-container.placement-consumer:compute-container-clusters}") String consumerName) {
        this.clusters = clusters;
        this.events = events;
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.bootstrap = bootstrap;
        this.consumerName = consumerName;
    }

    void apply(CloudEvent event) {
        if (event.data() == null || event.type() == null || !event.type().startsWith("Cirrus.Placement.")) {
            return;
        }
        PlacementData data = json.treeToValue(event.data(), PlacementData.class);
        UUID vmId;
        try {
            vmId = UUID.fromString(data.vmId());
        } catch (RuntimeException notAVm) {
            return;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (EventTypes.HOST_RELEASED.equals(event.type())) {
            clusters.released(vmId);
            return;
        }
        if (data.host() == null) {
            return;
        }
        clusters.placed(vmId, data.host(), data.rack(), data.faultDomain(), data.updateDomain(),
                EventTypes.VM_STRANDED.equals(event.type()), now);
        boolean healed = EventTypes.VM_SERVICE_HEALED.equals(event.type());
        if (healed || EventTypes.VM_MIGRATED.equals(event.type())) {
            clusters.nodeOfVm(vmId).ifPresent(node -> clusters.find(node[0]).ifPresent(c -> {
                ClusterNode n = clusters.nodes(c.key()).stream()
                        .filter(x -> x.pool().equals(node[1]) && x.instanceId().equals(node[2])).findFirst()
                        .orElse(null);
                if (n != null) {
                    log.info("node {} of cluster {} repaired: its VM now runs on {} (rack {})", n.name(),
                            c.resourceId(), data.host(), data.rack());
                    events.node(EventTypes.CLUSTER_NODE_REPAIRED, c, n, healed ? "HostFailed" : "HostDrained", now);
                }
            }));
        }
    }

    @Override
    public void start() {
        if (bootstrap == null || bootstrap.isBlank()) {
            return;
        }
        consumer = new InboxConsumer(consumerName, List.of(Topics.PLACEMENT), bootstrap, jdbc, tx, json, this::apply);
        consumer.start();
    }

    @Override
    public void stop() {
        InboxConsumer c = consumer;
        if (c != null) {
            c.close();
            consumer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return consumer != null;
    }
}
