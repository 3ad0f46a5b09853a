package dev.cirrus.placement.allocation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.placement.inventory.HostState;
import dev.cirrus.placement.inventory.HostUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The operator's actions on hosts: fail a host or a rack, drain it, recover it.
 *
 * <p>Service healing (fail) and drain move each VM of the hosts, in vmId order, with the same pipeline as a
 * placement: first to another healthy host of the same rack (its fault domain: a VM of a set keeps its fault and
 * update domains, as Azure's service healing does); a standalone VM that finds no room there may go to any healthy
 * host of its region. A VM no host can take stays where it is and is reported stranded, with the diagnosis. One
 * event per VM: {@code VmServiceHealed} (fail) or {@code VmMigrated} (drain) with the new placement, or
 * {@code VmStranded} with the old one. The state change, the moves and the events are one decision under the
 * engine's decision lock and one commit, so a concurrent placement never sees a half-failed rack.
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

    private final Placements placements;
    private final Clock clock;

    HostOperations(Placements placements, Clock clock) {
        this.placements = placements;
        this.clock = clock;
    }

    /** The hosts fail: their VMs are service-healed or stranded. Failing a failed host moves what is left on it. */
    public Outcome fail(HostSelector where) {
        return placements.change(state -> evacuate(state, where, HostState.Failed, EventTypes.VM_SERVICE_HEALED));
    }

    /** The hosts take no new VMs and their VMs move elsewhere. */
    public Outcome drain(HostSelector where) {
        return placements.change(state -> evacuate(state, where, HostState.Drained, EventTypes.VM_MIGRATED));
    }

    /**
     * Failed or drained hosts are back in service. A VM stranded on a recovered failed host comes back there: one
     * {@code VmServiceHealed} event per such VM (its placement unchanged), so compute-vm reboots it and shows it
     * healthy again. VMs stranded on a drained host never stopped running: nothing to announce.
     */
    public Outcome recover(HostSelector where) {
        return placements.change(state -> {
            List<HostUsage> hosts = select(state, where);
            java.util.Set<String> failedBefore = hosts.stream().filter(h -> h.state() == HostState.Failed)
                    .map(HostUsage::name).collect(Collectors.toSet());
            List<GroupCommit.HostChange> changed = changeState(state, hosts, HostState.InService,
                    List.of(HostState.Failed, HostState.Drained));
            Instant now = clock.instant();
            List<PlacementEvent> events = new ArrayList<>();
            for (Allocation vm : state.on(failedBefore)) {
                events.add(vm.event(EventTypes.VM_SERVICE_HEALED, now));
            }
            List<String> names = changed.stream().map(GroupCommit.HostChange::host).toList();
            log.info("recovered {}: hosts {}; {} stranded VMs back on them", where, names, events.size());
            return new GroupCommit.Pending<>(List.of(), changed, events, new Outcome(names, List.of()));
        });
    }

    private static List<HostUsage> select(EngineState state, HostSelector where) {
        List<HostUsage> hosts = state.select(where);
        if (hosts.isEmpty()) {
            throw new PlacementRefusal(PlacementRefusal.Reason.UNKNOWN_HOST, "the inventory has no " + where);
        }
        return hosts;
    }

    /** Sets the state of the hosts that are in one of {@code from} (never a retired one); returns them, by name. */
    private static List<GroupCommit.HostChange> changeState(EngineState state, List<HostUsage> hosts, HostState to,
                                                            List<HostState> from) {
        List<GroupCommit.HostChange> changed = new ArrayList<>();
        for (HostUsage h : hosts) {
            if (from.contains(h.state()) && h.state() != HostState.Retired) {
                state.setState(h, to);
                changed.add(new GroupCommit.HostChange(h.name(), to));
            }
        }
        return changed;
    }

    private GroupCommit.Pending<Outcome> evacuate(EngineState state, HostSelector where, HostState to,
                                                  String movedType) {
        List<HostUsage> hosts = select(state, where);
        List<GroupCommit.HostChange> changed = changeState(state, hosts, to,
                List.of(HostState.InService, HostState.Failed, HostState.Drained));
        RegionView region = state.region(hosts.getFirst().region());
        Instant now = clock.instant();
        List<Move> moves = new ArrayList<>();
        List<GroupCommit.RowChange> rows = new ArrayList<>();
        List<PlacementEvent> events = new ArrayList<>();
        Scheduler scheduler = placements.scheduler();
        for (Allocation vm : state.on(hosts.stream().map(HostUsage::name).collect(Collectors.toSet()))) {
            PlacementContext context = new PlacementContext(vm.asRequest(), null, region.racksPerCluster());
            Decision decision = scheduler.schedule(context, region.onRack(vm.cluster(), vm.rack()));
            if (decision instanceof Decision.NothingFits && vm.group() == null) {
                decision = scheduler.schedule(context, region.candidates());
            }
            switch (decision) {
                case Decision.Fits fits -> {
                    Allocation moved = vm.movedTo(fits.host());
                    state.remove(vm);
                    state.add(moved);
                    rows.add(new GroupCommit.RowChange(vm.vmId(), moved, false));
                    events.add(moved.event(movedType, now));
                    moves.add(new Move(vm.host(), moved, false, ""));
                }
                case Decision.NothingFits nothing -> {
                    events.add(vm.event(EventTypes.VM_STRANDED, now));
                    moves.add(new Move(vm.host(), vm, true, nothing.message()));
                }
            }
        }
        List<String> names = changed.stream().map(GroupCommit.HostChange::host).toList();
        log.info("{} {}: hosts {} changed; {} VMs moved, {} stranded", to, where, names,
                moves.stream().filter(m -> !m.stranded()).count(), moves.stream().filter(Move::stranded).count());
        return new GroupCommit.Pending<>(rows, changed, events, new Outcome(names, moves));
    }
}
