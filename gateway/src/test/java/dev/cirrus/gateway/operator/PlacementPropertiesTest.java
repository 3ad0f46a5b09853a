package dev.cirrus.gateway.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Where the operator API finds the placement engine, checked at start-up. */
class PlacementPropertiesTest {

    @Test
    void withoutSettingsTheEngineIsOnTheConventionalLoopbackPortWithAThirtySecondDeadline() {
        PlacementProperties defaults = new PlacementProperties(null, null);

        assertThat(defaults.target()).isEqualTo("127.0.0.1:9090");
        assertThat(defaults.deadline()).isEqualTo(Duration.ofSeconds(30));
    }

    @ParameterizedTest
    @ValueSource(strings = {"placement-engine:9090", "127.0.0.1:9190", "[::1]:9090", "dns:///placement-engine:9090"})
    void aHostAndPortOrAGrpcTargetUriIsAccepted(String target) {
        assertThat(new PlacementProperties(target, Duration.ofSeconds(5)).target()).isEqualTo(target);
    }

    @ParameterizedTest
    @ValueSource(strings = {"placement-engine", "http://placement-engine:9090", "host:port", "a b:9090"})
    void aTargetThatIsNoHostAndPortStopsStartUp(String target) {
        assertThatThrownBy(() -> new PlacementProperties(target, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cirrus.placement.target");
    }

    @Test
    void aDeadlineThatIsNotPositiveStopsStartUp() {
        assertThatThrownBy(() -> new PlacementProperties(null, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cirrus.placement.deadline");
    }
}
