package dev.cirrus.placement.allocation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.placement.inventory.HostState;
import dev.cirrus.placement.inventory.HostUsage;
import dev.cirrus.placement.inventory.InventoryRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The operator's actions on hosts: fail a host or a rack, drain it, recover it.
 *
 * <p>Service healing (fail) and drain move each VM of the hosts, in vmId order, with the same pipeline as a
 * placement: first to another healthy host of the same rack (its fault domain: a VM of a set keeps its fault and
 * update domains, as Azure's service healing does); a standalone VM that finds no room there may go to any healthy
 * host of its region. A VM no host can take stays where it is and is reported stranded, with the diagnosis. One
 * event per VM: {@code VmServiceHealed} (fail) or {@code VmMigrated} (drain) with the new placement, or
 * {@code VmStranded} with the old one. The state change, the moves and the events are one transaction under the
 * region's lock, so a concurrent placement never sees a half-failed rack.
 */
@Service
public class HostOperations {

    private static final Logger log = LoggerFactory.getLogger(HostOperations.class);

    /** What an operation did: the hosts whose state changed, and one move per VM that was on them. */
    public record Outcome(List<String> hosts, List<Move> moves) {
    }

    /** @param now where the VM is after the operation (unchanged when stranded) */
    public record Move(String fromHost, Allocation now, boolean stranded, String reason) {
    }

    private final InventoryRepository inventory;
    private final AllocationRepository allocations;
    private final Placements placements;
    private final TransactionTemplate tx;
    private final Clock clock;

    HostOperations(InventoryRepository inventory, AllocationRepository allocations, Placements placements,
                   TransactionTemplate tx, Clock clock) {
        this.inventory = inventory;
        this.allocations = allocations;
        this.placements = placements;
        this.tx = tx;
        this.clock = clock;
    }

    /** The hosts fail: their VMs are service-healed or stranded. Failing a failed host moves what is left on it. */
    public Outcome fail(HostSelector where) {
        return tx.execute(s -> evacuate(where, HostState.Failed, EventTypes.VM_SERVICE_HEALED));
    }

    /** The hosts take no new VMs and their VMs move elsewhere. */
    public Outcome drain(HostSelector where) {
        return tx.execute(s -> evacuate(where, HostState.Drained, EventTypes.VM_MIGRATED));
    }

    /** Failed or drained hosts are back in service; VMs stranded on them simply run there again. */
    public Outcome recover(HostSelector where) {
        return tx.execute(s -> {
            List<HostUsage> hosts = lock(where);
            List<String> changed = inventory.changeState(hosts.stream().map(HostUsage::name).toList(),
                    HostState.InService, List.of(HostState.Failed, HostState.Drained));
            log.info("recovered {}: hosts {}", where, changed);
            return new Outcome(changed, List.of());
        });
    }

    private List<HostUsage> lock(HostSelector where) {
        List<HostUsage> hosts = inventory.select(where.host(), where.cluster(), where.rack());
        if (hosts.isEmpty()) {
            throw new PlacementRefusal(PlacementRefusal.Reason.UNKNOWN_HOST, "the inventory has no " + where);
        }
        inventory.lockRegion(hosts.getFirst().region());
        return hosts;
    }

    private Outcome evacuate(HostSelector where, HostState state, String movedType) {
        List<HostUsage> hosts = lock(where);
        List<String> names = hosts.stream().map(HostUsage::name).toList();
        List<String> changed = inventory.changeState(names, state,
                List.of(HostState.InService, HostState.Failed, HostState.Drained));
        RegionView region = new RegionView(inventory.hosts(hosts.getFirst().region()));
        Instant now = clock.instant();
        List<Move> moves = new ArrayList<>();
        for (Allocation vm : allocations.onHosts(names)) {
            PlacementContext context = new PlacementContext(vm.asRequest(), null, region.racksPerCluster());
            Decision decision = placements.scheduler().schedule(context, region.onRack(vm.cluster(), vm.rack()));
            if (decision instanceof Decision.NothingFits && vm.group() == null) {
                decision = placements.scheduler().schedule(context, region.candidates());
            }
            switch (decision) {
                case Decision.Fits fits -> {
                    Allocation moved = vm.movedTo(fits.host());
                    if (!allocations.move(moved)) {
                        continue; // released while this operation read the hosts' VMs: nothing to move
                    }
                    region.remove(vm);
                    region.add(moved);
                    placements.publish(moved.event(movedType, now));
                    moves.add(new Move(vm.host(), moved, false, ""));
                }
                case Decision.NothingFits nothing -> {
                    placements.publish(vm.event(EventTypes.VM_STRANDED, now));
                    moves.add(new Move(vm.host(), vm, true, nothing.message()));
                }
            }
        }
        log.info("{} {}: hosts {} changed; {} VMs moved, {} stranded", state, where, changed,
                moves.stream().filter(m -> !m.stranded()).count(), moves.stream().filter(Move::stranded).count());
        return new Outcome(changed, moves);
    }
}
