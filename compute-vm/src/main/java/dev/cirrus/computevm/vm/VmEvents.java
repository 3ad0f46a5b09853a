package dev.cirrus.computevm.vm;

import java.util.List;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.plumbing.events.Outbox;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Puts a VM's events into the outbox, inside the caller's transaction, as CloudEvents on {@code cirrus.compute.vm}
 * (subject = the VM's ARM id, record key = its lower-cased id).
 */
@Component
class VmEvents {

    static final String SOURCE_SERVICE = "compute-vm";

    private final Outbox outbox;
    private final ObjectMapper json;

    VmEvents(Outbox outbox, ObjectMapper json) {
        this.outbox = outbox;
        this.json = json;
    }

    void publish(List<VmLifecycleEvent> events) {
        for (VmLifecycleEvent e : events) {
            outbox.append(Topics.COMPUTE_VM,
                    CloudEvent.of(SOURCE_SERVICE, e.type(), e.subject(), e.time(), json.valueToTree(e.data())));
        }
    }
}
