package dev.cirrus.computevm.scaleset;

import java.util.List;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.plumbing.events.Outbox;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Puts a scale set's events into the outbox, inside the caller's transaction, on {@code cirrus.compute.vm}
 * (subject = the set's ARM id). Its instances' events are the VMs' own (vm/VmEvents).
 */
@Component
class ScaleSetEvents {

    private final Outbox outbox;
    private final ObjectMapper json;

    ScaleSetEvents(Outbox outbox, ObjectMapper json) {
        this.outbox = outbox;
        this.json = json;
    }

    void publish(List<ScaleSet.SetEvent> events) {
        for (ScaleSet.SetEvent e : events) {
            outbox.append(Topics.COMPUTE_VM,
                    CloudEvent.of("compute-vm", e.type(), e.subject(), e.time(), json.valueToTree(e.data())));
        }
    }
}
