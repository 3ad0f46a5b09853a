package dev.cirrus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    private final Instant t0 = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void theBackOffDoublesWithEachCrashUpToItsMaximum() {
        RestartPolicy.Crashes crashes = new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(5), 10,
                Duration.ofMinutes(2)).newHistory();

        assertThat(crashes.crashed(t0)).isEqualTo(new RestartPolicy.Decision.Restart(Duration.ofSeconds(1), 1));
        assertThat(crashes.crashed(t0.plusSeconds(2))).isEqualTo(new RestartPolicy.Decision.Restart(Duration.ofSeconds(2), 2));
        assertThat(crashes.crashed(t0.plusSeconds(5))).isEqualTo(new RestartPolicy.Decision.Restart(Duration.ofSeconds(4), 3));
        assertThat(crashes.crashed(t0.plusSeconds(10))).isEqualTo(new RestartPolicy.Decision.Restart(Duration.ofSeconds(5), 4));
    }

    @Test
    void fiveCrashesWithinTwoMinutesGiveUpButCrashesFarApartDoNot() {
        RestartPolicy.Crashes spread = RestartPolicy.DEFAULT.newHistory();
        for (int i = 0; i < 10; i++) {
            assertThat(spread.crashed(t0.plus(Duration.ofMinutes(3L * i))))
                    .isEqualTo(new RestartPolicy.Decision.Restart(Duration.ofSeconds(1), 1));
        }

        RestartPolicy.Crashes burst = RestartPolicy.DEFAULT.newHistory();
        for (int i = 0; i < 4; i++) {
            assertThat(burst.crashed(t0.plusSeconds(10L * i))).isInstanceOf(RestartPolicy.Decision.Restart.class);
        }
        assertThat(burst.crashed(t0.plusSeconds(100))).isEqualTo(new RestartPolicy.Decision.GiveUp(5));
    }
}
