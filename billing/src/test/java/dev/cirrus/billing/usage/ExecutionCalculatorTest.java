package dev.cirrus.billing.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import dev.cirrus.billing.price.PriceSheet;
import dev.cirrus.billing.price.PriceSheetLoader;
import org.junit.jupiter.api.Test;

class ExecutionCalculatorTest {

    static final PriceSheet PRICES = PriceSheetLoader.load("classpath:prices/test-price-sheet.yaml");
    static final Instant NOV = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant DEC = Instant.parse("2026-12-01T00:00:00Z");
    static final Instant JAN = Instant.parse("2027-01-01T00:00:00Z");

    static ExecutionCalculator.DailyUsage executions(String app, String day, String millions) {
        return usage(app, day, "Total Executions", "1M", millions);
    }

    static ExecutionCalculator.DailyUsage usage(String app, String day, String meter, String unit, String quantity) {
        return new ExecutionCalculator.DailyUsage("/x/" + app, "/x/" + app, "Microsoft.Web/sites", "s", "rg", app,
                "eastus", "Functions", meter, unit, LocalDate.parse(day), new BigDecimal(quantity));
    }

    @Test
    void theMonthlyGrantIsUsedUpByTheEarliestUsageFirst() {
        // 1.2 M executions on 3 Nov, 0.3 M on 4 Nov: 1 M free, the rest at 0.20 per million
        List<UsageLine> lines = ExecutionCalculator.lines(List.of(
                executions("b", "2026-11-04", "0.3"), executions("a", "2026-11-03", "1.2")), PRICES, NOV, DEC, DEC);
        assertThat(lines).extracting(l -> l.date().toString(), UsageLine::cost)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2026-11-03", new BigDecimal("0.040000")),
                        org.assertj.core.groups.Tuple.tuple("2026-11-04", new BigDecimal("0.060000")));
        assertThat(lines.getFirst().quantity()).isEqualByComparingTo("1.2");
    }

    @Test
    void eachMonthHasItsOwnGrant() {
        List<UsageLine> lines = ExecutionCalculator.lines(List.of(
                usage("a", "2026-11-30", "Execution Time", "1 GB Second", "500000"),
                usage("a", "2026-12-01", "Execution Time", "1 GB Second", "500000")), PRICES, NOV, JAN, JAN);
        // 100,000 GB-s over the 400,000 grant in each month at 0.000016
        assertThat(lines).extracting(UsageLine::cost)
                .containsExactly(new BigDecimal("1.600000"), new BigDecimal("1.600000"));
    }

    @Test
    void aPeriodStartingMidMonthStillCountsTheGrantUsedEarlierThatMonth() {
        List<UsageLine> lines = ExecutionCalculator.lines(List.of(
                executions("a", "2026-11-02", "1"), executions("a", "2026-11-20", "0.5")), PRICES,
                Instant.parse("2026-11-15T00:00:00Z"), DEC, DEC);
        assertThat(lines).singleElement().satisfies(l -> assertThat(l.cost()).isEqualTo(new BigDecimal("0.100000")));
    }
}
