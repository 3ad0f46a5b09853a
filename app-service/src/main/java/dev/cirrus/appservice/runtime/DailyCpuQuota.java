package dev.cirrus.appservice.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A site's CPU time in one UTC day against its tier's daily quota, as plain data: each measurement adds the CPU its
 * processes used since the last one; the first that reaches the quota marks the day exceeded; a new UTC day starts
 * from nothing. For example, with a quota of 60 minutes, 59 minutes at 23:00 and 2 more at 23:30 exceed it until
 * 00:00 UTC, when the next measurement starts the new day at its own delta.
 *
 * @param exceededAt when the day's quota was used up, or null
 */
public record DailyCpuQuota(LocalDate day, Duration used, Instant exceededAt) {

    /** Nothing used yet on the day of {@code now}. */
    public static DailyCpuQuota none(Instant now) {
        return new DailyCpuQuota(dayOf(now), Duration.ZERO, null);
    }

    /** {@code delta} more CPU time at {@code now}, against {@code quota}. */
    public DailyCpuQuota add(Duration delta, Instant now, Duration quota) {
        DailyCpuQuota base = dayOf(now).equals(day) ? this : none(now);
        Duration total = base.used.plus(delta.isNegative() ? Duration.ZERO : delta);
        Instant exceeded = base.exceededAt != null ? base.exceededAt : total.compareTo(quota) >= 0 ? now : null;
        return new DailyCpuQuota(base.day, total, exceeded);
    }

    /** Whether the quota is used up at {@code now} (on another day, it is not). */
    public boolean exceeded(Instant now) {
        return exceededAt != null && day.equals(dayOf(now));
    }

    /** The next UTC midnight after the day: when the quota starts again. */
    public Instant resetsAt() {
        return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static LocalDate dayOf(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC);
    }
}
