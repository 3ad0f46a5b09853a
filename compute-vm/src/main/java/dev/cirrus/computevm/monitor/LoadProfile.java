package dev.cirrus.computevm.monitor;

import java.time.Duration;
import java.time.Instant;

/**
 * The load a guest would put on its VM, which Cirrus has no guest to measure: a user-driven model of CPU use over
 * time, plus constant network traffic and memory use (compute-vm/README.md, "Metrics and the load model"). Pure:
 * {@link #percentCpuAt} is a function of the instant only, so a sample taken twice, or after a restart, is the same.
 *
 * <p>Worked examples (CPU %):
 * <ul>
 *   <li>{@code Constant(70)}: 70 at any time;</li>
 *   <li>{@code Step(10 → 90 at 12:00)}: 10 at 11:59:59, 90 from 12:00:00;</li>
 *   <li>{@code Ramp(10 → 90 from 12:00 over PT10M)}: 10 until 12:00, 50 at 12:05, 90 from 12:10;</li>
 *   <li>{@code Sine(mean 50, amplitude 40, period PT20M, from 12:00)}: 50 at 12:00, 90 at 12:05, 50 at 12:10,
 *       10 at 12:15; every value clamped to [0, 100].</li>
 * </ul>
 */
public sealed interface LoadProfile {

    /** Network bytes per second the guest receives and sends, and the share of its memory it uses (0–100). */
    record Traffic(double networkInBytesPerSecond, double networkOutBytesPerSecond, double memoryPercent) {
        public static final Traffic IDLE = new Traffic(0, 0, 0);
    }

    Traffic traffic();

    /** The CPU use in percent at {@code t}, in [0, 100]. */
    double percentCpuAt(Instant t);

    /** The profile's kind as the API names it. */
    String kind();

    /** What a VM without a profile of its own (nor its set's) does: nothing. */
    LoadProfile IDLE = new Constant(0, Traffic.IDLE);

    record Constant(double percentCpu, Traffic traffic) implements LoadProfile {
        @Override
        public double percentCpuAt(Instant t) {
            return clamp(percentCpu);
        }

        @Override
        public String kind() {
            return "Constant";
        }
    }

    record Step(double from, double to, Instant at, Traffic traffic) implements LoadProfile {
        @Override
        public double percentCpuAt(Instant t) {
            return clamp(t.isBefore(at) ? from : to);
        }

        @Override
        public String kind() {
            return "Step";
        }
    }

    record Ramp(double from, double to, Instant start, Duration duration, Traffic traffic) implements LoadProfile {
        @Override
        public double percentCpuAt(Instant t) {
            if (!t.isAfter(start)) {
                return clamp(from);
            }
            double progress = (double) Duration.between(start, t).toMillis() / duration.toMillis();
            return clamp(progress >= 1 ? to : from + (to - from) * progress);
        }

        @Override
        public String kind() {
            return "Ramp";
        }
    }

    record Sine(double mean, double amplitude, Duration period, Instant start, Traffic traffic) implements LoadProfile {
        @Override
        public double percentCpuAt(Instant t) {
            double phase = (double) Duration.between(start, t).toMillis() / period.toMillis();
            return clamp(mean + amplitude * Math.sin(2 * Math.PI * phase));
        }

        @Override
        public String kind() {
            return "Sine";
        }
    }

    private static double clamp(double percent) {
        return Math.max(0, Math.min(100, percent));
    }
}
