package dev.cirrus.computevm.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;

import org.springframework.stereotype.Service;

/**
 * Reads the stored samples as Azure Monitor does: per interval, the chosen aggregations over every sample in it
 * (a scale set's samples are its instances', pooled, or one series per instance when split by {@code VMName}).
 * {@link #series} and {@link #windowValue} are pure; the autoscale engine reads {@link #minuteStats} once a round.
 *
 * <p>Worked example: a set of two instances at 20 % and 60 % CPU for the minutes 12:00–12:04, interval PT5M: one
 * point at 12:00 with Average 40, Minimum 20, Maximum 60, Total 400, Count 10.
 */
@Service
public class Metrics {

    /** One point: the interval's start and the value of each aggregation asked (none when it has no sample). */
    public record Point(Instant start, Map<MonitorMetric.Aggregation, Double> values) {
    }

    /** How an autoscale rule combines instances per time grain ({@code statistic}). */
    public enum Statistic { Average, Min, Max, Sum, Count }

    /** How an autoscale rule combines the grains of its window ({@code timeAggregation}). */
    public enum TimeAggregation { Average, Minimum, Maximum, Total, Count, Last }

    private final MetricSamples samples;

    Metrics(MetricSamples samples) {
        this.samples = samples;
    }

    List<MetricSamples.Sample> samples(String key, boolean scaleSet, Instant from, Instant to) {
        return samples.between(key, scaleSet, from, to);
    }

    /**
     * The per-minute reductions of the given scale sets' samples in [{@code from}, {@code to}), one query for all of
     * them (the autoscale engine's round), grouped by set.
     */
    public Map<String, List<MinuteStats>> minuteStats(java.util.Collection<String> scaleSetKeys, Instant from,
                                                      Instant to) {
        Map<String, List<MinuteStats>> bySet = new java.util.HashMap<>();
        for (MinuteStats m : samples.minuteStats(scaleSetKeys, from, to)) {
            bySet.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m);
        }
        return bySet;
    }

    /**
     * An autoscale rule's value: of the minutes in [{@code to - window}, {@code to}), per {@code grain} the
     * {@code statistic} across the samples in it, then the {@code aggregation} across grains; empty when no sample
     * exists. Pure.
     */
    public static OptionalDouble windowValue(List<MinuteStats> minutes, MonitorMetric metric, Duration grain,
                                             Statistic statistic, Duration window, TimeAggregation aggregation,
                                             Instant to) {
        Instant from = to.minus(window);
        Map<Long, MinuteStats.Stat> byGrain = new java.util.TreeMap<>();
        for (MinuteStats m : minutes) {
            MinuteStats.Stat stat = m.stats().get(metric);
            if (stat == null || m.minute().isBefore(from) || !m.minute().isBefore(to)) {
                continue;
            }
            long bucket = Duration.between(from, m.minute()).toMillis() / grain.toMillis();
            byGrain.merge(bucket, stat, MinuteStats.Stat::plus);
        }
        if (byGrain.isEmpty()) {
            return OptionalDouble.empty();
        }
        List<Double> perGrain = new ArrayList<>();
        for (MinuteStats.Stat v : byGrain.values()) {
            perGrain.add(switch (statistic) {
                case Average -> v.sum() / v.count();
                case Min -> v.min();
                case Max -> v.max();
                case Sum -> v.sum();
                case Count -> (double) v.count();
            });
        }
        return OptionalDouble.of(switch (aggregation) {
            case Average -> perGrain.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            case Minimum -> perGrain.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            case Maximum -> perGrain.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            case Total -> perGrain.stream().mapToDouble(Double::doubleValue).sum();
            case Count -> (double) perGrain.size();
            case Last -> perGrain.getLast();
        });
    }

    /**
     * The points of one series: intervals from {@code start} (inclusive) to {@code end} (exclusive), each with the
     * aggregations of the samples whose minute falls in it.
     */
    static List<Point> series(List<MetricSamples.Sample> in, MonitorMetric metric, Instant start, Instant end,
                              Duration interval, List<MonitorMetric.Aggregation> aggregations) {
        List<Point> points = new ArrayList<>();
        int i = 0;
        for (Instant t = start; t.isBefore(end); t = t.plus(interval)) {
            Instant next = t.plus(interval);
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            int count = 0;
            while (i < in.size() && in.get(i).minute().isBefore(next)) {
                MetricSamples.Sample s = in.get(i++);
                if (s.minute().isBefore(t)) {
                    continue;
                }
                double v = metric.of(s);
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
                count++;
            }
            Map<MonitorMetric.Aggregation, Double> values = new EnumMap<>(MonitorMetric.Aggregation.class);
            if (count > 0) {
                for (MonitorMetric.Aggregation a : aggregations) {
                    values.put(a, switch (a) {
                        case Average -> sum / count;
                        case Minimum -> min;
                        case Maximum -> max;
                        case Total -> sum;
                        case Count -> (double) count;
                    });
                }
            }
            points.add(new Point(t, values));
        }
        return points;
    }

    /** Samples grouped by a key (the instance's display name, for a split), each group in minute order. */
    static Map<String, List<MetricSamples.Sample>> groupBy(List<MetricSamples.Sample> in,
                                                           Function<MetricSamples.Sample, String> key) {
        Map<String, List<MetricSamples.Sample>> groups = new LinkedHashMap<>();
        for (MetricSamples.Sample s : in) {
            groups.computeIfAbsent(key.apply(s), k -> new ArrayList<>()).add(s);
        }
        return groups;
    }
}
