package dev.cirrus.contracts.arm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiVersionTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(nullValues = "-", value = {
            "2021-04-01, -",
            "2024-07-01-preview, -",
            "2024-07-01-PREVIEW, -",
            "2023-01-01-alpha, -",
            "2023-01-01-beta, -",
            "2023-01-01-rc, -",
            "2023-01-01-privatepreview, -",
            "2024-02-29, -",
            "2020-02-29-beta, -",
            "'', MissingApiVersionParameter",
            "' ', MissingApiVersionParameter",
            "2023-02-29, InvalidApiVersionParameter",
            "2021-4-01, InvalidApiVersionParameter",
            "21-04-01, InvalidApiVersionParameter",
            "2021-04-01-gamma, InvalidApiVersionParameter",
            "latest, InvalidApiVersionParameter",
            "2024-7-1, InvalidApiVersionParameter",
            "2024-13-01, InvalidApiVersionParameter",
            "2024-07-01-final, InvalidApiVersionParameter",
            "'2024-07-01 ', InvalidApiVersionParameter",
            "2021-04-01|2022-01-01, InvalidApiVersionParameter",
            "2021-04-01|2021-04-01, -",
    })
    void checksTheShapeOfTheVersionLikeArm(String values, String code) {
        List<String> given = values.isEmpty() ? List.of() : Arrays.asList(values.split("\\|"));

        assertThat(ApiVersion.check(given).map(ArmError::code).orElse(null)).isEqualTo(code);
    }

    @ParameterizedTest
    @CsvSource({"latest", "2023-02-29"})
    void anInvalidVersionIsNamedInArmsMessageAndTargetsTheParameter(String version) {
        ArmError error = ApiVersion.check(List.of(version)).orElseThrow();
        assertThat(error.message()).startsWith("The api-version '" + version + "' is invalid.");
        assertThat(error.target()).isEqualTo("api-version");
    }
}
