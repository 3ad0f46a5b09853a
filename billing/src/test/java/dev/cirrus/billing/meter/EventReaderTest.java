package dev.cirrus.billing.meter;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import dev.cirrus.billing.price.PriceSheet;
import dev.cirrus.billing.price.PriceSheetLoader;
import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

class EventReaderTest {

    static final PriceSheet PRICES = PriceSheetLoader.load("classpath:prices/test-price-sheet.yaml");
    static final EventReader READER = new EventReader(PRICES, false);
    static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    static final String RG = "/subscriptions/s1/resourceGroups/rg/providers/";
    static final Instant T = Instant.parse("2026-11-10T10:00:00.123456Z");

    static CloudEvent event(String type, String path, Map<String, Object> data) {
        return CloudEvent.of("test", type, RG + path, T, JSON.valueToTree(data));
    }

    static Map<String, Object> function(long durationMs, int memoryMb) {
        Map<String, Object> data = new HashMap<>(Map.of("subscriptionId", "s1", "resourceGroup", "rg", "name", "app"));
        data.put("durationMs", durationMs);
        data.put("memoryMb", memoryMb);
        return data;
    }

    @ParameterizedTest(name = "{0} ms at {1} MB is {2} GB-s")
    @CsvSource({
            "200, 512, 0.1",        // Azure's Functions pricing example: 512 MB, 200 ms
            "200, 160, 0.05",       // 160 MB rounds up to 256 MB
            "20, 100, 0.0125",      // at least 128 MB and 100 ms
            "0, 1, 0.0125",
            "1000, 1536, 1.5",
            "1001, 129, 0.25025"})
    void aFunctionExecutionIsOneExecutionAndItsRoundedGbSeconds(long durationMs, int memoryMb, String gbSeconds) {
        Reading.Executions x = (Reading.Executions) READER.read(event(EventTypes.FUNCTION_EXECUTED,
                "Microsoft.Web/sites/app", function(durationMs, memoryMb)));
        assertThat(x.quantities()).extracting(Reading.Quantity::meterName, q -> q.quantity().stripTrailingZeros())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Total Executions", new BigDecimal("0.000001")),
                        org.assertj.core.groups.Tuple.tuple("Execution Time", new BigDecimal(gbSeconds).stripTrailingZeros()));
        assertThat(x.day()).hasToString("2026-11-10");
    }

    @Test
    void aNegativeDurationIsRejectedWithItsReason() {
        assertThat(READER.read(event(EventTypes.FUNCTION_EXECUTED, "Microsoft.Web/sites/app", function(-5, 256))))
                .isEqualTo(new Reading.Rejected("negative duration: durationMs -5"));
    }

    @Test
    void aFunctionExecutionWithoutMemoryIsRejected() {
        Map<String, Object> data = function(10, 1);
        data.remove("memoryMb");
        assertThat(READER.read(event(EventTypes.FUNCTION_EXECUTED, "Microsoft.Web/sites/app", data)))
                .isInstanceOf(Reading.Rejected.class).hasToString("Rejected[reason=missing or non-positive field memoryMb]");
    }

    @Test
    void aRunningVmOfAnUnknownSizeClosesItsMeterAndIsRecordedAsAnUnknownMeter() {
        Reading.Transition t = (Reading.Transition) READER.read(event(EventTypes.VM_STARTED,
                "Microsoft.Compute/virtualMachines/vm1", Map.of("powerState", "running", "vmSize", "Standard_Nope",
                        "location", "eastus")));
        assertThat(t.rates()).isEmpty();
        assertThat(t.problem()).startsWith("unknown meter: the price sheet has no VM size 'Standard_Nope'");
        assertThat(t.time()).isEqualTo(Instant.parse("2026-11-10T10:00:00.123Z"));
    }

    @Test
    void aContainerGroupRunsAtItsRequestedVcpuAndMemoryPerSecond() {
        Reading.Transition t = (Reading.Transition) READER.read(event(EventTypes.CONTAINER_GROUP_STARTED,
                "Microsoft.ContainerInstance/containerGroups/cg", Map.of("cpu", new BigDecimal("1.5"),
                        "memoryInGB", new BigDecimal("3.5"), "state", "Running", "location", "eastus")));
        assertThat(t.rates()).extracting(Reading.Rate::meterName, Reading.Rate::unitOfMeasure,
                        r -> r.quantityPerHour().stripTrailingZeros().toPlainString())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("vCPU Duration", "1 vCPU Second", "5400"),
                        org.assertj.core.groups.Tuple.tuple("Memory Duration", "1 GB Second", "12600"));
    }

    @Test
    void aStoppedContainerGroupAndADeletedPlanAccrueNothing() {
        assertThat(((Reading.Transition) READER.read(event(EventTypes.CONTAINER_GROUP_STOPPED,
                "Microsoft.ContainerInstance/containerGroups/cg", Map.of("cpu", 1, "memoryInGB", 1,
                        "state", "Stopped")))).rates()).isEmpty();
        Reading.Transition deleted = (Reading.Transition) READER.read(event(EventTypes.APP_SERVICE_PLAN_DELETED,
                "Microsoft.Web/serverfarms/p", Map.of("skuName", "B1", "capacity", 0)));
        assertThat(deleted.rates()).isEmpty();
        assertThat(deleted.endsResource()).isTrue();
    }

    @Test
    void aPlanAccruesItsCapacityInInstanceHoursAtItsTier() {
        Reading.Transition t = (Reading.Transition) READER.read(event(EventTypes.APP_SERVICE_PLAN_WRITTEN,
                "Microsoft.Web/serverfarms/p", Map.of("skuName", "b1", "capacity", 3)));
        assertThat(t.rates()).singleElement().satisfies(r -> {
            assertThat(r.meterName()).isEqualTo("B1");
            assertThat(r.quantityPerHour()).isEqualByComparingTo("3");
            assertThat(r.unitPrice()).isEqualByComparingTo("0.018");
        });
    }

    @Test
    void aConsumptionPlanAccruesNothingAndIsNoProblemWhileAPremiumFunctionsPlanPaysPerInstance() {
        Reading.Transition y1 = (Reading.Transition) READER.read(event(EventTypes.APP_SERVICE_PLAN_WRITTEN,
                "Microsoft.Web/serverfarms/consumption", Map.of("skuName", "Y1", "capacity", 0)));
        assertThat(y1.rates()).isEmpty();
        assertThat(y1.problem()).isNull();
        Reading.Transition ep1 = (Reading.Transition) READER.read(event(EventTypes.APP_SERVICE_PLAN_WRITTEN,
                "Microsoft.Web/serverfarms/premium", Map.of("skuName", "EP1", "capacity", 2)));
        assertThat(ep1.rates()).singleElement().satisfies(r -> {
            assertThat(r.meterName()).isEqualTo("EP1");
            assertThat(r.quantityPerHour()).isEqualByComparingTo("2");
            assertThat(r.unitPrice()).isEqualByComparingTo("0.216");
        });
    }

    @Test
    void aWorkflowRunBillsItsTriggerWithTheBuiltInActions() {
        Reading.Executions x = (Reading.Executions) READER.read(event(EventTypes.WORKFLOW_RUN_COMPLETED,
                "Microsoft.Logic/workflows/wf", Map.of("runId", "r1", "triggerExecutions", 1, "builtInActions", 4,
                        "standardConnectorActions", 2, "enterpriseConnectorActions", 0)));
        assertThat(x.quantities()).extracting(Reading.Quantity::meterName, q -> q.quantity().intValue())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Consumption Built-in Actions", 5),
                        org.assertj.core.groups.Tuple.tuple("Consumption Standard Connector Actions", 2));
    }

    @Test
    void anAvailabilitySetIsNotMetered() {
        assertThat(READER.read(event("Microsoft.Compute.AvailabilitySetWritten",
                "Microsoft.Compute/availabilitySets/as1", Map.of()))).isInstanceOf(Reading.NotMetered.class);
    }
}
