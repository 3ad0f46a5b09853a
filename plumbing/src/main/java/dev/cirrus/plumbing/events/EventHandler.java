package dev.cirrus.plumbing.events;

import dev.cirrus.contracts.events.CloudEvent;

/** Applies one event's effect. Runs inside the inbox transaction; throwing rolls the effect back and retries. */
@FunctionalInterface
public interface EventHandler {
    void handle(CloudEvent event);
}
