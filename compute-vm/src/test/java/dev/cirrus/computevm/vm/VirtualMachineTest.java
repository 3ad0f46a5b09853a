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
        ArmException e = catchThrowableOfType(ArmException.class,
                () -> create(linuxVm("Standard_B2s").replace("imageReference", "somethingElse")));
        assertThat(e.error().target()).isEqualTo("properties.storageProfile.imageReference");
    }

    private VirtualMachine.Creation create(String body) {
        return VirtualMachine.create(REF, parser.parse(JSON.readTree(body)), UUID.randomUUID(), UUID.randomUUID(),
                "0123456789abcdef0123456789abcdef", T0);
    }

    private static String linuxVm(String size) {
        return """
                {"location": "West Europe", "properties": {"hardwareProfile": {"vmSize": "%s"},
                 "storageProfile": {"imageReference": {"publisher": "Canonical", "offer": "ubuntu", "sku": "22_04-lts"}},
                 "osProfile": {"adminUsername": "azureuser", "adminPassword": "secret"}}}""".formatted(size);
    }

    private static SizeCatalogue catalogue() {
        try (InputStream in = VirtualMachineTest.class.getResourceAsStream("/sizes/vm-sizes.json")) {
            return SizeCatalogue.read(in, JSON);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
