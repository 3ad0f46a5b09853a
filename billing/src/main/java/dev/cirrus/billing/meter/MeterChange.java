package dev.cirrus.billing.meter;

import java.math.BigDecimal;
import java.time.Instant;

/** What one VM event does to that VM's meter. */
sealed interface MeterChange {

    /** The event is older than the meter's last transition (a replay): nothing changes. */
    record Ignored(String reason) implements MeterChange {
    }

    /**
     * The event is the VM's new last transition.
     *
     * @param closeAt when the open interval ends, or null if none was open
     * @param open    the interval that starts now, or null if the new power state is not billed (or not priced)
     * @param warning why an interval that should have opened did not (an unpriced size), or null
     */
    record Applied(Instant closeAt, NewInterval open, String warning) implements MeterChange {
    }

    /** A billed interval starting at {@code startedAt} at the size's hourly price for the VM's location. */
    record NewInterval(String resourceId, String subscriptionId, String resourceGroup, String resourceName,
                       String location, String vmSize, BigDecimal hourlyPrice, String currency, Instant startedAt,
                       String openedByEvent) {
    }
}
