package dev.cirrus.gateway.arm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArmConventionsFilterTest {

    /** What the raw read answers is only ever accepted as is; null sends the request through the full check. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "-", delimiter = '|', value = {
            "api-version=2024-07-01 | 2024-07-01",
            "$expand=instanceView&api-version=2024-07-01 | 2024-07-01",
            "&&api-version=2024-07-01& | 2024-07-01",
            "api-version=2016-04-30-Preview | 2016-04-30-Preview",
            "api-version=2024-07-01&api-version=2024-07-01 | -",
            "api-version=2024-07-01&API-Version=2022-09-01 | -",
            "API-VERSION=2024-07-01 | -",
            "api%2Dversion=2024-07-01 | -",
            "api-version=2024%2D07-01 | -",
            "api-version=+2024-07-01 | -",
            "api-version | -",
            "api-version= | -",
            "api-versions=2024-07-01 | -",
            "x=1 | -",
            "- | -",
    })
    void theUsualApiVersionIsReadFromTheRawQueryAndAnythingUnusualIsLeftToTheFullCheck(String rawQuery,
                                                                                      String version) {
        assertThat(ArmConventionsFilter.plainApiVersion(rawQuery)).isEqualTo(version);
    }
}
