package dev.cirrus.computevm.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import dev.cirrus.computevm.monitor.Metrics;
import dev.cirrus.computevm.monitor.MonitorMetric;
import org.junit.jupiter.api.Test;

/** The autoscale engine's decisions (autoscale/AutoscaleDecider.java), with its worked example first. */
class AutoscaleDeciderTest {

    private static final Instant NOW = Instant.parse("2026-12-09T12:00:00Z"); // a Wednesday
    private static final String SET = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/web";

    private static AutoscaleSetting.Rule rule(AutoscaleSetting.Operator op, double threshold,
                                              AutoscaleSetting.Direction direction, AutoscaleSetting.ChangeType type,
                                              int value, Duration cooldown) {
        return new AutoscaleSetting.Rule(MonitorMetric.PERCENTAGE_CPU, SET, Duration.ofMinutes(1),
                Metrics.Statistic.Average, Duration.ofMinutes(5), Metrics.TimeAggregation.Average, op, threshold,
                direction, type, value, cooldown);
    }

    private static final AutoscaleSetting.Rule OUT = rule(AutoscaleSetting.Operator.GreaterThan, 70,
            AutoscaleSetting.Direction.Increase, AutoscaleSetting.ChangeType.ChangeCount, 1, Duration.ofMinutes(5));
    private static final AutoscaleSetting.Rule IN = rule(AutoscaleSetting.Operator.LessThan, 30,
            AutoscaleSetting.Direction.Decrease, AutoscaleSetting.ChangeType.ChangeCount, 1, Duration.ofMinutes(5));

    private static AutoscaleSetting setting(AutoscaleSetting.Profile... profiles) {
        return new AutoscaleSetting(true, SET, List.of(profiles), List.of());
    }

    private static AutoscaleSetting.Profile profile(List<AutoscaleSetting.Rule> rules) {
        return new AutoscaleSetting.Profile("default", 1, 5, 2, rules, null, null);
    }

    private static AutoscaleDecider.MetricSource cpu(double value) {
        return (rule, now) -> OptionalDouble.of(value);
    }

    private static int decideTo(AutoscaleSetting setting, int current, AutoscaleDecider.MetricSource metrics,
                                Instant lastScale) {
        AutoscaleDecider.Decision d = AutoscaleDecider.decide(setting, NOW, current, metrics, lastScale);
        return d instanceof AutoscaleDecider.Scale s ? s.to() : current;
    }

    @Test
    void theWorkedExampleScalesOutOnHighCpuAndInOnLowCpu() {
        AutoscaleSetting s = setting(profile(List.of(OUT, IN)));
        assertThat(decideTo(s, 3, cpu(80), null)).isEqualTo(4);
        assertThat(decideTo(s, 3, cpu(20), null)).isEqualTo(2);
        assertThat(decideTo(s, 3, cpu(50), null)).isEqualTo(3);
    }

    @Test
    void aScaleInThatWouldTriggerAScaleOutIsSkippedAsFlapping() {
        AutoscaleSetting.Rule eager = rule(AutoscaleSetting.Operator.GreaterThan, 25,
                AutoscaleSetting.Direction.Increase, AutoscaleSetting.ChangeType.ChangeCount, 1, Duration.ofMinutes(5));
        AutoscaleDecider.Decision d = AutoscaleDecider.decide(setting(profile(List.of(OUT, IN, eager))), NOW, 3,
                cpu(20), null);
        assertThat(d).isInstanceOf(AutoscaleDecider.Hold.class);
        assertThat(d.reason()).contains("flapping");
    }

    @Test
    void theLargestScaleOutWinsAndIsCappedAtTheMaximum() {
        AutoscaleSetting.Rule big = rule(AutoscaleSetting.Operator.GreaterThan, 60, AutoscaleSetting.Direction.Increase,
                AutoscaleSetting.ChangeType.PercentChangeCount, 50, Duration.ofMinutes(5));
        AutoscaleSetting s = setting(profile(List.of(OUT, big)));
        assertThat(decideTo(s, 2, cpu(90), null)).as("+1 or +50% of 2 (1, rounded up): 3").isEqualTo(3);
        assertThat(decideTo(s, 4, cpu(90), null)).as("+50% of 4 = 6, capped at 5").isEqualTo(5);
    }

