package dev.cirrus.billing.meter;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * One VM lifecycle event as the meter sees it: which VM, when (to the millisecond), and the facts a price depends on.
 *
 * @param resourceId the VM's ARM id as the user cased it (the event's subject)
 * @param time       when the transition happened, truncated to milliseconds (billing's precision)
 * @param powerState the power state after the transition, or null (creating, deleted)
 */
record VmTransition(String eventId, String eventType, String resourceId, Instant time, String subscriptionId,
                    String resourceGroup, String name, String location, String vmSize, String powerState) {

    VmTransition {
        time = time.truncatedTo(ChronoUnit.MILLIS);
    }

    /** The VM's meter key: its lower-cased ARM id, the same as the event's Kafka key. */
    String key() {
        return resourceId.toLowerCase(Locale.ROOT);
    }
}
