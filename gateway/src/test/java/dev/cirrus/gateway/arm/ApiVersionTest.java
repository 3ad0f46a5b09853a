package dev.cirrus.gateway.arm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import dev.cirrus.contracts.arm.ArmError;
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
            "'', MissingApiVersionParameter",
            "' ', MissingApiVersionParameter",
            "2023-02-29, InvalidApiVersionParameter",
            "2021-4-01, InvalidApiVersionParameter",
            "21-04-01, InvalidApiVersionParameter",
            "2021-04-01-gamma, InvalidApiVersionParameter",
            "latest, InvalidApiVersionParameter",
            "2021-04-01|2022-01-01, InvalidApiVersionParameter",
            "2021-04-01|2021-04-01, -",
    })
    void checksTheShapeOfTheVersionLikeArm(String values, String code) {
        List<String> given = values.isEmpty() ? List.of() : Arrays.asList(values.split("\\|"));

        assertThat(ApiVersion.check(given).map(ArmError::code).orElse(null)).isEqualTo(code);
    }
}
