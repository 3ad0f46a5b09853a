package dev.cirrus.computevm.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.cirrus.computevm.operation.OperationError;
import dev.cirrus.computevm.size.SizeCatalogue;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.VmLifecycleData;
import dev.cirrus.contracts.arm.ArmErrorException;
import dev.cirrus.plumbing.arm.ArmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The VM's state machine and defaults, without Spring, database or network. */
class VirtualMachineTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final SizeCatalogue SIZES = catalogue();
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-25T10:00:02Z");
    private static final VmRef REF = new VmRef("00000000-0000-0000-0000-000000000001", "Demo", "vm1");

    private final VmRequestParser parser = new VmRequestParser(SIZES);

    @Test
    void aNewVmIsCreatingWithAzuresOsDiskDefaultsAndAnnouncesItself() {
        VirtualMachine.Creation creation = create(linuxVm("Standard_D2s_v5"));
        VirtualMachine vm = creation.vm();

        assertThat(vm.provisioningState()).isEqualTo(ProvisioningState.Creating);
        assertThat(vm.powerState()).isNull();
        VmProfile.OsDisk osDisk = vm.profile().storageProfile().osDisk();
        assertThat(osDisk.name()).isEqualTo("vm1_OsDisk_1_0123456789abcdef0123456789abcdef");
        assertThat(osDisk.createOption()).isEqualTo("FromImage");
        assertThat(osDisk.caching()).isEqualTo("ReadWrite");
        assertThat(osDisk.osType()).isEqualTo("Linux");
        assertThat(osDisk.diskSizeGB()).isEqualTo(30);
        assertThat(osDisk.managedDisk().storageAccountType()).isEqualTo("Premium_LRS");
        assertThat(creation.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.VM_CREATED);
            assertThat(e.time()).isEqualTo(T0);
            assertThat(e.subject()).isEqualTo(REF.id());
            assertThat(e.data()).isEqualTo(new VmLifecycleData(REF.subscriptionId(), "Demo", "vm1", "westeurope",
                    vm.vmId().toString(), "Standard_D2s_v5", 2, 8192, "Creating", null, null, null, null));
        });
    }

    @ParameterizedTest
    @CsvSource({"Canonical, Linux, 30", "MicrosoftWindowsServer, Windows, 127", "MicrosoftWindowsDesktop, Windows, 127",
            "RedHat, Linux, 30"})
    void theOsTypeAndDiskSizeFollowTheImagePublisher(String publisher, String osType, int diskSize) {
        VmProfile.OsDisk disk = create(linuxVm("Standard_B1s").replace("Canonical", publisher)).vm()
                .profile().storageProfile().osDisk();
        assertThat(disk.osType()).isEqualTo(osType);
        assertThat(disk.diskSizeGB()).isEqualTo(diskSize);
    }

    @Test
    void placingAVmMakesItRunOnItsHostAndReportsWhere() {
        VirtualMachine vm = create(linuxVm("Standard_B2s")).vm();

        List<VmLifecycleEvent> events = vm.placed(new Placement("h1", "c1", "r1", 1, 3), T1);

        assertThat(vm.provisioningState()).isEqualTo(ProvisioningState.Succeeded);
        assertThat(vm.powerState()).isEqualTo(PowerState.running);
        assertThat(vm.operationId()).isNull();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.VM_STARTED);
            assertThat(e.time()).isEqualTo(T1);
            assertThat(e.data().host()).isEqualTo("h1");
            assertThat(e.data().faultDomain()).isEqualTo(1);
            assertThat(e.data().updateDomain()).isEqualTo(3);
            assertThat(e.data().powerState()).isEqualTo("running");
            assertThat(e.data().provisioningState()).isEqualTo("Succeeded");
        });
    }

    @Test
    void aVmWithoutAHostFailsAndSaysWhy() {
        VirtualMachine vm = create(linuxVm("Standard_B2s")).vm();
        OperationError why = new OperationError("AllocationFailed", "0/60 hosts: 60 insufficient memory");

        List<VmLifecycleEvent> events = vm.allocationFailed(why, T1);

        assertThat(vm.provisioningState()).isEqualTo(ProvisioningState.Failed);
        assertThat(vm.failure()).isEqualTo(why);
        assertThat(events).extracting(VmLifecycleEvent::type).containsExactly(EventTypes.VM_ALLOCATION_FAILED);
        assertThat(events.get(0).data().host()).isNull();
    }

    @Test
    void nothingElseHappensToAVmWhileItIsBeingCreated() {
        VirtualMachine vm = create(linuxVm("Standard_B2s")).vm();

        ArmException delete = catchThrowableOfType(ArmException.class, () -> vm.beginDeletion(UUID.randomUUID(), T1));
        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.error().code()).isEqualTo("AnotherOperationInProgress");
        ArmException update = catchThrowableOfType(ArmException.class,
                () -> vm.update(REF, parser.parse(JSON.readTree(linuxVm("Standard_B2s"))), JSON.createObjectNode()));
        assertThat(update.error().code()).isEqualTo("AnotherOperationInProgress");
    }

    @Test
    void aDeletedVmLeavesNoHostBehindInItsLastEvent() {
        VirtualMachine vm = create(linuxVm("Standard_B2s")).vm();
        vm.placed(new Placement("h1", "c1", "r1", 0, 0), T1);
        vm.beginDeletion(UUID.randomUUID(), T1);

        assertThat(vm.provisioningState()).isEqualTo(ProvisioningState.Deleting);
        List<VmLifecycleEvent> events = vm.deleted(T1);

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.VM_DELETED);
            assertThat(e.data().provisioningState()).isEqualTo("Deleted");
            assertThat(e.data().powerState()).isNull();
            assertThat(e.data().host()).isNull();
            assertThat(e.data().faultDomain()).isNull();
        });
    }

    @Test
    void aWorkerStepOnTheWrongStateIsABugNotAUserError() {
        VirtualMachine vm = create(linuxVm("Standard_B2s")).vm();
        assertThatThrownBy(() -> vm.deleted(T1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCreateNeedsAnImage() {
        ArmErrorException e = catchThrowableOfType(ArmErrorException.class,
                () -> create(linuxVm("Standard_B2s").replace("imageReference", "somethingElse")));
        assertThat(e.error().target()).isEqualTo("properties.storageProfile.imageReference");
    }

    @Test
    void powerOffPassesThroughStoppingAndKeepsTheHostWithEveryPowerStateInAnEvent() {
        VirtualMachine vm = running();
        List<VmLifecycleEvent> begun = vm.beginPowerAction(PowerAction.powerOff, UUID.randomUUID(), T1);
        assertThat(vm.provisioningState()).isEqualTo(ProvisioningState.Updating);
        assertThat(begun).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.VM_STOPPING);
            assertThat(e.data().powerState()).isEqualTo("stopping");
        });
        List<VmLifecycleEvent> done = vm.stopped(T1);
        assertThat(done).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.VM_STOPPED);
            assertThat(e.data().powerState()).isEqualTo("stopped");
            assertThat(e.data().host()).isEqualTo("h1");
        });
        assertThat(vm.provisioningState()).isEqualTo(ProvisioningState.Succeeded);
    }

    @Test
    void deallocatingReleasesTheHostAndAStartFromDeallocatedNeedsANewOne() {
        VirtualMachine vm = running();
        assertThat(vm.beginPowerAction(PowerAction.deallocate, UUID.randomUUID(), T1).get(0).data().powerState())
                .isEqualTo("deallocating");
        assertThat(vm.deallocated(T1)).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.VM_DEALLOCATED);
            assertThat(e.data().powerState()).isEqualTo("deallocated");
            assertThat(e.data().host()).isNull();
        });
        assertThat(vm.placement()).isNull();
        assertThat(vm.beginPowerAction(PowerAction.start, UUID.randomUUID(), T1).get(0).type())
                .isEqualTo(EventTypes.VM_STARTING);
        vm.started(new Placement("h2", "c1", "r2", 1, 1), T1);
        assertThat(vm.powerState()).isEqualTo(PowerState.running);
        assertThat(vm.placement().host()).isEqualTo("h2");
    }

    @ParameterizedTest
    @CsvSource({"start, running", "restart, stopped", "powerOff, stopped", "powerOff, deallocated",
            "deallocate, deallocated", "redeploy, deallocated"})
    void aPowerActionFromAStateItDoesNotStartFromIsAConflict(String action, String from) {
        VirtualMachine vm = running();
        if (!from.equals("running")) {
            vm.beginPowerAction(from.equals("stopped") ? PowerAction.powerOff : PowerAction.deallocate,
                    UUID.randomUUID(), T1);
            if (from.equals("stopped")) {
                vm.stopped(T1);
            } else {
                vm.deallocated(T1);
            }
        }
        ArmException e = catchThrowableOfType(ArmException.class,
                () -> vm.beginPowerAction(PowerAction.valueOf(action), UUID.randomUUID(), T1));
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.error().code()).isEqualTo("Conflict");
        assertThat(e.error().message()).contains("'" + action + "'").contains(from);
        assertThat(vm.powerState().name()).isEqualTo(from);
    }

    @Test
    void aSecondActionWhileOneRunsIsAnotherOperationInProgress() {
        VirtualMachine vm = running();
        vm.beginPowerAction(PowerAction.restart, UUID.randomUUID(), T1);
        ArmException e = catchThrowableOfType(ArmException.class,
                () -> vm.beginPowerAction(PowerAction.deallocate, UUID.randomUUID(), T1));
        assertThat(e.error().code()).isEqualTo("AnotherOperationInProgress");
        assertThat(vm.powerState()).isEqualTo(PowerState.starting);
    }

    @Test
    void aRunningVmWhoseHostFailedRebootsOnItsNewHostAndTheInstanceViewSaysWhy() {
        VirtualMachine vm = running();
        VirtualMachine.ServiceHealing healing = vm.onServiceHealed(new Placement("h9", "c1", "r1", 0, 0),
                UUID.randomUUID(), T1);
        assertThat(healing.rebooting()).isTrue();
        assertThat(healing.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.VM_SERVICE_HEALING_STARTED);
            assertThat(e.data().powerState()).isEqualTo("starting");
            assertThat(e.data().host()).isEqualTo("h9");
        });
        assertThat(vm.platformStatus().state()).isEqualTo(PlatformStatus.State.ServiceHealing);
        assertThat(vm.serviceHealingRebooted(T1).get(0).data().powerState()).isEqualTo("running");
        assertThat(vm.platformStatus().state()).isEqualTo(PlatformStatus.State.ServiceHealed);
        assertThat(vm.platformStatus().message()).contains("service healing");
    }

    @Test
    void aMaintenanceRebootPassesThroughStartingAndOnlyTouchesRunningVms() {
        VirtualMachine vm = running();
        assertThat(vm.onMaintenanceRebootStarted(T1)).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo(EventTypes.VM_MAINTENANCE_REBOOT_STARTED));
        assertThat(vm.powerState()).isEqualTo(PowerState.starting);
        assertThat(vm.onMaintenanceRebootCompleted(T1)).singleElement()
                .satisfies(e -> assertThat(e.data().powerState()).isEqualTo("running"));
        assertThat(vm.platformStatus().state()).isEqualTo(PlatformStatus.State.MaintenanceCompleted);

        VirtualMachine stopped = running();
        stopped.beginPowerAction(PowerAction.powerOff, UUID.randomUUID(), T1);
        stopped.stopped(T1);
        assertThat(stopped.onMaintenanceRebootStarted(T1)).isEmpty();
        assertThat(stopped.powerState()).isEqualTo(PowerState.stopped);
    }

    private VirtualMachine running() {
        VirtualMachine vm = create(linuxVm("Standard_B2s")).vm();
        vm.placed(new Placement("h1", "c1", "r1", 0, 0), T1);
        return vm;
    }

    private VirtualMachine.Creation create(String body) {
        VmRequest request = parser.parse(JSON.readTree(body));
        return VirtualMachine.create(REF, request, request.imageReference(), null, UUID.randomUUID(), UUID.randomUUID(),
                "0123456789abcdef0123456789abcdef", T0);
    }

    private static String linuxVm(String size) {
        return """
                {"location": "West Europe", "properties": {"hardwareProfile": {"vmSize": "%s"},
                 "storageProfile": {"imageReference": {"publisher": "Canonical", "offer": "ubuntu", "sku": "22_04-lts"}},
                 "osProfile": {"adminUsername": "azureuser", "adminPassword": "secret"},
                 "networkProfile": {"networkInterfaces": [{"id": "/subscriptions/00000000-0000-0000-0000-000000000001/\
                resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic1"}]}}}""".formatted(size);
    }

    private static SizeCatalogue catalogue() {
        try (InputStream in = VirtualMachineTest.class.getResourceAsStream("/sizes/vm-sizes.json")) {
            return SizeCatalogue.read(in, JSON);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
