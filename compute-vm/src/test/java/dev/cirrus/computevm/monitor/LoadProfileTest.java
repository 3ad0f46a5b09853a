package dev.cirrus.computevm.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

/** The load model's worked examples (monitor/LoadProfile.java) and the aggregation's (monitor/Metrics.java). */
class LoadProfileTest {

    private static final Instant NOON = Instant.parse("2026-12-07T12:00:00Z");
    private static final LoadProfile.Traffic NONE = LoadProfile.Traffic.IDLE;

    @Test
    void aConstantProfileIsTheSameAtAnyTimeAndClampedToOneHundred() {
        assertThat(new LoadProfile.Constant(70, NONE).percentCpuAt(NOON)).isEqualTo(70);
        assertThat(new LoadProfile.Constant(70, NONE).percentCpuAt(NOON.plusSeconds(86_400))).isEqualTo(70);
    }

    @Test
    void aStepChangesAtItsInstant() {
        LoadProfile step = new LoadProfile.Step(10, 90, NOON, NONE);
        assertThat(step.percentCpuAt(NOON.minusSeconds(1))).isEqualTo(10);
        assertThat(step.percentCpuAt(NOON)).isEqualTo(90);
    }

    @Test
    void aRampGoesLinearlyFromItsStartOverItsDuration() {
        LoadProfile ramp = new LoadProfile.Ramp(10, 90, NOON, Duration.ofMinutes(10), NONE);
        assertThat(ramp.percentCpuAt(NOON.minusSeconds(60))).isEqualTo(10);
        assertThat(ramp.percentCpuAt(NOON.plusSeconds(300))).isCloseTo(50, within(1e-9));
        assertThat(ramp.percentCpuAt(NOON.plusSeconds(600))).isEqualTo(90);
        assertThat(ramp.percentCpuAt(NOON.plusSeconds(6000))).isEqualTo(90);
    }

    @Test
    void aSineSwingsAroundItsMeanAndStaysWithinZeroAndOneHundred() {
        LoadProfile sine = new LoadProfile.Sine(50, 40, Duration.ofMinutes(20), NOON, NONE);
        assertThat(sine.percentCpuAt(NOON)).isCloseTo(50, within(1e-9));
        assertThat(sine.percentCpuAt(NOON.plusSeconds(300))).isCloseTo(90, within(1e-9));
        assertThat(sine.percentCpuAt(NOON.plusSeconds(600))).isCloseTo(50, within(1e-9));
        assertThat(sine.percentCpuAt(NOON.plusSeconds(900))).isCloseTo(10, within(1e-9));
        LoadProfile wide = new LoadProfile.Sine(80, 60, Duration.ofMinutes(20), NOON, NONE);
        assertThat(wide.percentCpuAt(NOON.plusSeconds(300))).isEqualTo(100);
    }

    @Test
    void aSampleTakesTheProfileAtTheMinutesMiddleAndTheTrafficOfAWholeMinute() {
        LoadProfile ramp = new LoadProfile.Ramp(0, 100, NOON, Duration.ofMinutes(1),
                new LoadProfile.Traffic(1000, 500, 25));
        MetricSamples.Sample s = MetricSampler.sample(ramp,
                new MonitoredResources.Running("vm", null, "vm", 1024), NOON);
        assertThat(s.percentCpu()).isCloseTo(50, within(1e-9));
        assertThat(s.networkInBytes()).isEqualTo(60_000);
        assertThat(s.networkOutBytes()).isEqualTo(30_000);
        assertThat(s.availableMemoryBytes()).isEqualTo(768.0 * 1024 * 1024);
    }

    private static MetricSamples.Sample cpu(String vm, int minute, double percent) {
        return new MetricSamples.Sample(vm, "set", vm, NOON.plusSeconds(60L * minute), percent, 0, 0, 0);
    }

    @Test
    void fiveMinutesOfTwoInstancesMakeOnePointOfTheirPooledSamples() {
        List<MetricSamples.Sample> samples = List.of(
                cpu("a", 0, 20), cpu("b", 0, 60), cpu("a", 1, 20), cpu("b", 1, 60), cpu("a", 2, 20), cpu("b", 2, 60),
                cpu("a", 3, 20), cpu("b", 3, 60), cpu("a", 4, 20), cpu("b", 4, 60));
        List<Metrics.Point> points = Metrics.series(samples, MonitorMetric.PERCENTAGE_CPU, NOON, NOON.plusSeconds(600),
                Duration.ofMinutes(5), List.of(MonitorMetric.Aggregation.values()));
        assertThat(points).hasSize(2);
        assertThat(points.get(0).values()).containsEntry(MonitorMetric.Aggregation.Average, 40.0)
                .containsEntry(MonitorMetric.Aggregation.Minimum, 20.0)
                .containsEntry(MonitorMetric.Aggregation.Maximum, 60.0)
                .containsEntry(MonitorMetric.Aggregation.Total, 400.0)
                .containsEntry(MonitorMetric.Aggregation.Count, 10.0);
        assertThat(points.get(1).values()).as("no sample, no value").isEmpty();
    }

    @Test
    void anAutoscaleWindowTakesTheStatisticPerGrainThenTheTimeAggregation() {
        List<MetricSamples.Sample> samples = List.of(cpu("a", 0, 10), cpu("b", 0, 30), cpu("a", 1, 50),
                cpu("b", 1, 90));
        List<MinuteStats> minutes = MinuteStats.of(samples, true);
        Instant end = NOON.plusSeconds(120);
        Duration window = Duration.ofMinutes(2);
        OptionalDouble averageOfMaxima = Metrics.windowValue(minutes, MonitorMetric.PERCENTAGE_CPU,
                Duration.ofMinutes(1), Metrics.Statistic.Max, window, Metrics.TimeAggregation.Average, end);
        assertThat(averageOfMaxima).hasValue(60.0);
        assertThat(Metrics.windowValue(minutes, MonitorMetric.PERCENTAGE_CPU, Duration.ofMinutes(1),
                Metrics.Statistic.Average, window, Metrics.TimeAggregation.Last, end)).hasValue(70.0);
        assertThat(Metrics.windowValue(minutes, MonitorMetric.PERCENTAGE_CPU, Duration.ofMinutes(2),
                Metrics.Statistic.Sum, window, Metrics.TimeAggregation.Total, end)).as("one grain of both minutes")
                .hasValue(180.0);
        assertThat(Metrics.windowValue(minutes, MonitorMetric.PERCENTAGE_CPU, Duration.ofMinutes(1),
                Metrics.Statistic.Average, Duration.ofMinutes(1), Metrics.TimeAggregation.Average, NOON.plusSeconds(60)))
                .as("only the first minute is in a one-minute window ending at its end").hasValue(20.0);
        assertThat(Metrics.windowValue(List.of(), MonitorMetric.PERCENTAGE_CPU, Duration.ofMinutes(1),
                Metrics.Statistic.Average, window, Metrics.TimeAggregation.Average, end)).isEmpty();
    }
}
