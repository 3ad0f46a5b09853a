package dev.cirrus.contracts.events;

import java.math.BigDecimal;

/**
 * The data of {@code Microsoft.Consumption.BudgetThresholdCrossed} on {@code cirrus.billing} (subject: the budget's
 * ARM id, {@code /subscriptions/{sub}/providers/Microsoft.Consumption/budgets/{name}}). Billing publishes it once per
 * notification per budget period, when the period's actual or forecast cost first goes over the threshold.
 *
 * @param subscriptionId  subscription GUID
 * @param budgetName      the budget's name as the user cased it
 * @param notification    the notification's key in the budget ("Actual_GreaterThan_80_Percent")
 * @param thresholdType   "Actual" or "Forecasted"
 * @param operator        "GreaterThan" or "GreaterThanOrEqualTo"
 * @param threshold       percent of the amount, e.g. 80
 * @param amount          the budget's amount for the period
 * @param spend           the actual (or forecast) cost of the period when the threshold was crossed
 * @param currency        "USD"
 * @param periodStart     the first day of the budget period (YYYY-MM-DD)
 */
public record BudgetAlertData(String subscriptionId, String budgetName, String notification, String thresholdType,
                              String operator, BigDecimal threshold, BigDecimal amount, BigDecimal spend,
                              String currency, String periodStart) {
}
