package dev.cirrus.billing.usage;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.cirrus.billing.price.PriceSheet;
import org.springframework.stereotype.Service;

/** Usage lines and cost totals of a subscription, computed from what the meter stored, at the Clock's now. */
@Service
class UsageService {

    private final UsageRepository repository;
    private final PriceSheet prices;
    private final Clock clock;

    UsageService(UsageRepository repository, PriceSheet prices, Clock clock) {
        this.repository = repository;
        this.prices = prices;
        this.clock = clock;
    }

    /** Parses a request's period and filter against today's date (UTC). */
    UsageQuery query(String startDate, String endDate, String filter) {
        return UsageQuery.parse(startDate, endDate, filter, LocalDate.now(clock.withZone(ZoneOffset.UTC)));
    }

    /** Every line of the period, interval and per-execution meters, ordered by day, resource, meter and start. */
    List<UsageLine> usage(String subscriptionId, UsageQuery query) {
        List<BilledInterval> intervals = Transition.intervals(repository.transitions(subscriptionId, query.to()),
                        prices.currency()).stream()
                .filter(i -> query.includes(i.resourceGroup(), i.resourceId())).toList();
        List<UsageLine> lines = new ArrayList<>(UsageCalculator.lines(intervals, query.from(), query.to(),
                clock.instant()));
        LocalDate firstMonth = LocalDate.ofInstant(query.from(), ZoneOffset.UTC).withDayOfMonth(1);
        LocalDate end = LocalDate.ofInstant(query.to(), ZoneOffset.UTC);
        ExecutionCalculator.lines(repository.executions(subscriptionId, firstMonth, end), prices, query.from(),
                        query.to(), clock.instant()).stream()
                .filter(l -> query.includes(l.resourceGroup(), l.resourceId()))
                .forEach(lines::add);
        lines.sort(Comparator.comparing(UsageLine::date).thenComparing(UsageLine::resourceKey)
                .thenComparing(UsageLine::meterName).thenComparing(UsageLine::usageStart));
        return lines;
    }

    /** The cost of each resource over the period, and the total; each sum exact until shown (see {@link Money}). */
    CostSummary costs(String subscriptionId, UsageQuery query) {
        Map<String, ResourceTotal> resources = new LinkedHashMap<>();
        BigDecimal total = BigDecimal.ZERO;
        for (UsageLine line : usage(subscriptionId, query)) {
            resources.computeIfAbsent(line.resourceKey(), k -> new ResourceTotal()).add(line);
            total = total.add(line.costScaled());
        }
        List<CostSummary.ResourceCost> costs = resources.values().stream()
                .map(ResourceTotal::cost)
                .sorted(Comparator.comparing(c -> c.resourceId().toLowerCase(Locale.ROOT)))
                .toList();
        return new CostSummary(query, total, costs);
    }

    private static final class ResourceTotal {
        private UsageLine latest;
        private BigDecimal costScaled = BigDecimal.ZERO;
        private BigDecimal quantityScaled = BigDecimal.ZERO;
        private final Set<String> meters = new LinkedHashSet<>();
        private boolean running;

        void add(UsageLine line) {
            if (latest == null || !line.usageStart().isBefore(latest.usageStart())) {
                latest = line;
            }
            costScaled = costScaled.add(line.costScaled());
            quantityScaled = quantityScaled.add(line.quantityScaled());
            meters.add(line.meterCategory() + "|" + line.unitOfMeasure());
            running |= line.running();
        }

        /** A resource of one kind of quantity (a VM's hours) shows it; one of several meters shows none. */
        CostSummary.ResourceCost cost() {
            boolean oneUnit = meters.size() == 1;
            return new CostSummary.ResourceCost(latest.resourceId(), latest.resourceName(), latest.resourceGroup(),
                    latest.resourceType(), latest.location(), latest.meterCategory(),
                    oneUnit ? Money.quantity(quantityScaled) : null, oneUnit ? latest.unitOfMeasure() : null,
                    costScaled, running);
        }
    }
}
