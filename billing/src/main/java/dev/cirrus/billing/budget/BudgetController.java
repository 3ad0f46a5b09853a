package dev.cirrus.billing.budget;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cirrus.billing.usage.PeriodCosts;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code Microsoft.Consumption/budgets} at subscription scope and at resource-group scope (a group's budget counts
 * only that group's cost; listing at subscription scope includes the groups' budgets, as Azure does): PUT (201 created / 200 replaced), GET, list, DELETE
 * (200, or 204 when absent). The answer carries the current period's {@code currentSpend} and {@code forecastSpend}.
 */
@RestController
class BudgetController {

    private final BudgetRepository budgets;
    private final PeriodCosts costs;
    private final BudgetAlerts alerts;
    private final Clock clock;

    BudgetController(BudgetRepository budgets, PeriodCosts costs, BudgetAlerts alerts, Clock clock) {
        this.budgets = budgets;
        this.costs = costs;
        this.alerts = alerts;
        this.clock = clock;
    }

    private static final String SUBSCRIPTION_SCOPE = "/subscriptions/{subscriptionId}";
    private static final String GROUP_SCOPE = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}";
    private static final String BUDGETS = "/providers/Microsoft.Consumption/budgets";

    record BudgetBody(Properties properties) {
    }

    record Properties(String category, BigDecimal amount, String timeGrain, TimePeriod timePeriod,
                      Map<String, Budget.Notification> notifications,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Spend currentSpend,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Spend forecastSpend) {
    }

    record TimePeriod(String startDate, String endDate) {
    }

    record Spend(BigDecimal amount, String unit) {
    }

    record BudgetResource(String id, String name, String type, String eTag, Properties properties) {
    }

    record BudgetList(List<BudgetResource> value) {
    }

    @PutMapping({SUBSCRIPTION_SCOPE + BUDGETS + "/{name}", GROUP_SCOPE + BUDGETS + "/{name}"})
    ResponseEntity<BudgetResource> put(@PathVariable String subscriptionId,
                                       @PathVariable(required = false) String resourceGroup, @PathVariable String name,
                                       @RequestParam(name = "api-version", required = false) String apiVersion,
                                       @RequestBody BudgetBody body) {
        Properties p = body == null ? null : body.properties();
        if (p == null) {
            throw ArmException.invalidParameter("The budget has no properties.", "properties");
        }
        if (p.category() != null && !p.category().equalsIgnoreCase("Cost")) {
            throw ArmException.invalidParameter("properties.category must be Cost.", "properties.category");
        }
        if (p.timePeriod() == null) {
            throw ArmException.invalidParameter("properties.timePeriod.startDate is required.",
                    "properties.timePeriod.startDate");
        }
        Budget budget = new Budget(subscriptionId, resourceGroup, name, p.amount(), p.timeGrain(),
                day(p.timePeriod().startDate(), "properties.timePeriod.startDate"),
                p.timePeriod().endDate() == null ? null : day(p.timePeriod().endDate(), "properties.timePeriod.endDate"),
                p.notifications());
        String etag = BudgetRepository.newEtag();
        boolean created = budgets.save(budget, etag);
        alerts.check(budget);
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(resource(budget, etag));
    }

    @GetMapping({SUBSCRIPTION_SCOPE + BUDGETS + "/{name}", GROUP_SCOPE + BUDGETS + "/{name}"})
    BudgetResource get(@PathVariable String subscriptionId, @PathVariable(required = false) String resourceGroup,
                       @PathVariable String name,
                       @RequestParam(name = "api-version", required = false) String apiVersion) {
        BudgetRepository.Stored s = budgets.find(subscriptionId, resourceGroup, name).orElseThrow(() ->
                ArmException.notFound("ResourceNotFound", "The budget '" + name + "' was not found in "
                        + (resourceGroup == null ? "subscription " + subscriptionId : "resource group " + resourceGroup)
                        + "."));
        return resource(s.budget(), s.etag());
    }

    @GetMapping({SUBSCRIPTION_SCOPE + BUDGETS, GROUP_SCOPE + BUDGETS})
    BudgetList list(@PathVariable String subscriptionId, @PathVariable(required = false) String resourceGroup,
                    @RequestParam(name = "api-version", required = false) String apiVersion) {
        return new BudgetList(budgets.list(subscriptionId, resourceGroup).stream()
                .map(s -> resource(s.budget(), s.etag())).toList());
    }

    @DeleteMapping({SUBSCRIPTION_SCOPE + BUDGETS + "/{name}", GROUP_SCOPE + BUDGETS + "/{name}"})
    ResponseEntity<Void> delete(@PathVariable String subscriptionId, @PathVariable(required = false) String resourceGroup,
                                @PathVariable String name,
                                @RequestParam(name = "api-version", required = false) String apiVersion) {
        return budgets.delete(subscriptionId, resourceGroup, name) ? ResponseEntity.ok().build()
                : ResponseEntity.noContent().build();
    }

    private BudgetResource resource(Budget b, String etag) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate period = b.periodStart(today);
        Spend current = null;
        Spend forecast = null;
        if (period != null) {
            BigDecimal actual = costs.cost(b.subscriptionId(), b.resourceGroup(), period, today);
            current = new Spend(actual, "USD");
            forecast = new Spend(Budget.forecast(actual, period, clock.instant()), "USD");
        }
        return new BudgetResource(b.id(), b.name(), "Microsoft.Consumption/budgets", etag,
                new Properties("Cost", b.amount(), b.timeGrain(), new TimePeriod(
                        b.startDate().atStartOfDay(ZoneOffset.UTC).toInstant().toString(),
                        b.endDate() == null ? null : b.endDate().atStartOfDay(ZoneOffset.UTC).toInstant().toString()),
                        b.notifications(), current, forecast));
    }

    private static LocalDate day(String value, String target) {
        try {
            return value.length() == 10 ? LocalDate.parse(value)
                    : OffsetDateTime.parse(value).atZoneSameInstant(ZoneOffset.UTC).toLocalDate();
        } catch (DateTimeParseException | NullPointerException e) {
            throw ArmException.invalidParameter("The value '" + value + "' of " + target + " is not a date "
                    + "(2026-11-01T00:00:00Z).", target);
        }
    }
}
