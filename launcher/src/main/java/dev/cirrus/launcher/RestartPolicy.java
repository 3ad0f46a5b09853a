package dev.cirrus.launcher;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * When a supervised process that exited unexpectedly is started again: after a back-off that doubles with each crash
 * in the window (from {@code initialBackoff} up to {@code maxBackoff}), and not at all once it has crashed
 * {@code maxCrashes} times within {@code window} (it keeps crashing: it is left down and reported).
 */
public record RestartPolicy(Duration initialBackoff, Duration maxBackoff, int maxCrashes, Duration window) {

    /** 1 s, 2 s, 4 s, ... up to 30 s; left down after 5 crashes in 2 minutes. */
    public static final RestartPolicy DEFAULT =
            new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 5, Duration.ofMinutes(2));

    public RestartPolicy {
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || maxCrashes < 1
                || !window.isPositive()) {
            throw new IllegalArgumentException("a restart policy needs 0 <= initial back-off <= max back-off, "
                    + "at least one crash and a positive window");
        }
    }

    /** What to do after a crash: restart after {@code delay}, or give up. */
    public sealed interface Decision {
        record Restart(Duration delay, int crashesInWindow) implements Decision {
        }

        record GiveUp(int crashesInWindow) implements Decision {
        }
    }

    /** The crashes of one process; not thread-safe (the supervisor holds its lock). */
    public final class Crashes {
        private final Deque<Instant> recent = new ArrayDeque<>();

        /** Records a crash at {@code now} and decides. */
        public Decision crashed(Instant now) {
            recent.addLast(now);
            while (!recent.isEmpty() && recent.peekFirst().isBefore(now.minus(window))) {
                recent.removeFirst();
            }
            int n = recent.size();
            if (n >= maxCrashes) {
                return new Decision.GiveUp(n);
            }
            Duration delay = initialBackoff;
            for (int i = 1; i < n && delay.compareTo(maxBackoff) < 0; i++) {
                delay = delay.multipliedBy(2);
            }
            return new Decision.Restart(delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay, n);
        }
    }

    public Crashes newHistory() {
        return new Crashes();
    }
}
