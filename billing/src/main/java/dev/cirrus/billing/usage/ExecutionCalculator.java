package dev.cirrus.billing.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.cirrus.billing.meter.EventReader;
import dev.cirrus.billing.price.PriceSheet;

/**
 * Prices the per-execution meters (Functions, Logic Apps) from their daily sums, and applies the Functions free grant.
 *
 * <p>The grant (1,000,000 executions and 400,000 GB-s per subscription per calendar month, from the price sheet) is
 * applied before the price, in date order, then resource id order within a day: the first usage of a month is free
 * until the grant is used up. A line's cost is {@code (quantity - free part) x unitPrice}; the sum of a month's lines
 * is thus exactly {@code max(0, total - grant) x price}, and since the allocation depends only on the daily sums, it
 * does not depend on the order events arrived in.
 *
 * <p>Example: 1,200,000 executions on 3 Nov and 300,000 on 4 Nov: 3 Nov is 1.2 (M) with 1 free, cost 0.2 x 0.20 =
 * 0.04; 4 Nov is 0.3 at 0.06. Prices are those of the current sheet.
 */
final class ExecutionCalculator {

    private ExecutionCalculator() {
    }

    /** One stored daily sum (table execution_usage). */
    record DailyUsage(String resourceKey, String resourceId, String resourceType, String subscriptionId,
                      String resourceGroup, String resourceName, String location, String meterCategory,
                      String meterName, String unitOfMeasure, LocalDate date, BigDecimal quantity) {
    }

    /**
     * @param usage every daily sum of the subscription in the months the period touches (the grant needs the whole
     *              month), of which only the days in [from, to) become lines
     */
    static List<UsageLine> lines(List<DailyUsage> usage, PriceSheet prices, Instant from, Instant to, Instant now) {
        List<DailyUsage> sorted = new ArrayList<>(usage);
        sorted.sort(Comparator.comparing(DailyUsage::date).thenComparing(DailyUsage::resourceKey)
                .thenComparing(DailyUsage::meterName));
        Map<String, BigDecimal> grantLeft = new HashMap<>();
        List<UsageLine> lines = new ArrayList<>();
        for (DailyUsage u : sorted) {
            BigDecimal price = unitPrice(prices, u.meterName());
            if (price == null) {
                continue;   // a meter the current sheet no longer prices: not billed (the start-up check prevents it)
            }
            BigDecimal billable = u.quantity();
            BigDecimal grant = grant(prices, u.meterName());
            if (grant != null) {
                String key = u.subscriptionId().toLowerCase() + "|" + YearMonth.from(u.date()) + "|" + u.meterName();
                BigDecimal left = grantLeft.getOrDefault(key, grant);
                BigDecimal free = left.min(billable);
                grantLeft.put(key, left.subtract(free));
                billable = billable.subtract(free);
            }
            Instant dayStart = u.date().atStartOfDay(ZoneOffset.UTC).toInstant();
            if (dayStart.isBefore(from) || !dayStart.isBefore(to)) {
                continue;
            }
            Instant dayEnd = u.date().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            lines.add(new UsageLine(u.resourceKey(), u.resourceId(), u.resourceType(), u.subscriptionId(),
                    u.resourceGroup(), u.resourceName(), u.location(), u.meterCategory(), u.meterName(),
                    u.unitOfMeasure(), price, prices.currency(), u.date(), dayStart,
                    now.isBefore(dayEnd) && now.isAfter(dayStart) ? now : dayEnd, 0, Money.scaled(u.quantity()),
                    Money.scaled(billable.multiply(price)), false));
        }
        return lines;
    }

    private static BigDecimal unitPrice(PriceSheet prices, String meter) {
        return switch (meter) {
            case EventReader.EXECUTIONS_METER -> prices.functions().perMillionExecutions();
            case EventReader.EXECUTION_TIME_METER -> prices.functions().perGbSecond();
            case "Consumption Built-in Actions" -> prices.logicApps().perBuiltInAction();
            case "Consumption Standard Connector Actions" -> prices.logicApps().perStandardConnectorAction();
            case "Consumption Enterprise Connector Actions" -> prices.logicApps().perEnterpriseConnectorAction();
            default -> null;
        };
    }

    /** The monthly free quantity of a meter, in its unit (executions in millions), or null. */
    private static BigDecimal grant(PriceSheet prices, String meter) {
        return switch (meter) {
            case EventReader.EXECUTIONS_METER -> prices.functions().freeExecutionsPerMonth().movePointLeft(6);
            case EventReader.EXECUTION_TIME_METER -> prices.functions().freeGbSecondsPerMonth();
            default -> null;
        };
    }
}
