package dev.cirrus.computevm.vm;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cirrus.contracts.arm.Preconditions;
import dev.cirrus.computevm.availabilityset.AvailabilitySet;
import dev.cirrus.computevm.availabilityset.AvailabilitySetRepository;
import dev.cirrus.computevm.image.ImageCatalogue;
import dev.cirrus.computevm.network.NicAttachments;
import dev.cirrus.computevm.operation.Operation;
import dev.cirrus.computevm.operation.OperationKind;
import dev.cirrus.computevm.operation.OperationRepository;
import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The VM use cases behind the ARM API: load (locked) → decide (the {@link VirtualMachine}) → save the VM, its
 * operation and its events in one transaction → wake the worker after commit.
 */
@Service
class VirtualMachines {

    private static final Pattern SET_ID = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Compute/availabilitySets/([^/]+)",
            Pattern.CASE_INSENSITIVE);

    private final VirtualMachineRepository vms;
    private final OperationRepository operations;
    private final AvailabilitySetRepository sets;
    private final ImageCatalogue images;
    private final VmEvents events;
    private final VmRepresentation representation;
    private final WorkSignal worker;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final VmProperties properties;
    private final NicAttachments nics;

    VirtualMachines(VirtualMachineRepository vms, OperationRepository operations, AvailabilitySetRepository sets,
                    ImageCatalogue images, VmEvents events, VmRepresentation representation, WorkSignal worker,
                    TransactionTemplate tx, Clock clock, VmProperties properties, NicAttachments nics) {
        this.nics = nics;
        this.vms = vms;
        this.operations = operations;
        this.sets = sets;
        this.images = images;
        this.events = events;
        this.representation = representation;
        this.worker = worker;
        this.tx = tx;
        this.clock = clock;
        this.properties = properties;
    }

    /** The result of a PUT: the VM as stored, and the create operation when the PUT created it. */
    record PutResult(VirtualMachine vm, Operation created) {
    }

    /** A long-running operation was accepted (202): its id and the location its URLs live under. */
    record Accepted(UUID operationId, String location) {
    }

    /** The result of a DELETE: nothing to delete (204), or the running delete operation (202). */
    sealed interface DeleteResult {
        record Absent() implements DeleteResult {
        }

        record Running(Accepted operation) implements DeleteResult {
        }
    }

    /** One page of a list, and the key the next page starts after (null on the last page). */
    record Page(List<VirtualMachine> vms, String nextAfterKey) {
    }

    PutResult put(VmRef ref, VmRequest request, Preconditions preconditions) {
        try {
            return tx.execute(status -> {
                Optional<VirtualMachine> existing = vms.findForUpdate(ref.key());
                preconditions.checkPut(existing.map(VirtualMachine::etag).orElse(null));
                Instant now = now();
                if (existing.isPresent()) {
                    VirtualMachine vm = existing.get();
                    vm.update(ref, request, representation.properties(vm));
                    vms.update(vm);
                    return new PutResult(vm, null);
                }
                if (request.imageReference() == null) {
                    throw ArmJson.missing("storageProfile.imageReference",
                            "properties.storageProfile.imageReference");
                }
                VmProfile.ImageReference image = resolve(request.imageReference());
                AvailabilitySetRef set = joinSet(ref, request);
                VmRequest attached = request.withNetworkProfile(attachNetworkInterfaces(ref, request));
                checkQuota(ref.subscriptionId(), request.location(), request.size().numberOfCores(), 0);
                UUID operationId = UUID.randomUUID();
                String diskSuffix = UUID.randomUUID().toString().replace("-", "");
                VirtualMachine.Creation creation = VirtualMachine.create(ref, attached, image, set, UUID.randomUUID(),
                        operationId, diskSuffix, now);
                VirtualMachine vm = creation.vm();
                vms.insert(vm);
                Operation op = Operation.start(operationId, ref.subscriptionId(), vm.location(), ref.key(),
                        OperationKind.Create, now);
                operations.insert(op, now.plus(properties.timings().provisioning()));
                events.publish(creation.events());
                worker.wakeUpAfterCommit();
                return new PutResult(vm, op);
            });
        } catch (DuplicateKeyException e) {
            // two PUTs created the same VM at once: the other one won and is still creating it
            throw ArmException.conflict("AnotherOperationInProgress", "Operation on virtual machine '" + ref.name()
                    + "' is not allowed: another operation is in progress. Retry after it completes.");
        }
    }

    /**
     * A PATCH: {@code merge} turns the stored VM into the request a PUT would have sent (the stored VM with the
     * patch merged in); the same rules as a PUT on an existing VM then apply. 404 when the VM does not exist.
     */
    VirtualMachine patch(VmRef ref, Function<VirtualMachine, VmRequest> merge, Preconditions preconditions) {
        return tx.execute(status -> {
            VirtualMachine vm = vms.findForUpdate(ref.key()).orElseThrow(() -> notFound(ref));
            preconditions.checkPut(vm.etag());
            vm.update(ref, merge.apply(vm), representation.properties(vm));
            vms.update(vm);
            return vm;
        });
    }

    Optional<VirtualMachine> get(VmRef ref) {
        return vms.find(ref.key());
    }

    DeleteResult delete(VmRef ref, Preconditions preconditions) {
        return tx.execute(status -> {
            Optional<VirtualMachine> existing = vms.findForUpdate(ref.key());
            if (existing.isEmpty()) {
                return new DeleteResult.Absent();
            }
            VirtualMachine vm = existing.get();
            preconditions.checkDelete(vm.etag());
            if (vm.provisioningState() == ProvisioningState.Deleting) {
                // a repeated DELETE joins the deletion already under way
                return new DeleteResult.Running(new Accepted(vm.operationId(), vm.location()));
            }
            Instant now = now();
            UUID operationId = UUID.randomUUID();
            vm.beginDeletion(operationId, now);
            vms.update(vm);
            operations.insert(Operation.start(operationId, ref.subscriptionId(), vm.location(), ref.key(),
                    OperationKind.Delete, now), now.plus(properties.timings().deletion()));
            worker.wakeUpAfterCommit();
            return new DeleteResult.Running(new Accepted(operationId, vm.location()));
        });
    }

    /** A power action: the intermediate state and its event now, the rest by the worker after the action's time. */
    Accepted powerAction(VmRef ref, PowerAction action, Preconditions preconditions) {
        return tx.execute(status -> {
            VirtualMachine vm = vms.findForUpdate(ref.key()).orElseThrow(() -> notFound(ref));
            preconditions.checkDelete(vm.etag());
            if (action == PowerAction.start && vm.powerState() == PowerState.deallocated
                    && vm.operationId() == null && !vm.provisioningState().busy()) {
                // a deallocated VM holds no vCPUs: starting it takes them again
                checkQuota(ref.subscriptionId(), vm.location(), vm.size().vcpus(), 0);
            }
            Instant now = now();
            UUID operationId = UUID.randomUUID();
            events.publish(vm.beginPowerAction(action, operationId, now));
            vms.update(vm);
            operations.insert(Operation.start(operationId, ref.subscriptionId(), vm.location(), ref.key(),
                    action.kind(), now), now.plus(properties.duration(action.kind())));
            worker.wakeUpAfterCommit();
            return new Accepted(operationId, vm.location());
        });
    }

    Page list(String subscriptionId, String resourceGroupOrNull, String afterKey, int pageSize) {
        List<VirtualMachine> rows = vms.list(subscriptionId, resourceGroupOrNull, afterKey, pageSize + 1);
        if (rows.size() <= pageSize) {
            return new Page(rows, null);
        }
        List<VirtualMachine> page = rows.subList(0, pageSize);
        return new Page(page, page.get(pageSize - 1).ref().key());
    }

    /** What one subscription holds in one region, against its limits. */
    record Usage(int vcpus, int vcpuLimit, int vms) {
    }

    Usage usage(String subscriptionId, String location) {
        VirtualMachineRepository.QuotaUse use = vms.quotaUse(subscriptionId, location);
        return new Usage(use.vcpus(), properties.quota().regionalVcpus(), use.vms());
    }

    static ArmException notFound(VmRef ref) {
        return ArmException.notFound("ResourceNotFound", "The Resource '" + VmRef.TYPE + "/" + ref.name()
                + "' under resource group '" + ref.resourceGroup() + "' was not found.");
    }

    /** Refuses (409 OperationNotAllowed, Azure's quota message) a change that would hold more vCPUs than allowed. */
    void checkQuota(String subscriptionId, String location, int additional, int released) {
        vms.lockQuota(subscriptionId, location);
        int limit = properties.quota().regionalVcpus();
        int current = vms.quotaUse(subscriptionId, location).vcpus() - released;
        if (current + additional > limit) {
            throw new ArmException(409, "OperationNotAllowed", "Operation could not be completed as it results in "
                    + "exceeding approved Total Regional Cores quota. Additional details - Deployment Model: Resource "
                    + "Manager, Location: " + location + ", Current Limit: " + limit + ", Current Usage: " + current
                    + ", Additional Required: " + additional + ", (Minimum) New Limit Required: " + (current + additional)
                    + ". Raise cirrus.vm.quota.regional-vcpus (the quota of this local cloud) or deallocate or delete "
                    + "virtual machines in " + location + ".", null);
        }
    }

    /**
     * A new VM stands on network interfaces: the ones {@code networkInterfaces} names, attached here, or the ones
     * {@code networkInterfaceConfigurations} describes, created here ({@link NicAttachments}), in this
     * transaction. Without either, Azure's 400 InvalidParameter for the missing networkProfile.
     */
    VmProfile.NetworkProfile attachNetworkInterfaces(VmRef ref, VmRequest request) {
        VmProfile.NetworkProfile given = request.networkProfile();
        if (given == null || given.networkInterfaces().isEmpty() && request.nicConfigurations().isEmpty()) {
            throw ArmException.invalidParameter("Required parameter 'networkProfile' is missing (null).",
                    "networkProfile");
        }
        if (!given.networkInterfaces().isEmpty() && !request.nicConfigurations().isEmpty()) {
            throw ArmException.invalidParameter("A virtual machine names either networkInterfaces or "
                    + "networkInterfaceConfigurations, not both.", "properties.networkProfile");
        }
        ResourceId vmId = ResourceId.of(ref.subscriptionId(), ref.resourceGroup(), "Microsoft.Compute",
                "virtualMachines", ref.name());
        List<NicAttachments.Attached> attached = request.nicConfigurations().isEmpty()
                ? nics.attach(vmId, request.location(), given.networkInterfaces().stream()
                        .map(n -> new NicAttachments.Requested(n.id(),
                                n.properties() == null ? null : n.properties().primary(),
                                n.properties() == null ? null : n.properties().deleteOption()))
                        .toList())
                : nics.create(vmId, request.location(), request.nicConfigurations());
        return new VmProfile.NetworkProfile(given.networkApiVersion(), attached.stream()
                .map(a -> new VmProfile.NetworkInterfaceReference(a.id(),
                        new VmProfile.NetworkInterfaceProperties(a.primary(), a.deleteOption())))
                .toList(), given.networkInterfaceConfigurations());
    }

    /** The image as the catalogue has it, with {@code latest} resolved; Azure's 404 for an image it does not have. */
    VmProfile.ImageReference resolve(VmProfile.ImageReference requested) {
        String exact = images.resolve(requested.publisher(), requested.offer(), requested.sku(), requested.version())
                .orElseThrow(() -> new ArmException(404, "PlatformImageNotFound", "The platform image '"
                        + requested.publisher() + ":" + requested.offer() + ":" + requested.sku() + ":"
                        + requested.version() + "' is not available. Verify that all fields in the storage profile are "
                        + "correct. For more details about storage profile information, please refer to "
                        + "https://aka.ms/storageprofile", "imageReference"));
        return new VmProfile.ImageReference(requested.publisher(), requested.offer(), requested.sku(),
                requested.version(), exact);
    }

    /** The availability set a new VM names: in its resource group and location; kept from deletion meanwhile. */
    private AvailabilitySetRef joinSet(VmRef ref, VmRequest request) {
        String id = request.availabilitySetId();
        if (id == null) {
            return null;
        }
        Matcher m = SET_ID.matcher(id);
        if (!m.matches()) {
            throw ArmException.invalidParameter("The availability set id '" + id + "' is not a valid resource id: use "
                    + "/subscriptions/{subscriptionId}/resourceGroups/{group}/providers/Microsoft.Compute/"
                    + "availabilitySets/{name}.", "properties.availabilitySet.id");
        }
        if (!m.group(1).equalsIgnoreCase(ref.subscriptionId()) || !m.group(2).equalsIgnoreCase(ref.resourceGroup())) {
            throw ArmException.invalidParameter("The availability set '" + m.group(3) + "' must be in the resource group "
                    + "of the virtual machine ('" + ref.resourceGroup() + "').", "properties.availabilitySet.id");
        }
        AvailabilitySet set = sets.findForJoining(id.toLowerCase(Locale.ROOT)).orElseThrow(() -> new ArmException(404,
                "NotFound", "The Availability Set '" + id + "' cannot be found.", "properties.availabilitySet.id"));
        if (!set.location().equals(request.location())) {
            throw ArmException.invalidParameter("The availability set '" + set.name() + "' is in " + set.location()
                    + "; a virtual machine in " + request.location() + " cannot join it.", "properties.availabilitySet.id");
        }
        return new AvailabilitySetRef(set.id(), set.faultDomainCount(), set.updateDomainCount());
    }

    /** PostgreSQL keeps microseconds: times are cut to them, so what is answered now equals what is read later. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
