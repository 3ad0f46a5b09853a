package dev.cirrus.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Blocking work that fails with a JVM Error still ends the call (the request then gets a 500, not silence). */
class BlockingTest {

    @Test
    void aJvmErrorInBlockingWorkFailsTheCallInsteadOfLeavingItWithoutAnAnswer() {
        // block()'s bound only keeps a regression from hanging the build; the failure arrives at once
        assertThatThrownBy(() -> Blocking.call(() -> {
            throw new NoClassDefFoundError("dev/cirrus/Missing");
        }).block(Duration.ofSeconds(30)))
                .isInstanceOf(Blocking.WorkFailed.class)
                .hasCauseInstanceOf(NoClassDefFoundError.class);
    }

    @Test
    void anExceptionInBlockingWorkReachesTheCallerUnchanged() {
        assertThatThrownBy(() -> Blocking.call(() -> {
            throw new IllegalStateException("database said no");
        }).block(Duration.ofSeconds(30))).isInstanceOf(IllegalStateException.class).hasMessage("database said no");
    }

    @Test
    void aValueIsReturned() {
        assertThat(Blocking.call(() -> 42).block(Duration.ofSeconds(30))).isEqualTo(42);
    }
}
