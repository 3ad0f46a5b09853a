package dev.cirrus.serverless.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import dev.cirrus.plumbing.arm.ArmException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class RetryPolicyTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static RetryPolicy parse(String json) {
        return RetryPolicy.parse(JSON.readTree(json), "properties.config.retry");
    }

    @Test
    void exponentialBackoffDoublesThePauseFromTheMinimumUpToTheMaximum() {
        RetryPolicy policy = parse("{\"strategy\":\"exponentialBackoff\",\"maxRetryCount\":5,"
                + "\"minimumInterval\":\"00:00:02\",\"maximumInterval\":\"00:00:10\"}");
        assertThat(policy.attempts()).isEqualTo(6);
        assertThat(policy.delayBefore(1)).isZero();
        assertThat(policy.delayBefore(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.delayBefore(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.delayBefore(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(policy.delayBefore(5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.delayBefore(6)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aFixedDelayPausesTheSameBeforeEveryRetry() {
        RetryPolicy policy = parse("{\"strategy\":\"fixedDelay\",\"maxRetryCount\":2,\"delayInterval\":\"00:00:00.25\"}");
        assertThat(policy.attempts()).isEqualTo(3);
        assertThat(policy.delayBefore(2)).isEqualTo(Duration.ofMillis(250));
        assertThat(policy.delayBefore(3)).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aPolicyWithAnUnknownStrategyABadSpanOrABackwardRangeIsRefusedNamingTheField() {
        assertThatThrownBy(() -> parse("{\"strategy\":\"sometimes\",\"maxRetryCount\":1}"))
                .isInstanceOfSatisfying(ArmException.class, e -> assertThat(e.error().target()).isEqualTo("properties.config.retry.strategy"));
        assertThatThrownBy(() -> parse("{\"strategy\":\"fixedDelay\",\"maxRetryCount\":1,\"delayInterval\":\"5 seconds\"}"))
                .isInstanceOfSatisfying(ArmException.class, e -> assertThat(e.error().target()).isEqualTo("properties.config.retry.delayInterval"));
        assertThatThrownBy(() -> parse("{\"strategy\":\"exponentialBackoff\",\"maxRetryCount\":1,"
                + "\"minimumInterval\":\"00:01:00\",\"maximumInterval\":\"00:00:01\"}"))
                .isInstanceOfSatisfying(ArmException.class, e -> assertThat(e.error().target()).isEqualTo("properties.config.retry.maximumInterval"));
        assertThatThrownBy(() -> parse("{\"strategy\":\"fixedDelay\",\"maxRetryCount\":101,\"delayInterval\":\"00:00:01\"}"))
                .isInstanceOfSatisfying(ArmException.class, e -> assertThat(e.error().target()).isEqualTo("properties.config.retry.maxRetryCount"));
    }
}
