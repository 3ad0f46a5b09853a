package dev.cirrus.serverless.workflow.engine;

import java.time.Duration;
import java.util.Locale;

import tools.jackson.databind.JsonNode;

/**
 * An action's {@code retryPolicy}: {@code none}; {@code fixed} ({@code count} retries {@code interval} apart);
 * {@code exponential} ({@code count} retries, the interval doubling from {@code interval}, kept between
 * {@code minimumInterval} and {@code maximumInterval}); or, with no policy, Azure's default: exponential, 4 retries,
 * a 7.5 s interval, kept between 5 s and 45 s. Retries happen on 408, 429, 5xx and failed connections only.
 *
 * @param maxAttempts the first attempt and the retries
 */
record Retry(int maxAttempts, String type, Duration interval, Duration minimum, Duration maximum) {

    static Retry of(JsonNode policy) {
        if (policy == null || policy.isMissingNode() || policy.isNull()) {
            return new Retry(5, "default", Duration.ofMillis(7500), Duration.ofSeconds(5), Duration.ofSeconds(45));
        }
        String type = policy.path("type").asString("").toLowerCase(Locale.ROOT);
        int count = policy.path("count").asInt(4);
        Duration interval = duration(policy.path("interval"), Duration.ofMillis(7500));
        return switch (type) {
            case "none" -> new Retry(1, type, Duration.ZERO, Duration.ZERO, Duration.ZERO);
            case "fixed" -> new Retry(count + 1, type, interval, interval, interval);
            default -> new Retry(count + 1, "exponential", interval,
                    duration(policy.path("minimumInterval"), Duration.ofSeconds(5)),
                    duration(policy.path("maximumInterval"), Duration.ofDays(1)));
        };
    }

    private static Duration duration(JsonNode node, Duration otherwise) {
        Duration d = node.isString() ? Engine.parseDuration(node.stringValue()) : null;
        return d == null ? otherwise : d;
    }

    /** The pause before the retry that follows attempt {@code attempt} (1 = after the first attempt). */
    Duration delay(int attempt) {
        if (type.equals("fixed")) {
            return interval;
        }
        long millis = interval.toMillis() << Math.min(20, Math.max(0, attempt - 1));
        Duration d = Duration.ofMillis(millis);
        if (d.compareTo(minimum) < 0) {
            d = minimum;
        }
        return d.compareTo(maximum) > 0 ? maximum : d;
    }
}
