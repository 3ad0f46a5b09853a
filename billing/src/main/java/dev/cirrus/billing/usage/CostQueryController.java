package dev.cirrus.billing.usage;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

import dev.cirrus.billing.price.PriceSheet;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code Microsoft.CostManagement/query}, simplified: the cost of a subscription or resource group over a time frame,
 * summed per day ({@code granularity: Daily}) or over the whole frame ({@code None}), grouped by up to two dimensions
 * ({@code ResourceId}, {@code ResourceType}, {@code ResourceGroupName}, {@code ResourceLocation},
 * {@code MeterCategory}, {@code Meter}). The answer is Azure's table: {@code columns} (the aggregation, then
 * {@code UsageDate} as a number yyyyMMdd when daily, then the groupings, then {@code Currency}) and {@code rows}.
 * Each row's cost is its exact sum rounded once (see {@link Money}).
 *
 * <p>Time frames: {@code MonthToDate} / {@code BillingMonthToDate} (the current UTC month through today),
 * {@code TheLastMonth} / {@code TheLastBillingMonth}, {@code Custom} with {@code timePeriod.from} and {@code to}
 * (ISO date-times; their UTC days, both inclusive). {@code type} may be {@code ActualCost}, {@code AmortizedCost} or
 * {@code Usage}: Cirrus has no reservations, so they are the same.
 */
@RestController
class CostQueryController {

    private static final Map<String, Function<UsageLine, String>> DIMENSIONS = Map.of(
            "resourceid", UsageLine::resourceId,
            "resourcetype", UsageLine::resourceType,
            "resourcegroupname", UsageLine::resourceGroup,
            "resourcegroup", UsageLine::resourceGroup,
            "resourcelocation", UsageLine::location,
            "metercategory", UsageLine::meterCategory,
            "meter", UsageLine::meterName);
    private static final DateTimeFormatter USAGE_DATE = DateTimeFormatter.BASIC_ISO_DATE;

    private final UsageService usage;
    private final PriceSheet prices;
    private final Clock clock;

    CostQueryController(UsageService usage, PriceSheet prices, Clock clock) {
        this.usage = usage;
        this.prices = prices;
        this.clock = clock;
    }

    record QueryDefinition(String type, String timeframe, TimePeriod timePeriod, Dataset dataset) {
    }

    record TimePeriod(String from, String to) {
    }

    record Dataset(String granularity, Map<String, Aggregation> aggregation, List<Grouping> grouping) {
    }

    record Aggregation(String name, String function) {
    }

    record Grouping(String type, String name) {
    }

    record Column(String name, String type) {
    }

    record QueryResult(String id, String name, String type, Properties properties) {
    }

    record Properties(String nextLink, List<Column> columns, List<List<Object>> rows) {
    }

    @PostMapping("/subscriptions/{subscriptionId}/providers/Microsoft.CostManagement/query")
    QueryResult subscription(@PathVariable String subscriptionId,
                             @RequestParam(name = "api-version", required = false) String apiVersion,
                             @RequestBody QueryDefinition definition) {
        return query(subscriptionId, null, apiVersion, definition,
                "/subscriptions/" + subscriptionId + "/providers/Microsoft.CostManagement/query/");
    }

    @PostMapping("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.CostManagement/query")
    QueryResult resourceGroup(@PathVariable String subscriptionId, @PathVariable String resourceGroup,
                              @RequestParam(name = "api-version", required = false) String apiVersion,
                              @RequestBody QueryDefinition definition) {
        return query(subscriptionId, resourceGroup, apiVersion, definition, "/subscriptions/" + subscriptionId
                + "/resourceGroups/" + resourceGroup + "/providers/Microsoft.CostManagement/query/");
    }

