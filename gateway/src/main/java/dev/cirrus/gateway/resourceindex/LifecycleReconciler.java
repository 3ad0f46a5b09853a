package dev.cirrus.gateway.resourceindex;

import java.util.List;
import java.util.Map;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.plumbing.events.InboxConsumer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reconciles the {@link ResourceIndex} with the lifecycle events of the resources (today the VMs of
 * {@code cirrus.compute.vm}, whose data is {@code VmLifecycleData}): a VM created is indexed (owner compute-vm), a VM
 * deleted is removed, each event applied once (the plumbing's inbox). This is what removes a VM whose DELETE the
 * service answered 202, and what indexes VMs written while the gateway was not looking. Off when
 * {@code cirrus.kafka.bootstrap-servers} is empty.
 */
@Component
class LifecycleReconciler implements SmartLifecycle {

    private static final String VM_TYPE = "Microsoft.Compute/virtualMachines";

    private final String bootstrap;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final ResourceIndex index;
    private volatile InboxConsumer consumer;

    LifecycleReconciler(@Value("${cirrus.kafka.bootstrap-servers:}") String bootstrap, JdbcTemplate jdbc,
                        TransactionTemplate tx, ObjectMapper json, ResourceIndex index) {
        this.bootstrap = bootstrap;
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.index = index;
    }

    void apply(CloudEvent event) {
        JsonNode data = event.data();
        if (data == null || !data.path("subscriptionId").isString()) {
            return;
        }
        String id = "/subscriptions/" + data.path("subscriptionId").asString() + "/resourceGroups/"
                + data.path("resourceGroup").asString() + "/providers/" + VM_TYPE + "/" + data.path("name").asString();
        if (EventTypes.VM_DELETED.equals(event.type())) {
            index.remove(id);
        } else if (EventTypes.VM_CREATED.equals(event.type()) && index.ownerOf(id).isEmpty()) {
            index.put(id, VM_TYPE, "compute-vm", data.path("location").asString(null), null, Map.of(), event.time());
        }
    }

    @Override
    public void start() {
        if (bootstrap == null || bootstrap.isBlank()) {
            return;
        }
        consumer = new InboxConsumer("gateway-resource-index", List.of(Topics.COMPUTE_VM), bootstrap, jdbc, tx, json,
                this::apply);
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
