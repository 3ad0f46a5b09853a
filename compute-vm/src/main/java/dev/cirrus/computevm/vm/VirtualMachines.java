package dev.cirrus.computevm.vm;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.cirrus.computevm.arm.Preconditions;
import dev.cirrus.computevm.operation.Operation;
import dev.cirrus.computevm.operation.OperationKind;
import dev.cirrus.computevm.operation.OperationRepository;
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

    private final VirtualMachineRepository vms;
    private final OperationRepository operations;
    private final VmEvents events;
    private final VmRepresentation representation;
    private final WorkSignal worker;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final VmProperties.Timings timings;

    VirtualMachines(VirtualMachineRepository vms, OperationRepository operations, VmEvents events,
                    VmRepresentation representation, WorkSignal worker, TransactionTemplate tx, Clock clock,
                    VmProperties properties) {
        this.vms = vms;
        this.operations = operations;
        this.events = events;
        this.representation = representation;
        this.worker = worker;
        this.tx = tx;
        this.clock = clock;
        this.timings = properties.timings();
    }

    /** The result of a PUT: the VM as stored, and the create operation when the PUT created it. */
    record PutResult(VirtualMachine vm, Operation created) {
    }

    /** The result of a DELETE: nothing to delete (204), or the running delete operation (202). */
    sealed interface DeleteResult {
        record Absent() implements DeleteResult {
        }

        record Accepted(UUID operationId, String location) implements DeleteResult {
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
                UUID operationId = UUID.randomUUID();
                String diskSuffix = UUID.randomUUID().toString().replace("-", "");
                VirtualMachine.Creation creation =
                        VirtualMachine.create(ref, request, UUID.randomUUID(), operationId, diskSuffix, now);
                VirtualMachine vm = creation.vm();
                vms.insert(vm);
                Operation op = Operation.start(operationId, ref.subscriptionId(), vm.location(), ref.key(),
                        OperationKind.Create, now);
                operations.insert(op, now.plus(timings.provisioning()));
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
                return new DeleteResult.Accepted(vm.operationId(), vm.location());
            }
            Instant now = now();
            UUID operationId = UUID.randomUUID();
            vm.beginDeletion(operationId, now);
            vms.update(vm);
            operations.insert(Operation.start(operationId, ref.subscriptionId(), vm.location(), ref.key(),
                    OperationKind.Delete, now), now.plus(timings.deletion()));
            worker.wakeUpAfterCommit();
            return new DeleteResult.Accepted(operationId, vm.location());
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

    /** PostgreSQL keeps microseconds: times are cut to them, so what is answered now equals what is read later. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