    private QueryResult query(String subscriptionId, String resourceGroup, String apiVersion,
                              QueryDefinition definition, String idPrefix) {
        if (definition == null) {
            throw ArmException.badRequest("InvalidRequestContent", "The request has no query definition.", null);
        }
        if (definition.type() == null || !List.of("actualcost", "amortizedcost", "usage")
                .contains(definition.type().toLowerCase(Locale.ROOT))) {
            throw ArmException.invalidParameter("The query type '" + definition.type() + "' is not supported: use "
                    + "ActualCost, AmortizedCost or Usage.", "type");
        }
        UsageQuery period = period(definition).within(resourceGroup, null);
        Dataset dataset = definition.dataset() != null ? definition.dataset() : new Dataset(null, null, null);
        boolean daily = granularity(dataset.granularity());
        String costColumn = aggregation(dataset.aggregation());
        List<Grouping> groupings = dataset.grouping() == null ? List.of() : dataset.grouping();
        if (groupings.size() > 2) {
            throw ArmException.invalidParameter("At most 2 groupings are supported, not " + groupings.size() + ".",
                    "dataset.grouping");
        }
        List<Function<UsageLine, String>> keys = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        columns.add(new Column(costColumn, "Number"));
        if (daily) {
            columns.add(new Column("UsageDate", "Number"));
        }
        for (Grouping g : groupings) {
            Function<UsageLine, String> key = g.name() == null ? null : DIMENSIONS.get(g.name().toLowerCase(Locale.ROOT));
            if (g.type() == null || !g.type().equalsIgnoreCase("Dimension") || key == null) {
                throw ArmException.invalidParameter("The grouping " + g.type() + " '" + g.name() + "' is not "
                        + "supported: use type Dimension with ResourceId, ResourceType, ResourceGroupName, "
                        + "ResourceLocation, MeterCategory or Meter.", "dataset.grouping");
            }
            keys.add(key);
            columns.add(new Column(g.name(), "String"));
        }
        columns.add(new Column("Currency", "String"));

        // exact sums per row key (day, group values), in the order of the key
        Map<List<String>, BigDecimal> sums = new TreeMap<>(Comparator.comparing((List<String> k) -> String.join("\u0000", k)));
        for (UsageLine line : usage.usage(subscriptionId, period)) {
            List<String> key = new ArrayList<>();
            key.add(daily ? line.date().format(USAGE_DATE) : "");
            for (Function<UsageLine, String> k : keys) {
                key.add(k.apply(line) == null ? "" : k.apply(line));
            }
            sums.merge(key, line.costScaled(), BigDecimal::add);
        }
        List<List<Object>> rows = new ArrayList<>();
        sums.forEach((key, scaled) -> {
            List<Object> row = new ArrayList<>();
            row.add(Money.cost(scaled));
            if (daily) {
                row.add(Long.parseLong(key.getFirst()));
            }
            row.addAll(key.subList(1, key.size()));
            row.add(prices.currency());
            rows.add(row);
        });
        String name = UUID.randomUUID().toString();
        return new QueryResult(idPrefix + name, name, "Microsoft.CostManagement/query",
                new Properties(null, columns, rows));
    }

    private UsageQuery period(QueryDefinition d) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        String timeframe = d.timeframe() == null ? "" : d.timeframe().toLowerCase(Locale.ROOT);
        return switch (timeframe) {
            case "monthtodate", "billingmonthtodate" ->
                    UsageQuery.parse(today.withDayOfMonth(1).toString(), today.toString(), null, today);
            case "thelastmonth", "thelastbillingmonth" -> {
                LocalDate first = today.withDayOfMonth(1).minusMonths(1);
                yield UsageQuery.parse(first.toString(), first.plusMonths(1).minusDays(1).toString(), null, today);
            }
            case "custom" -> {
                if (d.timePeriod() == null) {
                    throw ArmException.invalidParameter("A Custom time frame needs a timePeriod with from and to.",
                            "timePeriod");
                }
                yield UsageQuery.parse(day(d.timePeriod().from(), "timePeriod.from").toString(),
                        day(d.timePeriod().to(), "timePeriod.to").toString(), null, today);
            }
            default -> throw ArmException.invalidParameter("The timeframe '" + d.timeframe() + "' is not supported: "
                    + "use MonthToDate, BillingMonthToDate, TheLastMonth, TheLastBillingMonth or Custom.", "timeframe");
        };
    }

    private static LocalDate day(String value, String target) {
        if (value == null) {
            throw ArmException.invalidParameter(target + " is required.", target);
        }
        try {
            return value.length() == 10 ? LocalDate.parse(value)
                    : OffsetDateTime.parse(value).atZoneSameInstant(ZoneOffset.UTC).toLocalDate();
        } catch (DateTimeParseException e) {
            throw ArmException.invalidParameter("The value '" + value + "' of " + target + " is not a date-time "
                    + "(2026-11-01T00:00:00Z).", target);
        }
    }

    private static boolean granularity(String granularity) {
        if (granularity == null || granularity.equalsIgnoreCase("None")) {
            return false;
        }
        if (granularity.equalsIgnoreCase("Daily")) {
            return true;
        }
        throw ArmException.invalidParameter("The granularity '" + granularity + "' is not supported: use None or "
                + "Daily.", "dataset.granularity");
    }

    /** The name of the cost column: the one aggregation's name ("Cost" when none is given); only Sum of cost. */
    private static String aggregation(Map<String, Aggregation> aggregation) {
        if (aggregation == null || aggregation.isEmpty()) {
            return "Cost";
        }
        if (aggregation.size() > 1) {
            throw ArmException.invalidParameter("Only one aggregation is supported.", "dataset.aggregation");
        }
        var entry = aggregation.entrySet().iterator().next();
        Aggregation a = entry.getValue();
        if (a == null || a.name() == null || !List.of("cost", "pretaxcost", "costusd")
                .contains(a.name().toLowerCase(Locale.ROOT)) || !"sum".equalsIgnoreCase(a.function())) {
            throw ArmException.invalidParameter("Only the Sum of Cost, PreTaxCost or CostUSD is supported.",
                    "dataset.aggregation");
        }
        return entry.getKey();
    }
}
