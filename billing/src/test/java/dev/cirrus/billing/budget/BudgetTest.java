package dev.cirrus.billing.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import dev.cirrus.plumbing.arm.ArmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import dev.cirrus.contracts.arm.ArmErrorException;

class BudgetTest {

    static Budget.Notification at(String type, String operator, int percent) {
        return new Budget.Notification(true, operator, BigDecimal.valueOf(percent), type, List.of());
    }

    static final Budget BUDGET = new Budget("s", null, "monthly", new BigDecimal("100"), "Monthly", LocalDate.parse("2026-11-01"),
            null, Map.of("actual80", at("Actual", "GreaterThan", 80), "forecast80", at("Forecasted", "GreaterThan", 80),
            "actual30", at("Actual", "GreaterThanOrEqualTo", 30)));

    @Test
    void aForecastNotificationFiresOnTheLinearExtrapolationOfTheMonth() {
        // 10 of 30 days elapsed, 30 spent: forecast 90
        Instant now = Instant.parse("2026-11-11T00:00:00Z");
        assertThat(Budget.forecast(new BigDecimal("30"), LocalDate.parse("2026-11-01"), now)).isEqualByComparingTo("90");
        assertThat(BUDGET.crossings(new BigDecimal("30"), now)).extracting(Budget.Crossing::notification)
                .containsExactlyInAnyOrder("forecast80", "actual30");
    }

    @Test
    void greaterThanNeedsMoreThanTheThreshold() {
        Instant now = Instant.parse("2026-11-30T00:00:00Z");
        assertThat(BUDGET.crossings(new BigDecimal("80"), now)).extracting(Budget.Crossing::notification)
                .doesNotContain("actual80");
        assertThat(BUDGET.crossings(new BigDecimal("80.000001"), now)).extracting(Budget.Crossing::notification)
                .contains("actual80");
    }

    @Test
    void nothingFiresBeforeTheBudgetStarts() {
        assertThat(BUDGET.crossings(new BigDecimal("1000"), Instant.parse("2026-10-31T23:00:00Z"))).isEmpty();
    }

    @Test
    void onlyMonthlyBudgetsStartingOnTheFirstAreKept() {
        assertThatThrownBy(() -> new Budget("s", null, "b", BigDecimal.TEN, "Quarterly", LocalDate.parse("2026-11-01"), null,
                Map.of())).isInstanceOf(ArmException.class).hasMessageContaining("Monthly");
        assertThatThrownBy(() -> new Budget("s", null, "b", BigDecimal.TEN, "Monthly", LocalDate.parse("2026-11-02"), null,
                Map.of())).isInstanceOf(ArmException.class).hasMessageContaining("first day");
    }

    @ParameterizedTest(name = "amount {0} is refused as out of range")
    @ValueSource(strings = {"0", "-1", "-0.01", "1000000000.01", "1e400", "99999999999999999999999"})
    void anAmountOutsideAzuresRangeIsRefused(String amount) {
        ArmErrorException e = catchThrowableOfType(ArmErrorException.class, () -> new Budget("s", null, "b",
                new BigDecimal(amount), "Monthly", LocalDate.parse("2026-11-01"), null, Map.of()));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.error().code()).isEqualTo("InvalidParameter");
        assertThat(e.error().target()).isEqualTo("properties.amount");
        assertThat(e.error().message()).contains("out of range").doesNotContain("1.79");
    }

    @Test
    void theLargestAmountIsABillion() {
        assertThat(new Budget("s", null, "b", new BigDecimal("1e9"), "Monthly", LocalDate.parse("2026-11-01"), null,
                Map.of()).amount()).isEqualByComparingTo("1000000000");
    }
}
