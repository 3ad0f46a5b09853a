package dev.cirrus.billing.budget;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

import dev.cirrus.billing.usage.PeriodCosts;
import dev.cirrus.contracts.events.BudgetAlertData;
import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.plumbing.events.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks every budget against its period's cost, every {@code cirrus.billing.budgets.check-every} (default 60 s:
 * the costs it compares grow by the second, an alert a minute late is on time), and for each notification that
 * fired for the first time in the period records the alert and appends a {@code BudgetThresholdCrossed} event to the
 * outbox in ONE transaction: each alert reaches {@code cirrus.billing} exactly once per notification per period.
 */
@Component
class BudgetAlerts {

    private static final Logger log = LoggerFactory.getLogger(BudgetAlerts.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BudgetRepository budgets;
    private final PeriodCosts costs;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final Clock clock;

    BudgetAlerts(BudgetRepository budgets, PeriodCosts costs, Outbox outbox, TransactionTemplate tx, Clock clock) {
        this.budgets = budgets;
        this.costs = costs;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${cirrus.billing.budgets.check-every:60s}", initialDelayString = "${cirrus.billing.budgets.check-every:60s}")
    void checkAll() {
        for (BudgetRepository.Stored stored : budgets.all()) {
            try {
                check(stored.budget());
            } catch (RuntimeException e) {
                log.warn("budget {} of {} not checked: {}", stored.budget().name(), stored.budget().subscriptionId(),
                        e.toString());
            }
        }
    }

    /** Checks one budget now; returns the number of alerts raised. */
    int check(Budget budget) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate period = budget.periodStart(today);
        if (period == null) {
            return 0;
        }
        BigDecimal actual = costs.cost(budget.subscriptionId(), budget.resourceGroup(), period, today);
        int raised = 0;
        for (Budget.Crossing c : budget.crossings(actual, now)) {
            boolean fresh = Boolean.TRUE.equals(tx.execute(status -> {
                if (!budgets.recordAlert(budget, c.notification(), c.periodStart(), c.spend(), now)) {
                    return false;
                }
                BudgetAlertData data = new BudgetAlertData(budget.subscriptionId(), budget.name(), c.notification(),
                        "forecasted".equals(lower(c.rule().thresholdType())) ? "Forecasted" : "Actual",
                        c.rule().operator(), c.rule().threshold(), budget.amount(), c.spend(), "USD",
                        c.periodStart().toString());
                outbox.append(Topics.BILLING, CloudEvent.of("billing", EventTypes.BUDGET_THRESHOLD_CROSSED,
                        budget.id(), now, JSON.valueToTree(data)));
                return true;
            }));
            if (fresh) {
                raised++;
                log.info("budget {} of {}: {} crossed at {}", budget.name(), budget.subscriptionId(), c.notification(),
                        c.spend().toPlainString());
            }
        }
        return raised;
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