    @Test
    void aScaleInNeedsEveryDecreaseRuleAndTakesTheSmallestReduction() {
        AutoscaleSetting.Rule memory = new AutoscaleSetting.Rule(MonitorMetric.AVAILABLE_MEMORY_BYTES, SET,
                Duration.ofMinutes(1), Metrics.Statistic.Average, Duration.ofMinutes(5),
                Metrics.TimeAggregation.Average, AutoscaleSetting.Operator.GreaterThan, 1e9,
                AutoscaleSetting.Direction.Decrease, AutoscaleSetting.ChangeType.ChangeCount, 2, Duration.ofMinutes(5));
        AutoscaleSetting s = setting(profile(List.of(IN, memory)));
        Map<MonitorMetric, Double> lowCpuLittleMemory = Map.of(MonitorMetric.PERCENTAGE_CPU, 10.0,
                MonitorMetric.AVAILABLE_MEMORY_BYTES, 5e8);
        Map<MonitorMetric, Double> lowCpuMuchMemory = Map.of(MonitorMetric.PERCENTAGE_CPU, 10.0,
                MonitorMetric.AVAILABLE_MEMORY_BYTES, 2e9);
        assertThat(decideTo(s, 4, (r, n) -> OptionalDouble.of(lowCpuLittleMemory.get(r.metric())), null)).isEqualTo(4);
        assertThat(decideTo(s, 4, (r, n) -> OptionalDouble.of(lowCpuMuchMemory.get(r.metric())), null))
                .as("-1 and -2 both fire: the smaller reduction").isEqualTo(3);
    }

    @Test
    void aRuleInItsCooldownDoesNotAct() {
        AutoscaleSetting s = setting(profile(List.of(OUT, IN)));
        assertThat(decideTo(s, 3, cpu(80), NOW.minus(Duration.ofMinutes(4)))).isEqualTo(3);
        assertThat(decideTo(s, 3, cpu(80), NOW.minus(Duration.ofMinutes(5)))).isEqualTo(4);
    }

    @Test
    void aCapacityOutsideTheBoundsIsBroughtToTheNearestOne() {
        AutoscaleSetting s = setting(profile(List.of(OUT, IN)));
        assertThat(decideTo(s, 0, cpu(50), null)).isEqualTo(1);
        assertThat(decideTo(s, 9, cpu(50), null)).isEqualTo(5);
    }

    @Test
    void withoutMetricsACapacityBelowTheDefaultRisesToItButAHigherOneStays() {
        AutoscaleSetting s = setting(profile(List.of(OUT, IN)));
        AutoscaleDecider.MetricSource none = (r, n) -> OptionalDouble.empty();
        assertThat(decideTo(s, 1, none, null)).isEqualTo(2);
        assertThat(decideTo(s, 4, none, null)).isEqualTo(4);
    }

    @Test
    void aFixedDateProfileWinsOverARecurrenceWhichWinsOverTheDefault() {
        ZoneId utc = ZoneId.of("UTC");
        AutoscaleSetting.Profile fixed = new AutoscaleSetting.Profile("launch", 8, 10, 8, List.of(),
                new AutoscaleSetting.FixedDate("UTC", utc, LocalDateTime.parse("2026-12-09T11:00:00"),
                        LocalDateTime.parse("2026-12-09T13:00:00")), null);
        AutoscaleSetting.Profile weekdays = new AutoscaleSetting.Profile("weekdays", 3, 6, 3, List.of(), null,
                new AutoscaleSetting.Recurrence("UTC", utc, List.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY), List.of(8),
                        List.of(0)));
        AutoscaleSetting.Profile weekend = new AutoscaleSetting.Profile("weekend", 1, 2, 1, List.of(), null,
                new AutoscaleSetting.Recurrence("UTC", utc, List.of(DayOfWeek.SATURDAY), List.of(0), List.of(0)));
        AutoscaleSetting.Profile def = profile(List.of());
        assertThat(AutoscaleDecider.activeProfile(setting(def, weekend, weekdays, fixed), NOW).name()).isEqualTo("launch");
        assertThat(AutoscaleDecider.activeProfile(setting(def, weekend, weekdays), NOW).name())
                .as("started Wednesday 08:00, after Saturday's").isEqualTo("weekdays");
        assertThat(AutoscaleDecider.activeProfile(setting(def, weekend, weekdays), NOW.plus(Duration.ofDays(3))).name())
                .as("Saturday 12:00: the weekend profile started at 00:00").isEqualTo("weekend");
        assertThat(AutoscaleDecider.activeProfile(setting(def), NOW).name()).isEqualTo("default");
    }

    @Test
    void aProfileWithoutRulesHoldsItsDefaultCapacity() {
        AutoscaleSetting.Profile fixed = new AutoscaleSetting.Profile("launch", 8, 10, 9, List.of(),
                new AutoscaleSetting.FixedDate("UTC", ZoneId.of("UTC"), LocalDateTime.parse("2026-12-09T11:00:00"),
                        LocalDateTime.parse("2026-12-09T13:00:00")), null);
        assertThat(decideTo(setting(profile(List.of(OUT)), fixed), 8, cpu(99), null)).isEqualTo(9);
    }
}
