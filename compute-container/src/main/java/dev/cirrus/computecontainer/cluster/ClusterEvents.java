package dev.cirrus.computecontainer.cluster;

import java.time.Instant;
import java.util.List;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.ClusterNodeData;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.plumbing.events.Outbox;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/** Writes the clusters' and nodes' events to the outbox (topic {@code cirrus.compute.container}), in the caller's transaction. */
@Component
class ClusterEvents {

    private final Outbox outbox;
    private final ObjectMapper json;

    ClusterEvents(Outbox outbox, ObjectMapper json) {
        this.outbox = outbox;
        this.json = json;
    }

    void publish(List<ManagedCluster.Event> events) {
        for (ManagedCluster.Event e : events) {
            outbox.append(Topics.COMPUTE_CONTAINER, CloudEvent.of("compute-container", e.type(), e.subject(), e.time(),
                    json.valueToTree(e.data())));
        }
    }

    /** A node's event: subject {@code {cluster}/agentPools/{pool}/nodes/{node}}. */
    void node(String type, ManagedCluster c, ClusterNode n, String reason, Instant now) {
        ClusterNodeData data = new ClusterNodeData(c.subscriptionId(), c.resourceGroup(), c.name(), n.pool(), n.name(),
                n.instanceId(), n.vmId() == null ? null : n.vmId().toString(), n.orchestratorVersion(), n.host(),
                n.rack(), n.faultDomain(), reason);
        outbox.append(Topics.COMPUTE_CONTAINER, CloudEvent.of("compute-container", type,
                c.resourceId() + "/agentPools/" + n.pool() + "/nodes/" + n.name(), now, json.valueToTree(data)));
    }
}
