package dev.cirrus.computevm.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cirrus.plumbing.arm.ArmException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ArmRequestsTest {

    @ParameterizedTest
    @ValueSource(strings = {"2024-07-01", "2023-09-01", "2024-10-01-preview", "2021-03-01-PREVIEW", "2020-02-29-beta"})
    void wellFormedApiVersionsAreAccepted(String version) {
        assertThatCode(() -> ArmRequests.requireApiVersion(version)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"latest", "2024-7-1", "2024-13-01", "2023-02-29", "2024-07-01-final", "", "2024-07-01 "})
    void malformedApiVersionsAreInvalidApiVersionParameter(String version) {
        ArmException e = catchThrowableOfType(ArmException.class, () -> ArmRequests.requireApiVersion(version));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.error().code()).isEqualTo("InvalidApiVersionParameter");
        assertThat(e.error().message()).startsWith("The api-version '" + version + "' is invalid.");
    }

    @ParameterizedTest
    @CsvSource({"West US,westus", "westus,westus", "West us,westus", "Korea Central,koreacentral"})
    void locationsAreNormalisedTheWayArmComparesThem(String given, String normalised) {
        assertThat(ArmRequests.requireLocation(given)).isEqualTo(normalised);
    }

    @ParameterizedTest
    @ValueSource(strings = {"00000000-0000-0000-0000-00000000000", "sub1", "{00000000-0000-0000-0000-000000000000}"})
    void subscriptionIdsMustBeGuids(String id) {
        ArmException e = catchThrowableOfType(ArmException.class, () -> ArmRequests.requireSubscriptionId(id));
        assertThat(e.error().code()).isEqualTo("InvalidSubscriptionId");
    }
}
