package dev.cirrus.gateway.resourcegroup;

import java.util.List;
import java.util.Map;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.ManagedClusterData;
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
 * The node resource groups of managed clusters (AKS), as Azure keeps them: compute-container creates each agent
 * pool's scale set in the group {@code ManagedClusterData.nodeResourceGroup} names; this consumer of
 * {@code cirrus.compute.container} (inbox {@code gateway-node-resource-groups}, each event applied once) creates that
 * group with {@code managedBy} = the cluster's id on the cluster's first {@code ManagedClusterWritten}, so
 * {@code az vmss list -g MC_…} finds the scale sets, and deletes it (with whatever is left in it) on
 * {@code ManagedClusterDeleted}. A group of that name that exists already is left as it is. Off when
 * {@code cirrus.kafka.bootstrap-servers} is empty.
 */
@Component
class NodeResourceGroups implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NodeResourceGroups.class);

    private final ResourceGroupService groups;
    private final String bootstrap;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private volatile InboxConsumer consumer;

    NodeResourceGroups(ResourceGroupService groups, @Value("${cirrus.kafka.bootstrap-servers:}") String bootstrap,
                       JdbcTemplate jdbc, TransactionTemplate tx, ObjectMapper json) {
        this.groups = groups;
        this.bootstrap = bootstrap;
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
    }

    void apply(CloudEvent event) {
        if (event.data() == null) {
            return;
        }
        ManagedClusterData data = json.treeToValue(event.data(), ManagedClusterData.class);
        String nodeGroup = data.nodeResourceGroup();
        if (nodeGroup == null || data.subscriptionId() == null) {
            return;
        }
        if (EventTypes.MANAGED_CLUSTER_WRITTEN.equals(event.type())) {
            if (groups.find(data.subscriptionId(), nodeGroup).isEmpty()) {
                groups.createOrUpdate(data.subscriptionId(), nodeGroup,
                        new ResourceGroupDefinition(data.location(), Map.of(), event.subject()));
                log.info("node resource group {} created for managed cluster {}", nodeGroup, event.subject());
            }
        } else if (EventTypes.MANAGED_CLUSTER_DELETED.equals(event.type())) {
            groups.find(data.subscriptionId(), nodeGroup)
                    .filter(g -> event.subject().equalsIgnoreCase(g.managedBy()))
                    .ifPresent(g -> groups.delete(data.subscriptionId(), nodeGroup));
        }
    }

    @Override
    public void start() {
        if (bootstrap == null || bootstrap.isBlank()) {
            return;
        }
        consumer = new InboxConsumer("gateway-node-resource-groups", List.of(Topics.COMPUTE_CONTAINER), bootstrap,
                jdbc, tx, json, type -> EventTypes.MANAGED_CLUSTER_WRITTEN.equals(type)
                || EventTypes.MANAGED_CLUSTER_DELETED.equals(type), this::apply);
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
