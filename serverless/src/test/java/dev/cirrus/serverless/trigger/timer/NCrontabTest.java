package dev.cirrus.serverless.trigger.timer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NCrontabTest {

    @ParameterizedTest(name = "{0} after {1} is {2}")
    @CsvSource({
            "0 */5 * * * *,     2026-01-01T10:02:30Z, 2026-01-01T10:05:00Z",
            "*/10 * * * * *,    2026-01-01T10:02:30Z, 2026-01-01T10:02:40Z",
            "0 30 9 * * 1-5,    2026-01-02T10:00:00Z, 2026-01-05T09:30:00Z",
            "0 0 0 1 jan *,     2026-03-01T00:00:00Z, 2027-01-01T00:00:00Z",
            "15 0 12 * * sun,   2026-01-01T00:00:00Z, 2026-01-04T12:00:15Z",
            "0 0 0 29 2 *,      2026-01-01T00:00:00Z, 2028-02-29T00:00:00Z",
            "1-3 0 0 * * *,     2026-01-01T00:00:01Z, 2026-01-01T00:00:02Z",
    })
    void aScheduleFiresAtItsNextMatchingSecondInUtc(String schedule, Instant after, Instant expected) {
        assertThat(NCrontab.parse(schedule).next(after)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"'* * * * *', 6 fields", "'61 * * * * *', outside 0-59", "'0 0 0 30 2 *', never fires", "'a * * * * *', not a number"})
    void aBadScheduleIsRefusedWithItsReason(String schedule, String reason) {
        assertThatThrownBy(() -> NCrontab.parse(schedule)).hasMessageContaining(reason);
    }
}
