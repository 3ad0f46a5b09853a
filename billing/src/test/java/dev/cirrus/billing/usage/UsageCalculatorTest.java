package dev.cirrus.billing.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

class UsageCalculatorTest {

    static final Instant NOV = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant DEC = Instant.parse("2026-12-01T00:00:00Z");

    static BilledInterval interval(String vm, String size, String price, String start, String end) {
        return new BilledInterval("/subscriptions/s/resourcegroups/rg/providers/microsoft.compute/virtualmachines/" + vm,
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/" + vm,
                "Microsoft.Compute/virtualMachines", "s", "rg", vm, "eastus", "Virtual Machines", size, "1 Hour",
                new BigDecimal(price), BigDecimal.ONE, "USD", Instant.parse(start), end == null ? null : Instant.parse(end));
    }

    @Test
    void anOpenIntervalAccruesUpToNow() {
        List<UsageLine> lines = UsageCalculator.lines(List.of(
                interval("a", "Standard_D2s_v5", "0.096", "2026-11-10T10:00:00Z", null)), NOV, DEC,
                Instant.parse("2026-11-10T11:30:00Z"));
        assertThat(lines).singleElement().satisfies(l -> {
            assertThat(l.milliseconds()).isEqualTo(5_400_000);
            assertThat(l.cost()).isEqualTo(new BigDecimal("0.144000"));
            assertThat(l.quantity()).isEqualTo(new BigDecimal("1.5000000000"));
            assertThat(l.running()).isTrue();
            assertThat(l.usageEnd()).isEqualTo(Instant.parse("2026-11-10T11:30:00Z"));
        });
    }

    @Test
    void intervalsAreCutAtEveryUtcMidnightIntoOneLinePerDay() {
        List<UsageLine> lines = UsageCalculator.lines(List.of(
                interval("a", "Standard_D2s_v5", "0.096", "2026-11-10T22:00:00Z", "2026-11-12T01:00:00Z")), NOV, DEC,
                Instant.parse("2026-11-20T00:00:00Z"));
        assertThat(lines).extracting(UsageLine::date).containsExactly(
                LocalDate.parse("2026-11-10"), LocalDate.parse("2026-11-11"), LocalDate.parse("2026-11-12"));
        assertThat(lines).extracting(UsageLine::milliseconds).containsExactly(7_200_000L, 86_400_000L, 3_600_000L);
        assertThat(lines).noneMatch(UsageLine::running);
    }

    @Test
    void theSameVmStoppedAndStartedAgainOnOneDayIsOneLineAndAResizeIsAnother() {
        List<UsageLine> lines = UsageCalculator.lines(List.of(
                interval("a", "Standard_D2s_v5", "0.096", "2026-11-10T01:00:00Z", "2026-11-10T02:00:00Z"),
                interval("a", "Standard_D2s_v5", "0.096", "2026-11-10T03:00:00Z", "2026-11-10T04:00:00Z"),
                interval("a", "Standard_D4s_v5", "0.192", "2026-11-10T04:00:00Z", "2026-11-10T04:30:00Z")), NOV, DEC,
                Instant.parse("2026-11-20T00:00:00Z"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).meterName()).isEqualTo("Standard_D2s_v5");
        assertThat(lines.get(0).milliseconds()).isEqualTo(7_200_000L);
        assertThat(lines.get(0).usageStart()).isEqualTo(Instant.parse("2026-11-10T01:00:00Z"));
        assertThat(lines.get(0).usageEnd()).isEqualTo(Instant.parse("2026-11-10T04:00:00Z"));
        assertThat(lines.get(1).meterName()).isEqualTo("Standard_D4s_v5");
        assertThat(lines.get(1).cost()).isEqualTo(new BigDecimal("0.096000"));
    }

    @Test
    void usageIsClippedToThePeriod() {
        List<UsageLine> lines = UsageCalculator.lines(List.of(
                interval("a", "Standard_D2s_v5", "0.096", "2026-10-31T23:00:00Z", null)),
                Instant.parse("2026-10-01T00:00:00Z"), NOV, Instant.parse("2026-11-01T01:30:00Z"));
        assertThat(lines).singleElement().satisfies(l -> {
            assertThat(l.date()).isEqualTo(LocalDate.parse("2026-10-31"));
            assertThat(l.milliseconds()).isEqualTo(3_600_000L);
            assertThat(l.running()).as("the part that still grows is outside the period").isFalse();
        });
    }

    @Test
    void aVmThatHasJustStartedShowsARunningLineOfZeroHoursButAnEmptyClosedIntervalShowsNothing() {
        Instant now = Instant.parse("2026-11-10T10:00:00Z");
        List<UsageLine> lines = UsageCalculator.lines(List.of(
                interval("a", "Standard_D2s_v5", "0.096", "2026-11-10T10:00:00Z", null),
                interval("b", "Standard_D2s_v5", "0.096", "2026-11-10T09:00:00Z", "2026-11-10T09:00:00Z")),
                NOV, DEC, now);
        assertThat(lines).singleElement().satisfies(l -> {
            assertThat(l.resourceName()).isEqualTo("a");
            assertThat(l.milliseconds()).isZero();
            assertThat(l.running()).isTrue();
        });
    }

    @Test
    void anIntervalThatStartsAfterNowHasNotCostAnythingYet() {
        List<UsageLine> lines = UsageCalculator.lines(List.of(
                interval("a", "Standard_D2s_v5", "0.096", "2026-11-10T10:00:05Z", null)), NOV, DEC,
                Instant.parse("2026-11-10T10:00:00Z"));
        assertThat(lines).singleElement().satisfies(l -> assertThat(l.milliseconds()).isZero());
    }

    @Test
    void costsAreExactUntilRoundedToSixPlaces() {
        // 0.0104 x 1 ms = 0.0104 price-ms; / 3,600,000 = 0.00000000288..., shown as 0.000000
        assertThat(Money.cost(new BigDecimal("0.0104").multiply(BigDecimal.valueOf(1)))).isEqualTo(new BigDecimal("0.000000"));
        // 5,415,250 ms at 0.096/h = 0.14440666...
        assertThat(Money.cost(new BigDecimal("0.096").multiply(BigDecimal.valueOf(5_415_250L)))).isEqualTo(new BigDecimal("0.144407"));
        assertThat(Money.quantity(BigDecimal.valueOf(5_415_250L))).isEqualTo(new BigDecimal("1.5042361111"));
        // a year of a large VM stays exact: 8,760 h at 0.384/h = 3,363.84
        assertThat(Money.cost(new BigDecimal("0.384").multiply(BigDecimal.valueOf(8_760L * 3_600_000L))))
                .isEqualTo(new BigDecimal("3363.840000"));
    }
}
