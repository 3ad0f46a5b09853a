package dev.cirrus.billing.budget;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.plumbing.arm.ArmException;

/**
 * A cost budget of a subscription, or of one of its resource groups (then only that group's cost counts): an amount per calendar month (time grain Monthly) from a start date, with
 * notifications at thresholds of actual or forecast cost.
 *
 * <p>{@link #crossings} is the rule: in the month containing {@code now}, a notification fires when the month's
 * actual cost (thresholdType Actual), or its forecast (Forecasted: the actual cost extrapolated linearly over the
 * whole month, {@code actual x monthLength / elapsed}), is above ({@code GreaterThan}) or at least
 * ({@code GreaterThanOrEqualTo}) {@code amount x threshold / 100}. Example: amount 100, 10 days of a 30-day month
 * elapsed, actual 30: "Actual 80%" (80) does not fire, "Forecasted 80%" (forecast 90) does.
 *
 * @param resourceGroup the group the budget is scoped to, as the user cased it; null at subscription scope
 * @param notifications by the user's key, e.g. {@code Actual_GreaterThan_80_Percent}
 */
record Budget(String subscriptionId, String resourceGroup, String name, BigDecimal amount, String timeGrain, LocalDate startDate,
              LocalDate endDate, Map<String, Notification> notifications) {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,63}");
    /**
     * The largest budget amount: a billion in the billing currency. Azure documents no figure; any amount a person
     * means is far below it, and it keeps amounts that no JSON reader can hold as a double ({@code 1e400}) out.
     */
    static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000");
    /** Decimal places kept for an amount: Cirrus computes money to 6 places. */
    static final int MAX_AMOUNT_SCALE = 6;

    record Notification(boolean enabled, String operator, BigDecimal threshold, String thresholdType,
                        List<String> contactEmails) {
    }

    /** A notification that fired, with the spend that fired it. */
    record Crossing(String notification, Notification rule, BigDecimal spend, LocalDate periodStart) {
    }

    /** Refuses a budget Cirrus cannot keep, naming the field. */
    Budget {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ArmException.invalidParameter("The budget name '" + name + "' is not valid: 1 to 63 letters, digits, "
                    + "'_', '-' or '.'.", "name");
        }
        if (amount == null) {
            throw ArmJson.missing("properties.amount", "properties.amount");
        }
        if (amount.signum() <= 0 || amount.compareTo(MAX_AMOUNT) > 0) {
            throw ArmJson.outOfRange("properties.amount", amount.abs().compareTo(MAX_AMOUNT) > 0
                    ? amount.toString() : amount.toPlainString(), "0 (exclusive)", MAX_AMOUNT.toPlainString());
        }
        if (amount.scale() > MAX_AMOUNT_SCALE) {
            throw ArmException.invalidParameter("properties.amount has more than " + MAX_AMOUNT_SCALE
                    + " decimal places.", "properties.amount");
        }
        if (!"Monthly".equalsIgnoreCase(timeGrain)) {
            throw ArmException.invalidParameter("properties.timeGrain '" + timeGrain + "' is not supported: Cirrus "
                    + "budgets are Monthly.", "properties.timeGrain");
        }
        timeGrain = "Monthly";
        if (startDate == null || startDate.getDayOfMonth() != 1) {
            throw ArmException.invalidParameter("properties.timePeriod.startDate must be the first day of a month.",
                    "properties.timePeriod.startDate");
        }
        if (endDate != null && endDate.isBefore(startDate)) {
            throw ArmException.invalidParameter("properties.timePeriod.endDate is before its startDate.",
                    "properties.timePeriod.endDate");
        }
        notifications = notifications == null ? Map.of() : Map.copyOf(notifications);
        if (notifications.size() > 5) {
            throw ArmException.invalidParameter("A budget has at most 5 notifications.", "properties.notifications");
        }
        notifications.forEach((key, n) -> {
            String where = "properties.notifications." + key;
            if (n == null || n.threshold() == null || n.threshold().signum() <= 0
                    || n.threshold().compareTo(BigDecimal.valueOf(1000)) > 0) {
                throw ArmException.invalidParameter(where + ".threshold must be a percentage above 0 and at most 1000.",
                        where + ".threshold");
            }
            if (!List.of("greaterthan", "greaterthanorequalto").contains(lower(n.operator()))) {
                throw ArmException.invalidParameter(where + ".operator must be GreaterThan or GreaterThanOrEqualTo.",
                        where + ".operator");
            }
            String type = n.thresholdType() == null ? "actual" : lower(n.thresholdType());
            if (!List.of("actual", "forecasted").contains(type)) {
                throw ArmException.invalidParameter(where + ".thresholdType must be Actual or Forecasted.",
                        where + ".thresholdType");
            }
        });
    }

    /** The budget's ARM id: under its resource group, or under the subscription. */
    String id() {
        return "/subscriptions/" + subscriptionId + (resourceGroup == null ? "" : "/resourceGroups/" + resourceGroup)
                + "/providers/Microsoft.Consumption/budgets/" + name;
    }

    /** The budget period (calendar month) containing {@code day}, or null before the start or after the end. */
    LocalDate periodStart(LocalDate day) {
        if (day.isBefore(startDate) || endDate != null && day.isAfter(endDate)) {
            return null;
        }
        return day.withDayOfMonth(1);
    }

    /** The forecast of a month's cost from its actual cost at {@code now}: linear in the time elapsed. */
    static BigDecimal forecast(BigDecimal actual, LocalDate periodStart, Instant now) {
        long monthMs = periodStart.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()
                - periodStart.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long elapsed = now.toEpochMilli() - periodStart.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        if (elapsed <= 0) {
            return actual;
        }
        return actual.multiply(BigDecimal.valueOf(monthMs)).divide(BigDecimal.valueOf(elapsed), 6, RoundingMode.HALF_UP);
    }

    /** The enabled notifications over their threshold in the period of {@code now}, given the period's actual cost. */
    List<Crossing> crossings(BigDecimal actual, Instant now) {
        LocalDate period = periodStart(LocalDate.ofInstant(now, ZoneOffset.UTC));
        List<Crossing> crossings = new ArrayList<>();
        if (period == null) {
            return crossings;
        }
        BigDecimal forecast = forecast(actual, period, now);
        notifications.forEach((key, n) -> {
            if (!n.enabled()) {
                return;
            }
            BigDecimal spend = "forecasted".equals(lower(n.thresholdType())) ? forecast : actual;
            BigDecimal limit = amount.multiply(n.threshold()).movePointLeft(2);
            int c = spend.compareTo(limit);
            if (c > 0 || c == 0 && "greaterthanorequalto".equals(lower(n.operator()))) {
                crossings.add(new Crossing(key, n, spend, period));
            }
        });
        return crossings;
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
