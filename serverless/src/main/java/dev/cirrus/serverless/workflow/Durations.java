package dev.cirrus.serverless.workflow;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** ISO 8601 durations as the definition language writes them ({@code PT7S}, {@code P1D}, {@code PT1H30M}). */
final class Durations {

    private Durations() {
    }

    /** The duration, or null when the text is not one (weeks, months and years are not fixed lengths here). */
    static Duration parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            Duration d = Duration.parse(text.toUpperCase(Locale.ROOT));
            return d.isNegative() ? null : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
