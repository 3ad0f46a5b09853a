package dev.cirrus.billing.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;

import dev.cirrus.plumbing.arm.ArmException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageQueryTest {

    static final LocalDate TODAY = LocalDate.parse("2026-11-25");

    @ParameterizedTest(name = "startDate={0} endDate={1} $filter={2} -> [{3}, {4})")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "-          | -          | -                                                      | 2026-11-01 | 2026-12-01",
            "2026-10-05 | 2026-10-07 | -                                                      | 2026-10-05 | 2026-10-08",
            "2026-10-05 | -          | -                                                      | 2026-10-05 | 2026-11-26",
            "2026-12-05 | -          | -                                                      | 2026-12-05 | 2026-12-06",
            "-          | 2026-10-07 | -                                                      | 2026-10-01 | 2026-10-08",
            "2026-02-01 | 2026-02-28 | -                                                      | 2026-02-01 | 2026-03-01",
            "-          | -          | properties/usageStart ge '2026-10-01' and properties/usageEnd le '2026-10-31' | 2026-10-01 | 2026-11-01",
            "-          | -          | properties/usageStart gt '2026-10-01' AND properties/usageEnd lt '2026-10-31' | 2026-10-02 | 2026-10-31",
            "2026-10-03 | -          | properties/usageEnd le '2026-10-04'                    | 2026-10-03 | 2026-10-05",
            "2025-11-26 | 2026-11-25 | -                                                      | 2025-11-26 | 2026-11-26",
    })
    void thePeriodIsWholeUtcDays(String start, String end, String filter, String from, String to) {
        UsageQuery q = UsageQuery.parse(start, end, filter, TODAY);
        assertThat(q.from()).isEqualTo(Instant.parse(from + "T00:00:00Z"));
        assertThat(q.to()).isEqualTo(Instant.parse(to + "T00:00:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "resource group|properties/resourceGroup eq 'My-RG'|My-RG|-",
            "resource id|properties/resourceId eq '/subscriptions/s/x'|-|/subscriptions/s/x",
            "quote in a value|properties/resourceGroup eq 'it''s'|it's|-",
    })
    void aFilterCanNameAResourceGroupOrAResource(String name, String filter, String group, String id) {
        UsageQuery q = UsageQuery.parse(null, null, filter, TODAY);
        assertThat(q.resourceGroup()).isEqualTo(group);
        assertThat(q.resourceId()).isEqualTo(id);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "not a date|2026-11-31|-|-|startDate",
            "a date-time|2026-11-01T00:00:00Z|-|-|startDate",
            "an absurd year|-|+999999999-12-31|-|endDate",
            "end before start|2026-11-02|2026-11-01|-|endDate",
            "more than 366 days|2025-01-01|2026-01-02|-|endDate",
            "filter on cost|-|-|properties/cost gt '1'|$filter",
            "filter with or|-|-|properties/usageStart ge '2026-10-01' or properties/usageEnd le '2026-10-31'|$filter",
            "filter without quotes|-|-|properties/usageStart ge 2026-10-01|$filter",
            "usageStart le|-|-|properties/usageStart le '2026-10-01'|$filter",
            "start twice|2026-10-01|-|properties/usageStart ge '2026-10-01'|$filter",
            "end twice in the filter|-|-|properties/usageEnd le '2026-10-01' and properties/usageEnd le '2026-10-02'|$filter",
            "end before start in the filter|-|-|properties/usageStart ge '2026-10-05' and properties/usageEnd le '2026-10-01'|$filter",
    })
    void aBadPeriodOrFilterIsAnInvalidParameter(String name, String start, String end, String filter, String target) {
        assertThatThrownBy(() -> UsageQuery.parse(start, end, filter, TODAY))
                .isInstanceOfSatisfying(ArmException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error().code()).isEqualTo("InvalidParameter");
                    assertThat(e.error().target()).isEqualTo(target);
                });
    }
}
