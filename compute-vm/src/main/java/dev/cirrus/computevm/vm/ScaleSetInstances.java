package dev.cirrus.computevm.vm;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.cirrus.computevm.operation.Operation;
import dev.cirrus.computevm.operation.OperationKind;
import dev.cirrus.computevm.operation.OperationRepository;
import org.springframework.stereotype.Service;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the scale-set use cases ({@code scaleset/}) may do with VMs. A scale set's instances ARE virtual machines
 * (rows of {@code virtual_machines} carrying a {@link ScaleSetMembership}), so they go through the VM's own state
 * machine, its worker (placement with the set's group, release), the placement engine's reactions (service healing,
 * stranding, maintenance) and its events, which billing meters like any VM's. Every method runs in the caller's
 * transaction: the caller locks the set first, then its instances.
 */
@Service
public class ScaleSetInstances {

    private final VirtualMachineRepository vms;
    private final VirtualMachines useCases;
    private final OperationRepository operations;
    private final VmEvents events;
    private final VmRepresentation representation;
    private final WorkSignal worker;
    private final VmProperties properties;

    ScaleSetInstances(VirtualMachineRepository vms, VirtualMachines useCases, OperationRepository operations,
                      VmEvents events, VmRepresentation representation, WorkSignal worker, VmProperties properties) {
        this.vms = vms;
        this.useCases = useCases;
        this.operations = operations;
        this.events = events;
        this.representation = representation;
        this.worker = worker;
        this.properties = properties;
    }

    /** The instances of the set with lower-cased id {@code scaleSetKey}, in instance order. */
    public List<VirtualMachine> of(String scaleSetKey) {
        return vms.listScaleSet(scaleSetKey);
    }

    /** The same, locked until the transaction ends. */
    public List<VirtualMachine> lockAll(String scaleSetKey) {
        return vms.listScaleSetForUpdate(scaleSetKey);
    }

    public Optional<VirtualMachine> find(VmRef ref) {
        return vms.find(ref.key());
    }

    /** The image as the catalogue has it ({@code latest} resolved); 404 PlatformImageNotFound otherwise. */
    public VmProfile.ImageReference resolveImage(VmProfile.ImageReference requested) {
        return useCases.resolve(requested);
    }

    /** 409 OperationNotAllowed (Azure's quota message) when {@code vcpus} more would exceed the regional quota. */
    public void checkQuota(String subscriptionId, String location, int vcpus) {
        useCases.checkQuota(subscriptionId, location, vcpus, 0);
    }

    /**
     * A new instance: Creating, with its Create operation queued for the worker (placed with the set's group).
     * A Flexible instance is an ordinary VM and gets Microsoft.Network NICs from the model's
     * {@code networkInterfaceConfigurations}; a Uniform instance keeps the model's network profile as it is.
     *
     * @param model the set's virtualMachineProfile, read as a VM request, with the image already resolved
     */
    public VirtualMachine add(VmRef ref, VmRequest model, VmProfile.ImageReference image, ScaleSetMembership set,
                              String computerName, Instant now) {
        VmRequest request = model;
        if (model.osProfile() != null) {
            VmProfile.OsProfile os = model.osProfile();
            request = new VmRequest(model.location(), model.tags(), model.zones(), model.size(),
                    model.imageReference(), model.osDisk(), model.dataDisks(),
                    new VmProfile.OsProfile(computerName, os.adminUsername(), os.linuxConfiguration(),
                            os.windowsConfiguration(), os.secrets(), os.allowExtensionOperations()),
                    model.networkProfile(), model.nicConfigurations(), null, model.properties());
        }
        if (!ref.uniformInstance()) {
            request = request.withNetworkProfile(useCases.attachNetworkInterfaces(ref, request));
        }
        UUID operationId = UUID.randomUUID();
        VirtualMachine.Creation creation = VirtualMachine.create(ref, request, image, null, set, UUID.randomUUID(),
                operationId, UUID.randomUUID().toString().replace("-", ""), now);
        VirtualMachine vm = creation.vm();
        vms.insert(vm);
        operations.insert(Operation.start(operationId, ref.subscriptionId(), vm.location(), ref.key(),
                OperationKind.Create, now), now.plus(properties.timings().provisioning()));
        events.publish(creation.events());
        worker.wakeUpAfterCommit();
        return vm;
    }

    /**
     * Starts deleting a locked instance (its Delete operation queued for the worker); one already being deleted is
     * left alone. Refused (409 AnotherOperationInProgress) while another operation runs on it.
     */
    public void delete(VirtualMachine vm, Instant now) {
        if (vm.provisioningState() == ProvisioningState.Deleting) {
            return;
        }
        UUID operationId = UUID.randomUUID();
        vm.beginDeletion(operationId, now);
        vms.update(vm);
        operations.insert(Operation.start(operationId, vm.ref().subscriptionId(), vm.location(), vm.ref().key(),
                OperationKind.Delete, now), now.plus(properties.timings().deletion()));
        worker.wakeUpAfterCommit();
    }

    /**
     * A power action on a locked instance, exactly as on a VM (409 Conflict from a state it does not start from, 409
     * AnotherOperationInProgress while one runs). A start from deallocated takes vCPUs again: the quota is checked.
     */
    public UUID powerAction(VirtualMachine vm, PowerAction action, Instant now) {
        if (action == PowerAction.start && vm.powerState() == PowerState.deallocated
                && vm.operationId() == null && !vm.provisioningState().busy()) {
            useCases.checkQuota(vm.ref().subscriptionId(), vm.location(), vm.size().vcpus(), 0);
        }
        UUID operationId = UUID.randomUUID();
        events.publish(vm.beginPowerAction(action, operationId, now));
        vms.update(vm);
        operations.insert(Operation.start(operationId, vm.ref().subscriptionId(), vm.location(), vm.ref().key(),
                action.kind(), now), now.plus(properties.duration(action.kind())));
        worker.wakeUpAfterCommit();
        return operationId;
    }

    /** Stores a locked instance after {@link VirtualMachine#applyModel} or {@link VirtualMachine#protect}. */
    public void save(VirtualMachine vm) {
        vms.update(vm);
    }

    /** A Uniform instance as ARM returns it. */
    public ObjectNode resource(VirtualMachine vm, int modelVersion, String skuTier, boolean withInstanceView) {
        return representation.instance(vm, modelVersion, skuTier, withInstanceView);
    }

    /** A Flexible instance: the VM itself, as {@code GET …/virtualMachines/{name}} returns it. */
    public ObjectNode vmResource(VirtualMachine vm) {
        return representation.resource(vm, false);
    }

    public ObjectNode instanceView(VirtualMachine vm) {
        return representation.instanceView(vm);
    }
}
