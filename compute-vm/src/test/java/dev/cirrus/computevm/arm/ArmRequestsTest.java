package dev.cirrus.computevm.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cirrus.plumbing.arm.ArmException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ArmRequestsTest {

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
