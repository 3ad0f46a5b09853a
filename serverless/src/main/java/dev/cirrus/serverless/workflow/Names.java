package dev.cirrus.serverless.workflow;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Names of versions, runs and trigger histories the way Azure shapes them: the ticks left until the end of .NET's
 * calendar, 20 digits, then a suffix. A newer name sorts first, so a list in name order is newest first.
 */
public final class Names {

    private static final long MAX_TICKS = 3_155_378_975_999_999_999L;
    private static final long EPOCH_TICKS = 621_355_968_000_000_000L;

    private Names() {
    }

    /** A version's name: reverse ticks alone. */
    public static String version(Instant now) {
        return String.format("%020d", reverseTicks(now));
    }

    /** A run's or history's name: reverse ticks, then {@code CU} and two random digits (Azure's scale unit). */
    public static String run(Instant now) {
        return String.format("%020dCU%02d", reverseTicks(now), ThreadLocalRandom.current().nextInt(100));
    }

    private static long reverseTicks(Instant now) {
        long ticks = EPOCH_TICKS + now.getEpochSecond() * 10_000_000L + now.getNano() / 100;
        // a random low part: two names made in the same tick still differ
        return MAX_TICKS - ticks - ThreadLocalRandom.current().nextInt(1000);
    }
}
