package dev.cirrus.computevm.vm;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.cirrus.computevm.operation.Operation;
import dev.cirrus.computevm.operation.OperationKind;
import dev.cirrus.computevm.operation.OperationRepository;
import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.PlacementData;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.plumbing.events.InboxConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * What the platform does to VMs on its own, as the placement engine announces it on {@code cirrus.placement}
 * (inbox {@code compute-vm-platform}: each event applied once, in the transaction of its effect):
 * <ul>
 *   <li>{@code VmServiceHealed}: the VM's host failed and it was moved within its fault domain: an unplanned reboot
 *       there (starting for {@code cirrus.vm.timings.reboot}, then running), the instance view says so;</li>
 *   <li>{@code VmStranded}: nothing could take it: the instance view says it is unavailable;</li>
 *   <li>{@code VmMigrated}: a drained host's VM was live-migrated: its new host is recorded;</li>
 *   <li>{@code VmRebootStarted} / {@code VmRebootCompleted}: planned maintenance reboots it with its update domain.</li>
 * </ul>
 * Events about VMs this service does not know (another vmId, a deleted VM) are ignored. Each VM event carries the
 * time the engine gave its own event.
 */
@Component
class PlatformEvents implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PlatformEvents.class);
    static final String CONSUMER = "compute-vm-platform";
    private static final Set<String> HANDLED = Set.of(EventTypes.VM_SERVICE_HEALED,
            EventTypes.VM_STRANDED, EventTypes.VM_MIGRATED, EventTypes.VM_REBOOT_STARTED, EventTypes.VM_REBOOT_COMPLETED);

    private final VirtualMachineRepository vms;
    private final OperationRepository operations;
    private final VmEvents events;
    private final WorkSignal worker;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final VmProperties properties;
    private final String bootstrap;
    private final Clock clock;
    private volatile InboxConsumer consumer;

    PlatformEvents(VirtualMachineRepository vms, OperationRepository operations, VmEvents events, WorkSignal worker,
                   JdbcTemplate jdbc, TransactionTemplate tx, ObjectMapper json, VmProperties properties,
                   Clock clock, @Value("${cirrus.kafka.bootstrap-servers:}") String bootstrap) {
        this.clock = clock;
        this.vms = vms;
        this.operations = operations;
        this.events = events;
        this.worker = worker;
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.properties = properties;
        this.bootstrap = bootstrap;
    }

    /** Applies one placement event; runs inside the inbox's transaction. */
    void apply(CloudEvent event) {
        String type = event.type();
        if (!HANDLED.contains(type) || event.data() == null) {
            // HostAllocated / HostReleased answer compute-vm's own calls; maintenance waves are about clusters
            return;
        }
        PlacementData data = json.treeToValue(event.data(), PlacementData.class);
        UUID vmId;
        try {
            vmId = UUID.fromString(data.vmId());
        } catch (RuntimeException e) {
            return;
        }
        Optional<VirtualMachine> found = vms.findByVmIdForUpdate(vmId);
        if (found.isEmpty()) {
            return;
        }
        VirtualMachine vm = found.get();
        if (vm.provisioningState() == ProvisioningState.Creating || vm.provisioningState() == ProvisioningState.Deleting) {
            // the create's own Place answer, or the delete's Release, decides where such a VM is
            return;
        }
        Instant when = event.time().truncatedTo(ChronoUnit.MICROS);
        Placement where = new Placement(data.host(), data.cluster(), data.rack(), data.faultDomain(), data.updateDomain());
        List<VmLifecycleEvent> caused = switch (type) {
            case EventTypes.VM_SERVICE_HEALED -> serviceHealed(vm, where, when);
            case EventTypes.VM_STRANDED -> vm.onStranded("every healthy host of its fault domain is full or failed.",
                    when);
            case EventTypes.VM_MIGRATED -> {
                vm.onMigrated(where, when);
                yield List.of();
            }
            case EventTypes.VM_REBOOT_STARTED -> vm.onMaintenanceRebootStarted(when);
            case EventTypes.VM_REBOOT_COMPLETED -> vm.onMaintenanceRebootCompleted(when);
            default -> throw new IllegalStateException("unhandled " + type);
        };
        events.publish(caused);
        vms.update(vm);
    }

    private List<VmLifecycleEvent> serviceHealed(VirtualMachine vm, Placement where, Instant when) {
        UUID reboot = UUID.randomUUID();
        VirtualMachine.ServiceHealing healing = vm.onServiceHealed(where, reboot, when);
        if (healing.rebooting()) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            operations.insert(Operation.start(reboot, vm.ref().subscriptionId(), vm.location(), vm.ref().key(),
                    OperationKind.ServiceHealReboot, now), now.plus(properties.timings().reboot()));
            worker.wakeUpAfterCommit();
        }
        return healing.events();
    }

    @Override
    public synchronized void start() {
        if (bootstrap == null || bootstrap.isBlank() || consumer != null) {
            return;
        }
        consumer = new InboxConsumer(CONSUMER, List.of(Topics.PLACEMENT), bootstrap, jdbc, tx, json, this::apply);
        consumer.start();
        log.info("reacting to placement events on {}", Topics.PLACEMENT);
    }

    @Override
    public synchronized void stop() {
        if (consumer != null) {
            consumer.close();
            consumer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return consumer != null;
    }
}
