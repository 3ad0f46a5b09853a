package dev.cirrus.placement.allocation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which filters run, in what order, and the scorers' weights: {@code cirrus.placement.scheduler.*}, checked when
 * bound (a bad value stops start-up naming every problem).
 *
 * @param filters in the order they run; names from {@link #FILTERS}; must contain capacity and host-health
 * @param weights a weight per scorer name from {@link #SCORERS}; finite; a missing scorer weighs 0
 */
@ConfigurationProperties("cirrus.placement.scheduler")
public record SchedulerProperties(List<String> filters, Map<String, Double> weights) {

    static final Map<String, Supplier<HostFilter>> FILTERS = Map.of(
            HostHealthFilter.NAME, HostHealthFilter::new,
            CapacityFilter.NAME, CapacityFilter::new,
            GroupClusterFilter.NAME, GroupClusterFilter::new,
            FaultDomainFilter.NAME, FaultDomainFilter::new);

    static final Map<String, Supplier<HostScorer>> SCORERS = Map.of(
            PackScorer.NAME, PackScorer::new,
            SpreadScorer.NAME, SpreadScorer::new);

    public SchedulerProperties {
        // health first: a failed host is reported as failed, not as full; then room; then the set's rules
        filters = filters == null || filters.isEmpty()
                ? List.of(HostHealthFilter.NAME, CapacityFilter.NAME, GroupClusterFilter.NAME, FaultDomainFilter.NAME)
                : List.copyOf(filters);
        // packing (best fit) by default, as Azure's allocator does: fewer hosts opened, whole hosts kept for big VMs
        weights = weights == null || weights.isEmpty()
                ? Map.of(PackScorer.NAME, 1.0) : new LinkedHashMap<>(weights);
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : filters) {
            if (!FILTERS.containsKey(name)) {
                problems.add("cirrus.placement.scheduler.filters: unknown filter '" + name + "' (known: "
                        + String.join(", ", FILTERS.keySet().stream().sorted().toList()) + ")");
            } else if (!seen.add(name)) {
                problems.add("cirrus.placement.scheduler.filters: '" + name + "' is listed twice");
            }
        }
        for (String required : List.of(CapacityFilter.NAME, HostHealthFilter.NAME)) {
            if (!filters.contains(required)) {
                problems.add("cirrus.placement.scheduler.filters must contain '" + required + "'");
            }
        }
        weights.forEach((name, weight) -> {
            if (!SCORERS.containsKey(name)) {
                problems.add("cirrus.placement.scheduler.weights: unknown scorer '" + name + "' (known: "
                        + String.join(", ", SCORERS.keySet().stream().sorted().toList()) + ")");
            } else if (weight == null || !Double.isFinite(weight)) {
                problems.add("cirrus.placement.scheduler.weights." + name + " must be a finite number, got " + weight);
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    static SchedulerProperties defaults() {
        return new SchedulerProperties(null, null);
    }

    /** The scheduler this configuration describes. */
    Scheduler scheduler() {
        Map<HostScorer, Double> scorers = new LinkedHashMap<>();
        weights.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> scorers.put(SCORERS.get(e.getKey()).get(), e.getValue()));
        return new Scheduler(filters.stream().map(f -> FILTERS.get(f).get()).toList(), scorers);
    }
}
