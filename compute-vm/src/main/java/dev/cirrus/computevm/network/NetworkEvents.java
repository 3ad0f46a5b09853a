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
    private final NetworkRepository repository;

    NetworkEvents(Outbox outbox, ObjectMapper json, Clock clock, NetworkRepository repository) {
        this.outbox = outbox;
        this.json = json;
        this.clock = clock;
        this.repository = repository;
    }

    /** After the resource's row is written: its location is read from it, in the same transaction. */
    void written(ResourceId id, boolean created) {
        publish(created ? EventTypes.NETWORK_RESOURCE_CREATED : EventTypes.NETWORK_RESOURCE_UPDATED, id,
                repository.location(id.key()).orElse(null));
    }

    void deleted(ResourceId id) {
        publish(EventTypes.NETWORK_RESOURCE_DELETED, id, null);
    }

    private void publish(String type, ResourceId id, String location) {
        NetworkResourceData data = new NetworkResourceData(id.subscriptionId(), id.resourceGroup(), id.name(),
                id.type(), location);
        outbox.append(Topics.COMPUTE_VM, CloudEvent.of("compute-vm", type, id.toString(), clock.instant(),
                json.valueToTree(data)));
    }
}
