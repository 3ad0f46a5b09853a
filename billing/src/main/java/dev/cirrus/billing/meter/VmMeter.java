package dev.cirrus.billing.meter;

import java.time.Instant;

import dev.cirrus.billing.price.PriceSheet;
import dev.cirrus.contracts.events.EventTypes;

/**
 * The meter of one VM: the time of the last transition applied to it, and the billed interval open now, if any.
 *
 * <p>Each transition closes the open interval at the transition's time and, if the new power state is billed, opens
 * a new one at that time with the size's hourly price for the VM's location. Deletion and allocation failure only
 * close. A transition older than the last one applied is ignored, so replaying the stream never counts a second twice.
 *
 * <p>Worked example (Standard_D2s_v5 at 0.096/h): started 10:00 (running: open [10:00, …)), powered off 11:00
 * (stopped, still billed: close at 11:00, open [11:00, …)), deallocated 11:30 (close at 11:30; nothing open),
 * deleted 12:00 (nothing to close). Billed: 1.5 h, 0.144. The started event replayed at 12:05 (older than 12:00)
 * changes nothing.
 *
 * @param lastTransitionAt null before the first transition
 * @param openSince        start of the open interval, or null
 */
record VmMeter(String key, Instant lastTransitionAt, Instant openSince) {

    /** Records a transition of this VM: what to close, what to open, or why nothing changes. */
    MeterChange record(VmTransition t, BilledPowerStates billed, PriceSheet prices) {
        if (lastTransitionAt != null && t.time().isBefore(lastTransitionAt)) {
            return new MeterChange.Ignored("event " + t.eventId() + " (" + t.eventType() + " at " + t.time()
                    + ") is older than the last transition applied to " + t.resourceId() + " (" + lastTransitionAt + ")");
        }
        Instant closeAt = openSince != null ? t.time() : null;
        boolean endsMeter = EventTypes.VM_DELETED.equals(t.eventType())
                || EventTypes.VM_ALLOCATION_FAILED.equals(t.eventType());
        if (endsMeter || !billed.isBilled(t.powerState())) {
            return new MeterChange.Applied(closeAt, null, null);
        }
        var rate = prices.vmRate(t.vmSize(), t.location());
        if (rate.isEmpty() || t.subscriptionId() == null || t.location() == null) {
            return new MeterChange.Applied(closeAt, null, "no price for VM size '" + t.vmSize() + "' in location '"
                    + t.location() + "': " + t.resourceId() + " is not metered from " + t.time());
        }
        return new MeterChange.Applied(closeAt, new MeterChange.NewInterval(t.resourceId(), t.subscriptionId(),
                t.resourceGroup(), t.name(), PriceSheet.normaliseLocation(t.location()), rate.get().size(),
                rate.get().perHour(), prices.currency(), t.time(), t.eventId()), null);
    }
}
