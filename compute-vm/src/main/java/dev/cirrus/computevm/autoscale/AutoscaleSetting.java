package dev.cirrus.computevm.autoscale;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import dev.cirrus.computevm.monitor.Metrics;
import dev.cirrus.computevm.monitor.MonitorMetric;

/**
 * An autoscale setting as accepted ({@code Microsoft.Insights/autoscaleSettings}, compute-vm/README.md
 * "Autoscale"): plain data, validated by {@link AutoscaleSettingJson}; {@link AutoscaleDecider} decides with it.
 */
record AutoscaleSetting(boolean enabled, String targetResourceUri, List<Profile> profiles,
                        List<Notification> notifications) {

    /** A profile: default (no schedule), fixed-date or weekly recurrence. */
    record Profile(String name, int minimum, int maximum, int defaultCapacity, List<Rule> rules, FixedDate fixedDate,
                   Recurrence recurrence) {
        boolean isDefault() {
            return fixedDate == null && recurrence == null;
        }
    }

    record FixedDate(String timeZone, ZoneId zone, LocalDateTime start, LocalDateTime end) {
    }

    /** Weekly: the profile starts on each of {@code days} at each hour × minute, and runs until another starts. */
    record Recurrence(String timeZone, ZoneId zone, List<DayOfWeek> days, List<Integer> hours, List<Integer> minutes) {
    }

    enum Operator { Equals, NotEquals, GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual;

        boolean test(double value, double threshold) {
            return switch (this) {
                case Equals -> value == threshold;
                case NotEquals -> value != threshold;
                case GreaterThan -> value > threshold;
                case GreaterThanOrEqual -> value >= threshold;
                case LessThan -> value < threshold;
                case LessThanOrEqual -> value <= threshold;
            };
        }
    }

    enum Direction { None, Increase, Decrease }

    enum ChangeType { ChangeCount, PercentChangeCount, ExactCount }

    record Rule(MonitorMetric metric, String metricResourceUri, Duration timeGrain, Metrics.Statistic statistic,
                Duration timeWindow, Metrics.TimeAggregation timeAggregation, Operator operator, double threshold,
                Direction direction, ChangeType type, int value, Duration cooldown) {
    }

    /** Who hears of a scale action: e-mails (recorded) and webhooks (POSTed). */
    record Notification(boolean sendToSubscriptionAdministrator, boolean sendToSubscriptionCoAdministrators,
                        List<String> customEmails, List<Webhook> webhooks) {
    }

    record Webhook(String serviceUri, java.util.Map<String, String> properties) {
    }
}
