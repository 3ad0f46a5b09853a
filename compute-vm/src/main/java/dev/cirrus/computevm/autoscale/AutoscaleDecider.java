package dev.cirrus.computevm.autoscale;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Decides one evaluation of an autoscale setting, as Azure's engine does (compute-vm/README.md "Autoscale"). Pure:
 * the metrics come through {@link MetricSource}, time and the last action are arguments.
 *
 * <ol>
 *   <li>The profile: a fixed-date profile whose window holds now, else the recurrence profile that started most
 *       recently (it runs until another starts), else the default profile.</li>
 *   <li>Outside [minimum, maximum] the capacity is brought to the nearest bound.</li>
 *   <li>Scale out when <b>any</b> Increase rule fires (its value read over its window) and its cooldown since the last
 *       action has passed: the largest resulting capacity wins, capped at the maximum.</li>
 *   <li>Otherwise scale in when <b>all</b> Decrease rules fire and their cooldowns have passed: the smallest reduction
 *       (highest resulting capacity) wins, floored at the minimum — unless the metric, spread over the fewer
 *       instances, would make an Increase rule fire at once (flapping: Azure skips such a scale-in).</li>
 *   <li>When no rule's metric can be read and the capacity is below the profile's default, scale to the default.</li>
 * </ol>
 *
 * <p>Worked example: profile 1–5 (default 2), rules "CPU &gt; 70 → +1, cooldown 5 min" and "CPU &lt; 30 → −1"; 3
 * instances. CPU 80 → 4. CPU 20 → 2 (20 × 3 / 2 = 30 would not exceed 70). With a third rule "CPU &gt; 25 → +1",
 * CPU 20 on 3 → hold: 30 on 2 instances would trigger a scale-out (flapping).
 */
final class AutoscaleDecider {

    private AutoscaleDecider() {
    }

    /** A rule's value over its window, if any sample exists. */
    @FunctionalInterface
    interface MetricSource {
        OptionalDouble value(AutoscaleSetting.Rule rule, Instant now);
    }

    sealed interface Decision {
        AutoscaleSetting.Profile profile();

        String reason();
    }

    record Hold(AutoscaleSetting.Profile profile, String reason) implements Decision {
    }

    record Scale(AutoscaleSetting.Profile profile, int from, int to, String reason,
                 java.time.Duration cooldown) implements Decision {
        boolean up() {
            return to > from;
        }
    }

    static Decision decide(AutoscaleSetting setting, Instant now, int current, MetricSource metrics,
                           Instant lastScale) {
        AutoscaleSetting.Profile profile = activeProfile(setting, now);
        if (profile == null) {
            return new Hold(null, "No profile applies at " + now + ".");
        }
        if (current < profile.minimum()) {
            return new Scale(profile, current, profile.minimum(), "The capacity " + current + " is below the profile's "
                    + "minimum " + profile.minimum() + ".", java.time.Duration.ZERO);
        }
        if (current > profile.maximum()) {
            return new Scale(profile, current, profile.maximum(), "The capacity " + current + " is above the profile's "
                    + "maximum " + profile.maximum() + ".", java.time.Duration.ZERO);
        }
        boolean anyMetric = false;
        // scale out: any Increase rule
        Scale out = null;
        boolean cooling = false;
        for (AutoscaleSetting.Rule rule : profile.rules()) {
            if (rule.direction() != AutoscaleSetting.Direction.Increase) {
                continue;
            }
            OptionalDouble value = metrics.value(rule, now);
            anyMetric |= value.isPresent();
            if (value.isEmpty() || !rule.operator().test(value.getAsDouble(), rule.threshold())) {
                continue;
            }
            if (inCooldown(rule, now, lastScale)) {
                cooling = true;
                continue;
            }
            int to = Math.min(profile.maximum(), target(rule, current));
            if (to > current && (out == null || to > out.to())) {
                out = new Scale(profile, current, to, describe(rule, value.getAsDouble()), rule.cooldown());
            }
        }
        if (out != null) {
            return out;
        }
        // scale in: all Decrease rules
        List<AutoscaleSetting.Rule> decreases = new ArrayList<>();
        for (AutoscaleSetting.Rule rule : profile.rules()) {
            if (rule.direction() == AutoscaleSetting.Direction.Decrease) {
                decreases.add(rule);
            }
        }
        Scale in = null;
        boolean allFire = !decreases.isEmpty();
        for (AutoscaleSetting.Rule rule : decreases) {
            OptionalDouble value = metrics.value(rule, now);
            anyMetric |= value.isPresent();
            if (value.isEmpty() || !rule.operator().test(value.getAsDouble(), rule.threshold())) {
                allFire = false;
                continue;
            }
            if (inCooldown(rule, now, lastScale)) {
                cooling = true;
                allFire = false;
                continue;
            }
            int to = Math.max(profile.minimum(), target(rule, current));
            if (in == null || to > in.to()) {
                in = new Scale(profile, current, to, describe(rule, value.getAsDouble()), rule.cooldown());
            }
        }
        if (allFire && in != null && in.to() < current) {
            String flapping = flapping(profile, metrics, now, current, in.to());
            if (flapping != null) {
                return new Hold(profile, flapping);
            }
            return in;
        }
        if (!anyMetric && !profile.rules().isEmpty() && current < profile.defaultCapacity()) {
            return new Scale(profile, current, profile.defaultCapacity(), "No metric could be read; the capacity "
                    + current + " is below the profile's default " + profile.defaultCapacity() + ".",
                    java.time.Duration.ZERO);
        }
        if (profile.rules().isEmpty() && current != profile.defaultCapacity()) {
            return new Scale(profile, current, profile.defaultCapacity(), "The profile '" + profile.name()
                    + "' has no rules: the capacity is its default " + profile.defaultCapacity() + ".",
                    java.time.Duration.ZERO);
        }
        return new Hold(profile, cooling ? "A rule fired but its cooldown since the last scale action has not passed."
                : "No rule calls for a change.");
    }

