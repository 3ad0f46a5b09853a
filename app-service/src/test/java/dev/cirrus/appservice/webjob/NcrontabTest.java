package dev.cirrus.appservice.webjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** NCRONTAB schedules of six fields, seconds first: the next time after a given one, and what is refused. */
class NcrontabTest {

    @ParameterizedTest(name = "{0} after {1} is {2}")
    @CsvSource(delimiter = '|', value = {
        "* * * * * *          | 2026-12-07T10:00:00Z     | 2026-12-07T10:00:01Z",
        "* * * * * *          | 2026-12-07T10:00:00.500Z | 2026-12-07T10:00:01Z",
        "*/15 * * * * *       | 2026-12-07T10:00:14Z     | 2026-12-07T10:00:15Z",
        "*/15 * * * * *       | 2026-12-07T10:00:45Z     | 2026-12-07T10:01:00Z",
        "0 */5 * * * *        | 2026-12-07T10:03:10Z     | 2026-12-07T10:05:00Z",
        "0 0 * * * *          | 2026-12-07T10:00:00Z     | 2026-12-07T11:00:00Z",
        "30 15 9 * * *        | 2026-12-07T09:15:30Z     | 2026-12-08T09:15:30Z",
        "0 30 9 * * MON-FRI   | 2026-12-04T10:00:00Z     | 2026-12-07T09:30:00Z",
        "0 30 9 * * 1-5       | 2026-12-05T08:00:00Z     | 2026-12-07T09:30:00Z",
        "0 0 0 * * SUN        | 2026-12-07T00:00:00Z     | 2026-12-13T00:00:00Z",
        "0 0 0 * * 7          | 2026-12-07T00:00:00Z     | 2026-12-13T00:00:00Z",
        "0 0 0 1 * *          | 2026-12-07T00:00:00Z     | 2027-01-01T00:00:00Z",
        "0 0 12 29 FEB *      | 2026-03-01T00:00:00Z     | 2028-02-29T12:00:00Z",
        "0 0 0 1 JAN,JUL *    | 2026-12-07T00:00:00Z     | 2027-01-01T00:00:00Z",
        "0 0 8-10/2 * * *     | 2026-12-07T08:00:00Z     | 2026-12-07T10:00:00Z",
        "5,10 0 0 * * *       | 2026-12-07T00:00:05Z     | 2026-12-07T00:00:10Z",
        "0 0 0 13 * FRI       | 2026-12-07T00:00:00Z     | 2027-08-13T00:00:00Z",
    })
    void theNextTimeIsTheFirstThatMatchesEveryField(String schedule, String after, String next) {
        assertThat(Ncrontab.parse(schedule.trim()).next(Instant.parse(after.trim()))).isEqualTo(Instant.parse(next.trim()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "* * * * *", "0 */5 * * * * *", "60 * * * * *", "* 60 * * * *", "* * 24 * * *",
        "* * * 0 * *", "* * * 32 * *", "* * * * 13 *", "* * * * * 8", "a * * * * *", "*/0 * * * * *",
        "5-1 * * * * *", "1,,2 * * * * *", "* * * * FOO *", "every minute"})
    void anExpressionThatIsNotSixFieldNcrontabIsRefused(String schedule) {
        assertThatThrownBy(() -> Ncrontab.parse(schedule)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 0 0 30 FEB *", "0 0 0 31 4 *"})
    void aScheduleWithNoTimeInItHasNoNextTime(String schedule) {
        assertThat(Ncrontab.parse(schedule).next(Instant.parse("2026-12-07T00:00:00Z"))).isNull();
    }
}
