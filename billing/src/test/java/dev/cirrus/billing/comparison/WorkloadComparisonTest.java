package dev.cirrus.billing.comparison;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;

import dev.cirrus.billing.price.PriceSheet;
import dev.cirrus.billing.price.PriceSheetLoader;
import dev.cirrus.plumbing.arm.ArmException;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class WorkloadComparisonTest {

    static final PriceSheet SHIPPED = PriceSheetLoader.load(null);

    static WorkloadComparison.Workload workload(long requestsPerDay, long durationMs, int memoryMb) {
        return new WorkloadComparison.Workload(requestsPerDay, durationMs, memoryMb, new BigDecimal("2"),
                new BigDecimal("4"), null, null, 0, 0);
    }

    @Test
    void everyFamilyIsPricedWithItsFormulaForTheSteadyNeedAndTheRequests() {
        List<WorkloadComparison.Line> lines = WorkloadComparison.compare(workload(100_000, 200, 512), SHIPPED);
        assertThat(lines).extracting(WorkloadComparison.Line::option, WorkloadComparison.Line::sku,
                        l -> l.monthlyCost().toPlainString(), WorkloadComparison.Line::fits)
                .containsExactly(
                        Tuple.tuple("Virtual machine, always on", "Standard_B2s", "29.952000", true),
                        Tuple.tuple("Virtual machine, deallocated off-hours", "Standard_B2s", "14.976000", true),
                        Tuple.tuple("Virtual machine scale set", "Standard_B1s", "29.952000", true),
                        Tuple.tuple("Container group", null, "71.020800", true),
                        Tuple.tuple("App Service plan", "B1", "38.880000", true),
                        Tuple.tuple("Functions (Consumption)", null, "0.400000", true));
        assertThat(lines.getFirst().formula()).isEqualTo("0.0416 USD/h x 720 h");
        assertThat(lines.getLast().formula()).contains("max(0, 3000000 - 1000000) executions")
                .contains("max(0, 300000 - 400000) GB-s").endsWith("= 0.1");
    }

    @Test
    void aRarelyCalledFunctionCostsNothingUnderTheFreeGrant() {
        WorkloadComparison.Line functions = WorkloadComparison.compare(workload(1_000, 50, 100), SHIPPED).getLast();
        assertThat(functions.monthlyCost()).isEqualByComparingTo("0");
    }

    @Test
    void aFunctionAboveTheConsumptionMemoryLimitDoesNotFit() {
        WorkloadComparison.Line functions = WorkloadComparison.compare(workload(10, 100, 2048), SHIPPED).getLast();
        assertThat(functions.fits()).isFalse();
        assertThat(functions.formula()).contains("does not fit");
    }

    @Test
    void aNegativeDurationIsRefused() {
        assertThatThrownBy(() -> workload(1, -1, 128)).isInstanceOf(ArmException.class)
                .hasMessageContaining("averageDurationMs");
    }
}
