package dev.cirrus.billing.meter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import dev.cirrus.billing.price.PriceSheetLoader;
import dev.cirrus.billing.price.PriceSheet;
import dev.cirrus.contracts.events.EventTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VmMeterTest {

    static final PriceSheet PRICES = PriceSheetLoader.load(null);
    static final String ID = "/subscriptions/S1/resourceGroups/Rg/providers/Microsoft.Compute/virtualMachines/Vm1";
    static final Instant T0 = Instant.parse("2026-11-10T10:00:00Z");
    static final Instant T1 = Instant.parse("2026-11-10T11:00:00Z");

    static VmTransition transition(String type, Instant time, String powerState) {
        return new VmTransition("e-" + time, type, ID, time, "S1", "Rg", "Vm1", "eastus", "Standard_D2s_v5", powerState);
    }

    @ParameterizedTest(name = "{0} -> {1}: opens an interval: {2}")
    @CsvSource(nullValues = "null", value = {
            "Microsoft.Compute.VirtualMachineStarted,       running,      true,  false",
            "Microsoft.Compute.VirtualMachinePoweringOff,   stopping,     true,  false",
            "Microsoft.Compute.VirtualMachinePoweredOff,    stopped,      true,  false",
            "Microsoft.Compute.VirtualMachineAllocated,     starting,     false, false",
            "Microsoft.Compute.VirtualMachineAllocated,     starting,     true,  true",
            "Microsoft.Compute.VirtualMachineDeallocating,  deallocating, false, false",
            "Microsoft.Compute.VirtualMachineDeallocated,   deallocated,  false, false",
            "Microsoft.Compute.VirtualMachineCreated,       null,         false, false",
            "Microsoft.Compute.VirtualMachineDeleted,       null,         false, false",
            "Microsoft.Compute.VirtualMachineDeleted,       running,      false, false",
            "Microsoft.Compute.VirtualMachineAllocationFailed, running,   false, false",
    })
    void aTransitionClosesTheOpenIntervalAndOpensOneOnlyInABilledState(String type, String powerState, boolean opens,
                                                                       boolean billStarting) {
        VmMeter running = new VmMeter(ID.toLowerCase(), T0, T0);
        MeterChange change = running.record(transition(type, T1, powerState), new BilledPowerStates(billStarting), PRICES);

        assertThat(change).isInstanceOf(MeterChange.Applied.class);
        MeterChange.Applied applied = (MeterChange.Applied) change;
        assertThat(applied.closeAt()).isEqualTo(T1);
        if (opens) {
            assertThat(applied.open().startedAt()).isEqualTo(T1);
            assertThat(applied.open().hourlyPrice()).isEqualByComparingTo("0.096");
            assertThat(applied.open().vmSize()).isEqualTo("Standard_D2s_v5");
            assertThat(applied.open().resourceId()).isEqualTo(ID);
        } else {
            assertThat(applied.open()).isNull();
        }
    }

    @Test
    void theFirstTransitionHasNothingToClose() {
        MeterChange.Applied applied = (MeterChange.Applied) new VmMeter("k", null, null)
                .record(transition(EventTypes.VM_STARTED, T0, "running"), new BilledPowerStates(false), PRICES);
        assertThat(applied.closeAt()).isNull();
        assertThat(applied.open().startedAt()).isEqualTo(T0);
    }

    @Test
    void aTransitionOlderThanTheLastOneIsIgnored() {
        VmMeter deallocatedAtT1 = new VmMeter("k", T1, null);
        MeterChange change = deallocatedAtT1.record(transition(EventTypes.VM_STARTED, T0, "running"),
                new BilledPowerStates(false), PRICES);
        assertThat(change).isInstanceOf(MeterChange.Ignored.class);
        assertThat(((MeterChange.Ignored) change).reason()).contains("older than the last transition");
    }

    @Test
    void aTransitionAtTheSameInstantAsTheLastOneApplies() {
        VmMeter createdAtT0 = new VmMeter("k", T0, null);
        MeterChange change = createdAtT0.record(transition(EventTypes.VM_STARTED, T0, "running"),
                new BilledPowerStates(false), PRICES);
        assertThat(((MeterChange.Applied) change).open().startedAt()).isEqualTo(T0);
    }

    @Test
    void aSizeWithoutAPriceClosesButOpensNothingAndSaysWhy() {
        VmTransition unknownSize = new VmTransition("e", EventTypes.VM_STARTED, ID, T1, "S1", "Rg", "Vm1", "eastus",
                "Standard_Z99", "running");
        MeterChange.Applied applied = (MeterChange.Applied) new VmMeter("k", T0, T0)
                .record(unknownSize, new BilledPowerStates(false), PRICES);
        assertThat(applied.closeAt()).isEqualTo(T1);
        assertThat(applied.open()).isNull();
        assertThat(applied.warning()).contains("Standard_Z99").contains("not metered");
    }

    @Test
    void eventTimesAreKeptToTheMillisecond() {
        VmTransition t = transition(EventTypes.VM_STARTED, Instant.parse("2026-11-10T10:00:00.123456789Z"), "running");
        assertThat(t.time()).isEqualTo(Instant.parse("2026-11-10T10:00:00.123Z"));
    }
}
