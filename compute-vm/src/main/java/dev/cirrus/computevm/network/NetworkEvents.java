package dev.cirrus.computevm.network;

import java.time.Clock;

import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.NetworkResourceData;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.plumbing.events.Outbox;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Puts the lifecycle events of network resources into the outbox, inside the caller's transaction, on
 * {@code cirrus.compute.vm} (subject = the resource's ARM id).
 */
@Component
class NetworkEvents {

    private final Outbox outbox;
    private final ObjectMapper json;
    private final Clock clock;

    NetworkEvents(Outbox outbox, ObjectMapper json, Clock clock) {
        this.outbox = outbox;
        this.json = json;
        this.clock = clock;
    }

    void written(ResourceId id, boolean created) {
        publish(created ? EventTypes.NETWORK_RESOURCE_CREATED : EventTypes.NETWORK_RESOURCE_UPDATED, id);
    }

    void deleted(ResourceId id) {
        publish(EventTypes.NETWORK_RESOURCE_DELETED, id);
    }

    private void publish(String type, ResourceId id) {
        NetworkResourceData data = new NetworkResourceData(id.subscriptionId(), id.resourceGroup(), id.name(),
                id.type());
        outbox.append(Topics.COMPUTE_VM, CloudEvent.of("compute-vm", type, id.toString(), clock.instant(),
                json.valueToTree(data)));
    }
}