    /** Would the metrics, spread over {@code to} instances instead of {@code from}, fire an Increase rule? */
    private static String flapping(AutoscaleSetting.Profile profile, MetricSource metrics, Instant now, int from,
                                   int to) {
        for (AutoscaleSetting.Rule rule : profile.rules()) {
            if (rule.direction() != AutoscaleSetting.Direction.Increase) {
                continue;
            }
            OptionalDouble value = metrics.value(rule, now);
            if (value.isPresent() && to > 0) {
                double projected = value.getAsDouble() * from / to;
                if (rule.operator().test(projected, rule.threshold())) {
                    return "Scale-in from " + from + " to " + to + " skipped to avoid flapping: " + rule.metric()
                            .displayName() + " would be about " + Math.round(projected * 100) / 100.0
                            + ", which triggers the scale-out rule (" + rule.operator() + " " + rule.threshold() + ").";
                }
            }
        }
        return null;
    }

    private static boolean inCooldown(AutoscaleSetting.Rule rule, Instant now, Instant lastScale) {
        return lastScale != null && now.isBefore(lastScale.plus(rule.cooldown()));
    }

    /** The capacity a rule's action leads to from {@code current}; percent changes round up to at least one. */
    static int target(AutoscaleSetting.Rule rule, int current) {
        int sign = rule.direction() == AutoscaleSetting.Direction.Decrease ? -1 : 1;
        return switch (rule.type()) {
            case ChangeCount -> Math.max(0, current + sign * rule.value());
            case PercentChangeCount -> Math.max(0, current + sign * Math.max(1,
                    (int) Math.ceil(current * rule.value() / 100.0)));
            case ExactCount -> rule.value();
        };
    }

    private static String describe(AutoscaleSetting.Rule rule, double value) {
        return "The rule '" + rule.metric().displayName() + " " + rule.timeAggregation() + " over " + rule.timeWindow()
                + " " + rule.operator() + " " + rule.threshold() + "' fired with " + Math.round(value * 100) / 100.0
                + ": " + rule.direction() + " by " + rule.type() + " " + rule.value() + ".";
    }

    /** The profile that applies at {@code now}; null when none does. */
    static AutoscaleSetting.Profile activeProfile(AutoscaleSetting setting, Instant now) {
        for (AutoscaleSetting.Profile p : setting.profiles()) {
            if (p.fixedDate() != null) {
                var local = now.atZone(p.fixedDate().zone()).toLocalDateTime();
                if (!local.isBefore(p.fixedDate().start()) && !local.isAfter(p.fixedDate().end())) {
                    return p;
                }
            }
        }
        AutoscaleSetting.Profile latest = null;
        Instant latestStart = null;
        for (AutoscaleSetting.Profile p : setting.profiles()) {
            if (p.recurrence() != null) {
                Instant start = lastStart(p.recurrence(), now);
                if (start != null && (latestStart == null || start.isAfter(latestStart))) {
                    latest = p;
                    latestStart = start;
                }
            }
        }
        if (latest != null) {
            return latest;
        }
        return setting.profiles().stream().filter(AutoscaleSetting.Profile::isDefault).findFirst().orElse(null);
    }

    /** The recurrence's most recent start at or before {@code now}, looking back one week; null if none. */
    static Instant lastStart(AutoscaleSetting.Recurrence r, Instant now) {
        ZonedDateTime local = now.atZone(r.zone());
        Instant best = null;
        for (int back = 0; back <= 7; back++) {
            LocalDate day = local.toLocalDate().minusDays(back);
            if (!r.days().contains(day.getDayOfWeek())) {
                continue;
            }
            for (int h : r.hours()) {
                for (int m : r.minutes()) {
                    Instant start = day.atTime(h, m).atZone(r.zone()).toInstant();
                    if (!start.isAfter(now) && (best == null || start.isAfter(best))) {
                        best = start;
                    }
                }
            }
        }
        return best;
    }
}
