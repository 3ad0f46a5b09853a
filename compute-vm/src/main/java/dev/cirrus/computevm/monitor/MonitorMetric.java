package dev.cirrus.computevm.monitor;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The platform metrics Cirrus measures for VMs and scale sets (from the load model: monitor/LoadProfile.java), with
 * Azure Monitor's names, units and primary aggregations for {@code Microsoft.Compute/virtualMachines} and
 * {@code virtualMachineScaleSets}.
 */
public enum MonitorMetric {
    PERCENTAGE_CPU("Percentage CPU", "Percent", Aggregation.Average,
            "The percentage of allocated compute units that are currently in use by the Virtual Machine(s)"),
    NETWORK_IN_TOTAL("Network In Total", "Bytes", Aggregation.Total,
            "The number of bytes received on all network interfaces by the Virtual Machine(s) (Incoming Traffic)"),
    NETWORK_OUT_TOTAL("Network Out Total", "Bytes", Aggregation.Total,
            "The number of bytes out on all network interfaces by the Virtual Machine(s) (Outgoing Traffic)"),
    AVAILABLE_MEMORY_BYTES("Available Memory Bytes", "Bytes", Aggregation.Average,
            "Amount of physical memory, in bytes, immediately available for allocation to a process or for system use "
                    + "in the Virtual Machine");

    /** Azure Monitor's aggregation types, as the metrics API names them. */
    public enum Aggregation { Average, Minimum, Maximum, Total, Count }

    private final String displayName;
    private final String unit;
    private final Aggregation primary;
    private final String description;

    MonitorMetric(String displayName, String unit, Aggregation primary, String description) {
        this.displayName = displayName;
        this.unit = unit;
        this.primary = primary;
        this.description = description;
    }

    public String displayName() {
        return displayName;
    }

    public String unit() {
        return unit;
    }

    public Aggregation primary() {
        return primary;
    }

    public String description() {
        return description;
    }

    /** The metric of a sample. */
    public double of(MetricSamples.Sample s) {
        return switch (this) {
            case PERCENTAGE_CPU -> s.percentCpu();
            case NETWORK_IN_TOTAL -> s.networkInBytes();
            case NETWORK_OUT_TOTAL -> s.networkOutBytes();
            case AVAILABLE_MEMORY_BYTES -> s.availableMemoryBytes();
        };
    }

    /** By name, case-insensitively, as the metrics API and autoscale rules name it. */
    public static Optional<MonitorMetric> named(String name) {
        return Arrays.stream(values()).filter(m -> m.displayName.equalsIgnoreCase(name.strip())).findFirst();
    }

    public static String names() {
        return Arrays.stream(values()).map(MonitorMetric::displayName).collect(Collectors.joining(","));
    }
}
