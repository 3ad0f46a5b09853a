package dev.cirrus.computecontainer.group;

import java.util.List;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.plumbing.events.Outbox;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/** Writes a transition's events to the outbox (topic {@code cirrus.compute.container}), in the caller's transaction. */
@Component
class GroupEvents {

    private final Outbox outbox;
    private final ObjectMapper json;

    GroupEvents(Outbox outbox, ObjectMapper json) {
        this.outbox = outbox;
        this.json = json;
    }

    void publish(List<ContainerGroup.Event> events) {
        for (ContainerGroup.Event e : events) {
            outbox.append(Topics.COMPUTE_CONTAINER, CloudEvent.of("compute-container", e.type(), e.subject(), e.time(),
                    json.valueToTree(e.data())));
        }
    }
}
