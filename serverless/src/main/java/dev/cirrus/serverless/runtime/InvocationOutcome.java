package dev.cirrus.serverless.runtime;

import java.time.Duration;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * How an invocation ended. {@code returnValue} is the {@code $return} binding, {@code res} the value of
 * {@code context.res}, {@code bindings} the output bindings the function set. {@code allocatedBytes} is what the
 * invocation allocated on its thread (the measure behind the billed memory).
 */
public record InvocationOutcome(Status status, JsonNode returnValue, JsonNode res, JsonNode bindings, String error,
                                List<String> logs, long allocatedBytes, Duration duration) {

    public enum Status {
        SUCCEEDED, FAILED, TIMED_OUT, MEMORY_EXCEEDED;

        public boolean isFailure() {
            return this != SUCCEEDED;
        }
    }

    public static InvocationOutcome failed(Status status, String error, List<String> logs, long allocatedBytes,
                                           Duration duration) {
        return new InvocationOutcome(status, null, null, null, error, logs, allocatedBytes, duration);
    }
}
