package dev.cirrus.computevm.monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Monitor time: the service's clock, run {@link MonitorProperties#clockRate()} times faster from the moment the
 * service started (the same as the service's clock at the default rate 1). Samples, metric queries' default
 * timespans, autoscale windows and cooldowns and the autoscale history all read it.
 *
 * <p>Worked example at rate 60, started at 12:00:00: at 12:00:10 on the service's clock monitor time is 12:10:00,
 * and a five-minute autoscale window passes in five seconds ({@link #real}).
 */
public final class MonitorClock {

    private final Clock base;
    private final double rate;
    private final Instant origin;

    public MonitorClock(Clock base, double rate) {
        this.base = base;
        this.rate = rate;
        this.origin = base.instant();
    }

    public Instant now() {
        if (rate == 1.0) {
            return base.instant();
        }
        long elapsedNanos = Duration.between(origin, base.instant()).toNanos();
        return origin.plusNanos((long) (elapsedNanos * rate));
    }

    /** How long {@code monitorTime} lasts on the service's clock. */
    public Duration real(Duration monitorTime) {
        return Duration.ofNanos((long) (monitorTime.toNanos() / rate));
    }
}
