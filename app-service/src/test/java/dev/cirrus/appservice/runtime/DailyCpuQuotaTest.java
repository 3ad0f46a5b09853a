package dev.cirrus.appservice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** A site's CPU time in a UTC day against its daily quota, as plain Java: used up, and reset by the next day. */
class DailyCpuQuotaTest {

    static final Duration HOUR = Duration.ofMinutes(60);

    @Test
    void theMeasurementThatReachesTheQuotaExceedsItUntilTheUtcDayEnds() {
        Instant at23 = Instant.parse("2026-12-07T23:00:00Z");
        DailyCpuQuota q = DailyCpuQuota.none(at23).add(Duration.ofMinutes(59), at23, HOUR);
        assertThat(q.exceeded(at23)).isFalse();

        Instant at2330 = Instant.parse("2026-12-07T23:30:00Z");
        q = q.add(Duration.ofMinutes(2), at2330, HOUR);

        assertThat(q.exceeded(at2330)).isTrue();
        assertThat(q.exceededAt()).isEqualTo(at2330);
        assertThat(q.used()).isEqualTo(Duration.ofMinutes(61));
        assertThat(q.resetsAt()).isEqualTo(Instant.parse("2026-12-08T00:00:00Z"));
        assertThat(q.exceeded(Instant.parse("2026-12-07T23:59:59Z"))).isTrue();
        assertThat(q.exceeded(Instant.parse("2026-12-08T00:00:00Z"))).as("a new day").isFalse();
    }

    @Test
    void aNewDayStartsFromItsOwnFirstMeasurement() {
        Instant day1 = Instant.parse("2026-12-07T12:00:00Z");
        DailyCpuQuota q = DailyCpuQuota.none(day1).add(Duration.ofMinutes(70), day1, HOUR);
        Instant day2 = Instant.parse("2026-12-08T00:00:01Z");

        DailyCpuQuota next = q.add(Duration.ofSeconds(3), day2, HOUR);

        assertThat(next.day()).isEqualTo(java.time.LocalDate.parse("2026-12-08"));
        assertThat(next.used()).isEqualTo(Duration.ofSeconds(3));
        assertThat(next.exceeded(day2)).isFalse();
    }

    @Test
    void aNegativeDeltaAddsNothingAndTheFirstExceedingTimeIsKept() {
        Instant t = Instant.parse("2026-12-07T10:00:00Z");
        DailyCpuQuota q = DailyCpuQuota.none(t).add(HOUR, t, HOUR);
        DailyCpuQuota later = q.add(Duration.ofSeconds(-5), t.plusSeconds(60), HOUR).add(Duration.ofMinutes(1),
                t.plusSeconds(120), HOUR);

        assertThat(later.used()).isEqualTo(Duration.ofMinutes(61));
        assertThat(later.exceededAt()).isEqualTo(t);
    }
}
