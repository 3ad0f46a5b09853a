package dev.cirrus.serverless.function;

import java.time.Duration;
import java.util.Locale;

import dev.cirrus.plumbing.arm.ArmException;
import tools.jackson.databind.JsonNode;

/**
 * How often a failed execution of a Kafka-triggered function is tried again before its message goes to the poison
 * topic: function.json's {@code retry} (Azure's shape: {@code strategy} {@code fixedDelay} with
 * {@code delayInterval}, or {@code exponentialBackoff} with {@code minimumInterval} and {@code maximumInterval};
 * {@code maxRetryCount} 0-100, time spans {@code hh:mm:ss[.fff]}). Unlike Azure, {@code maxRetryCount: -1}
 * (forever) is refused: a message that can never succeed would block its partition.
 *
 * @param attempts     executions of one message at most (1 + retries)
 * @param firstDelay   pause before the first retry
 * @param maxDelay     longest pause (exponential backoff doubles the pause up to this; fixed delay: = firstDelay)
 */
public record RetryPolicy(int attempts, Duration firstDelay, Duration maxDelay) {

    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
    }

    /** The pause before attempt {@code attempt} (2 = the first retry). */
    public Duration delayBefore(int attempt) {
        if (attempt <= 1) {
            return Duration.ZERO;
        }
        Duration delay = firstDelay;
        for (int i = 2; i < attempt && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    static RetryPolicy parse(JsonNode retry, String at) {
        if (!retry.isObject()) {
            throw ArmException.badRequest("InvalidFunctionConfig", "retry must be an object {strategy, maxRetryCount, ...}", at);
        }
        String strategy = retry.path("strategy").isString() ? retry.get("strategy").asString().toLowerCase(Locale.ROOT) : "";
        JsonNode count = retry.get("maxRetryCount");
        if (count == null || !count.isIntegralNumber() || count.asInt() < 0 || count.asInt() > 100) {
            throw ArmException.badRequest("InvalidFunctionConfig", "retry.maxRetryCount must be a whole number from 0 to 100"
                    + " (-1, retry forever, is not supported: a poison message would block its partition)", at + ".maxRetryCount");
        }
        int attempts = count.asInt() + 1;
        return switch (strategy) {
            case "fixeddelay" -> {
                Duration delay = span(retry, "delayInterval", at);
                yield new RetryPolicy(attempts, delay, delay);
            }
            case "exponentialbackoff" -> {
                Duration min = span(retry, "minimumInterval", at);
                Duration max = span(retry, "maximumInterval", at);
                if (max.compareTo(min) < 0) {
                    throw ArmException.badRequest("InvalidFunctionConfig", "retry.maximumInterval is shorter than retry.minimumInterval",
                            at + ".maximumInterval");
                }
                yield new RetryPolicy(attempts, min, max);
            }
            default -> throw ArmException.badRequest("InvalidFunctionConfig",
                    "retry.strategy must be fixedDelay or exponentialBackoff", at + ".strategy");
        };
    }

    private static Duration span(JsonNode retry, String field, String at) {
        String text = retry.path(field).isString() ? retry.get(field).asString() : null;
        String[] parts = text == null ? new String[0] : text.split(":");
        try {
            if (parts.length != 3) {
                throw new NumberFormatException();
            }
            Duration d = Duration.ofHours(Long.parseLong(parts[0])).plusMinutes(Long.parseLong(parts[1]))
                    .plusMillis(Math.round(Double.parseDouble(parts[2]) * 1000));
            if (d.isNegative() || d.compareTo(Duration.ofHours(1)) > 0) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw ArmException.badRequest("InvalidFunctionConfig", "retry." + field
                    + " must be a time span hh:mm:ss from 00:00:00 to 01:00:00", at + "." + field);
        }
    }
}
