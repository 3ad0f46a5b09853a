package dev.cirrus.computevm.monitor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The samples of one scale set (or VM) in one minute, reduced per metric to count, sum, minimum and maximum: all an
 * autoscale rule needs (an average over the instances is sum / count). The engine reads these for every setting at
 * once ({@link Metrics#minuteStats}) instead of the samples themselves.
 */
public record MinuteStats(String key, Instant minute, Map<MonitorMetric, Stat> stats) {

    /** One metric's reduction: never empty (count ≥ 1). */
    public record Stat(long count, double sum, double min, double max) {
        Stat plus(Stat o) {
            return new Stat(count + o.count, sum + o.sum, Math.min(min, o.min), Math.max(max, o.max));
        }
    }

    /** The reduction of samples (any order) per key and minute, in minute order. */
    static List<MinuteStats> of(List<MetricSamples.Sample> samples, boolean byScaleSet) {
        Map<String, Map<Instant, Map<MonitorMetric, Stat>>> all = new TreeMap<>();
        for (MetricSamples.Sample s : samples) {
            String key = byScaleSet ? s.scaleSetKey() : s.resourceKey();
            Map<MonitorMetric, Stat> minute = all.computeIfAbsent(key, k -> new TreeMap<>())
                    .computeIfAbsent(s.minute(), m -> new EnumMap<>(MonitorMetric.class));
            for (MonitorMetric metric : MonitorMetric.values()) {
                double v = metric.of(s);
                minute.merge(metric, new Stat(1, v, v, v), Stat::plus);
            }
        }
        List<MinuteStats> out = new ArrayList<>();
        all.forEach((key, minutes) -> minutes.forEach((minute, stats) -> out.add(new MinuteStats(key, minute, stats))));
        return out;
    }
}
