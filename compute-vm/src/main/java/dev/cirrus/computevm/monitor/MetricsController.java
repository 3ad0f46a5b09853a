package dev.cirrus.computevm.monitor;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.plumbing.arm.ArmPaging;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Azure Monitor's metrics API for VMs and scale sets ({@code …/providers/Microsoft.Insights/metrics} and
 * {@code …/metricDefinitions}, api-version 2018-01-01 and later): {@code timespan} ({@code start/end},
 * {@code start/duration} or {@code duration/end}; default the last hour), {@code interval} (PT1M, PT5M, PT15M, PT30M,
 * PT1H, PT6H, PT12H, P1D or FULL; default PT1M), {@code metricnames} (comma-separated; default Percentage CPU),
 * {@code aggregation} (Average, Minimum, Maximum, Total, Count; default each metric's primary) and, for a scale set,
 * {@code $filter} on the {@code VMName} dimension ({@code VMName eq '*'} splits by instance;
 * {@code VMName eq 'set_0' or VMName eq 'set_2'} keeps and splits those).
 */
@RestController
@RequestMapping("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.Compute")
class MetricsController {

    private static final String VM = "/virtualMachines/{name}/providers/Microsoft.Insights";
    private static final String SET = "/virtualMachineScaleSets/{name}/providers/Microsoft.Insights";
    private static final List<String> INTERVALS = List.of("PT1M", "PT5M", "PT15M", "PT30M", "PT1H", "PT6H", "PT12H",
            "P1D");
    private static final int MAX_POINTS = 50_000;
    private static final Pattern VM_NAME_TERM = Pattern.compile("\\s*VMName\\s+eq\\s+'([^']*)'\\s*",
            Pattern.CASE_INSENSITIVE);

    private final Metrics metrics;
    private final MonitoredResources resources;
    private final MonitorClock clock;
    private final ObjectMapper json;

    MetricsController(Metrics metrics, MonitoredResources resources, MonitorClock clock, ObjectMapper json) {
        this.metrics = metrics;
        this.resources = resources;
        this.clock = clock;
        this.json = json;
    }

    @GetMapping({VM + "/metrics", SET + "/metrics"})
    ObjectNode metrics(@PathVariable String subscriptionId, HttpServletRequest request) {
        ResourceId.requireSubscriptionId(subscriptionId);
        String id = resourceId(request);
        MonitoredResources.Target target = target(id);
        boolean set = target.kind() == MonitoredResources.Kind.SCALE_SET;
        Instant[] span = timespan(ArmPaging.parameter(request, "timespan"));
        String intervalText = ArmPaging.parameter(request, "interval");
        Duration interval = interval(intervalText, span);
        List<MonitorMetric> names = metricNames(ArmPaging.parameter(request, "metricnames"), set);
        List<MonitorMetric.Aggregation> asked = aggregations(ArmPaging.parameter(request, "aggregation"));
        Set<String> split = vmNames(ArmPaging.parameter(request, "$filter"), set);
        Instant start = alignDown(span[0], interval);
        if (Duration.between(start, span[1]).toMillis() / interval.toMillis() > MAX_POINTS) {
            throw ArmException.badRequest("BadRequest", "The timespan and interval ask for more than " + MAX_POINTS
                    + " points; use a longer interval or a shorter timespan.", "interval");
        }
        List<MetricSamples.Sample> samples = metrics.samples(target.key(), set, start, span[1]);

        ObjectNode body = json.createObjectNode();
        body.put("cost", 0);
        body.put("timespan", span[0] + "/" + span[1]);
        body.put("interval", intervalText == null || intervalText.isBlank() ? "PT1M" : intervalText.strip().toUpperCase(Locale.ROOT));
        ArrayNode value = body.putArray("value");
        for (MonitorMetric metric : names) {
            List<MonitorMetric.Aggregation> aggs = asked.isEmpty() ? List.of(metric.primary()) : asked;
            ObjectNode m = value.addObject();
            m.put("id", id + "/providers/Microsoft.Insights/metrics/" + metric.displayName());
            m.put("type", "Microsoft.Insights/metrics");
            m.set("name", name(metric.displayName()));
            m.put("displayDescription", metric.description());
            m.put("unit", metric.unit());
            ArrayNode series = m.putArray("timeseries");
            if (split == null) {
                addSeries(series, null, Metrics.series(samples, metric, start, span[1], interval, aggs), aggs);
            } else {
                Map<String, List<MetricSamples.Sample>> byVm = Metrics.groupBy(samples, MetricSamples.Sample::displayName);
                for (Map.Entry<String, List<MetricSamples.Sample>> e : byVm.entrySet()) {
                    if (split.isEmpty() || split.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                        addSeries(series, e.getKey(), Metrics.series(e.getValue(), metric, start, span[1], interval,
                                aggs), aggs);
                    }
                }
            }
            m.put("errorCode", "Success");
        }
        body.put("namespace", set ? "Microsoft.Compute/virtualMachineScaleSets" : "Microsoft.Compute/virtualMachines");
        body.put("resourceregion", target.location());
        return body;
    }

    @GetMapping({VM + "/metricDefinitions", SET + "/metricDefinitions"})
    ObjectNode definitions(@PathVariable String subscriptionId, HttpServletRequest request) {
        ResourceId.requireSubscriptionId(subscriptionId);
        String id = resourceId(request);
        boolean set = target(id).kind() == MonitoredResources.Kind.SCALE_SET;
        ObjectNode body = json.createObjectNode();
        ArrayNode value = body.putArray("value");
        for (MonitorMetric metric : MonitorMetric.values()) {
            ObjectNode d = value.addObject();
            d.put("id", id + "/providers/microsoft.insights/metricdefinitions/" + metric.displayName());
            d.put("resourceId", id);
            d.put("namespace", set ? "Microsoft.Compute/virtualMachineScaleSets" : "Microsoft.Compute/virtualMachines");
            d.set("name", name(metric.displayName()));
            d.put("displayDescription", metric.description());
            d.put("category", metric == MonitorMetric.PERCENTAGE_CPU ? "Compute"
                    : metric == MonitorMetric.AVAILABLE_MEMORY_BYTES ? "Memory" : "Network");
            d.put("isDimensionRequired", false);
            d.put("unit", metric.unit());
            d.put("primaryAggregationType", metric.primary().name());
            ArrayNode supported = d.putArray("supportedAggregationTypes");
            supported.add("None");
            for (MonitorMetric.Aggregation a : MonitorMetric.Aggregation.values()) {
                supported.add(a.name());
            }
            ArrayNode availabilities = d.putArray("metricAvailabilities");
            for (String grain : List.of("PT1M", "PT5M", "PT15M", "PT30M", "PT1H", "PT6H", "PT12H", "P1D")) {
                availabilities.addObject().put("timeGrain", grain).put("retention", "P93D");
            }
            if (set) {
                d.putArray("dimensions").add(name("VMName"));
            }
        }
        return body;
    }

    private void addSeries(ArrayNode series, String vmName, List<Metrics.Point> points,
                           List<MonitorMetric.Aggregation> aggs) {
        ObjectNode s = series.addObject();
        ArrayNode metadata = s.putArray("metadatavalues");
        if (vmName != null) {
            metadata.addObject().<ObjectNode>set("name", name("vmname")).put("value", vmName);
        }
        ArrayNode data = s.putArray("data");
        for (Metrics.Point p : points) {
            ObjectNode d = data.addObject();
            d.put("timeStamp", p.start().toString());
            for (MonitorMetric.Aggregation a : aggs) {
                Double v = p.values().get(a);
                if (v != null) {
                    d.put(a.name().toLowerCase(Locale.ROOT), v);
                }
            }
        }
    }

    private ObjectNode name(String value) {
        return json.createObjectNode().put("value", value).put("localizedValue", value);
    }

    private MonitoredResources.Target target(String id) {
        return resources.find(id.toLowerCase(Locale.ROOT)).orElseThrow(() -> ArmException.notFound("ResourceNotFound",
                "The Resource '" + id.substring(id.indexOf("/providers/") + "/providers/".length())
                        + "' under resource group '" + id.split("/")[4] + "' was not found."));
    }

    private static String resourceId(HttpServletRequest request) {
        String path = request.getRequestURI();
        return path.substring(0, path.toLowerCase(Locale.ROOT).lastIndexOf("/providers/microsoft.insights/"));
    }

    /** {@code [start, end)}; the last hour of monitor time when absent. */
    Instant[] timespan(String text) {
        Instant now = clock.now();
        if (text == null || text.isBlank()) {
            return new Instant[] {now.minus(Duration.ofHours(1)), now};
        }
        String[] parts = text.strip().split("/");
        try {
            Instant start;
            Instant end;
            if (parts.length == 1) {
                end = now;
                start = end.minus(Duration.parse(parts[0]));
            } else if (parts.length == 2 && parts[0].toUpperCase(Locale.ROOT).startsWith("P")) {
                end = instant(parts[1]);
                start = end.minus(Duration.parse(parts[0]));
            } else if (parts.length == 2 && parts[1].toUpperCase(Locale.ROOT).startsWith("P")) {
                start = instant(parts[0]);
                end = start.plus(Duration.parse(parts[1]));
            } else if (parts.length == 2) {
                start = instant(parts[0]);
                end = instant(parts[1]);
            } else {
                throw new DateTimeParseException("not an interval", text, 0);
            }
            if (!start.isBefore(end)) {
                throw ArmException.badRequest("BadRequest", "Invalid time interval input: the start time "
                        + start + " must be before the end time " + end + ".", "timespan");
            }
            return new Instant[] {start, end};
        } catch (DateTimeParseException | ArithmeticException e) {
            throw ArmException.badRequest("BadRequest", "Invalid time interval input: '" + text
                    + "'. Use an ISO 8601 interval such as 2026-12-07T10:00:00Z/2026-12-07T11:00:00Z or PT1H.",
                    "timespan");
        }
    }

    private static Instant instant(String text) {
        return OffsetDateTime.parse(text.strip()).toInstant();
    }

    private static Duration interval(String text, Instant[] span) {
        if (text == null || text.isBlank()) {
            return Duration.ofMinutes(1);
        }
        String upper = text.strip().toUpperCase(Locale.ROOT);
        if (upper.equals("FULL")) {
            Duration whole = Duration.between(alignDown(span[0], Duration.ofMinutes(1)), span[1]);
            return whole.isZero() ? Duration.ofMinutes(1) : whole;
        }
        if (!INTERVALS.contains(upper)) {
            throw ArmException.badRequest("BadRequest", "Invalid interval '" + text + "'. Supported intervals: "
                    + String.join(", ", INTERVALS) + ", FULL.", "interval");
        }
        return Duration.parse(upper);
    }

    private static Instant alignDown(Instant t, Duration interval) {
        long unit = interval.toMillis() >= Duration.ofDays(1).toMillis() ? Duration.ofDays(1).toMillis()
                : interval.toMillis();
        long ms = t.truncatedTo(ChronoUnit.MINUTES).toEpochMilli();
        return Instant.ofEpochMilli(ms - Math.floorMod(ms, unit));
    }

    private static List<MonitorMetric> metricNames(String text, boolean set) {
        if (text == null || text.isBlank()) {
            return List.of(MonitorMetric.PERCENTAGE_CPU);
        }
        Set<MonitorMetric> names = new LinkedHashSet<>();
        for (String name : text.split(",")) {
            names.add(MonitorMetric.named(name).orElseThrow(() -> ArmException.badRequest("BadRequest",
                    "Failed to find metric configuration for provider: Microsoft.Compute, resource Type: "
                            + (set ? "virtualMachineScaleSets" : "virtualMachines") + ", metric: " + name.strip()
                            + ", Valid metrics: " + MonitorMetric.names(), "metricnames")));
        }
        return new ArrayList<>(names);
    }

    private static List<MonitorMetric.Aggregation> aggregations(String text) {
        List<MonitorMetric.Aggregation> list = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return list;
        }
        for (String a : text.split(",")) {
            MonitorMetric.Aggregation found = null;
            for (MonitorMetric.Aggregation candidate : MonitorMetric.Aggregation.values()) {
                if (candidate.name().equalsIgnoreCase(a.strip())) {
                    found = candidate;
                }
            }
            if (found == null) {
                throw ArmException.badRequest("BadRequest", "Invalid aggregation type '" + a.strip()
                        + "'. Supported: Average, Minimum, Maximum, Total, Count.", "aggregation");
            }
            if (!list.contains(found)) {
                list.add(found);
            }
        }
        return list;
    }

    /** null: no split; empty: every instance; else the lower-cased names kept. */
    private static Set<String> vmNames(String filter, boolean set) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        for (String term : filter.split("(?i)\\s+or\\s+")) {
            Matcher m = VM_NAME_TERM.matcher(term);
            if (!m.matches() || !set) {
                throw ArmException.badRequest("BadRequest", "Invalid $filter '" + filter + "': "
                        + (set ? "only the dimension VMName can be filtered (VMName eq '*' or VMName eq '{name}')"
                        : "virtual machine metrics have no dimensions") + ".", "$filter");
            }
            if (m.group(1).equals("*")) {
                return Set.of();
            }
            names.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        return names;
    }
}
