package dev.cirrus.placement.allocation;

import java.time.Instant;

/** An event an allocation produced, before it becomes a CloudEvent in the outbox. */
record PlacementEvent(String type, String subject, Instant time, dev.cirrus.contracts.events.PlacementData data) {
}
