package dev.cirrus.billing.usage;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.stereotype.Service;

/** Usage lines and cost totals of a subscription, computed from the billed intervals at the Clock's now. */
@Service
class UsageService {

    private final UsageRepository repository;
    private final Clock clock;

    UsageService(UsageRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** Parses a request's period and filter against today's date (UTC). */
    UsageQuery query(String startDate, String endDate, String filter) {
        return UsageQuery.parse(startDate, endDate, filter, LocalDate.now(clock.withZone(ZoneOffset.UTC)));
    }

    List<UsageLine> usage(String subscriptionId, UsageQuery query) {
        List<BilledInterval> intervals = repository.intervals(subscriptionId, query.from(), query.to()).stream()
                .filter(query::includes).toList();
        return UsageCalculator.lines(intervals, query.from(), query.to(), clock.instant());
    }

    /** The cost of each resource over the period, and the total; each sum exact until shown (see {@link Money}). */
    CostSummary costs(String subscriptionId, UsageQuery query) {
        Map<String, ResourceTotal> resources = new LinkedHashMap<>();
        BigDecimal total = BigDecimal.ZERO;
        for (UsageLine line : usage(subscriptionId, query)) {
            resources.computeIfAbsent(line.resourceKey(), k -> new ResourceTotal()).add(line);
            total = total.add(line.priceMilliseconds());
        }
        List<CostSummary.ResourceCost> costs = resources.values().stream()
                .map(ResourceTotal::cost)
                .sorted(Comparator.comparing(c -> c.resourceId().toLowerCase(Locale.ROOT)))
                .toList();
        return new CostSummary(query, total, costs);
    }

    private static final class ResourceTotal {
        private UsageLine latest;
        private BigDecimal priceMilliseconds = BigDecimal.ZERO;
        private long milliseconds;
        private boolean running;

        void add(UsageLine line) {
            if (latest == null || !line.usageStart().isBefore(latest.usageStart())) {
                latest = line;
            }
            priceMilliseconds = priceMilliseconds.add(line.priceMilliseconds());
            milliseconds += line.milliseconds();
            running |= line.running();
        }

        CostSummary.ResourceCost cost() {
            return new CostSummary.ResourceCost(latest.resourceId(), latest.resourceName(), latest.resourceGroup(),
                    latest.location(), milliseconds, priceMilliseconds, running);
        }
    }
}
