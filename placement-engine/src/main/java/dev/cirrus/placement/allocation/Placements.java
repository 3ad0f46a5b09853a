package dev.cirrus.placement.allocation;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.placement.inventory.InventoryRepository;
import dev.cirrus.plumbing.events.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Places, releases and looks up allocations: load, decide, save and publish in one transaction, so an allocation
 * and its event exist together or not at all.
 *
 * <p>Never over-commit, never break a set's rules: a placement takes its region's lock (a row lock on the region,
 * held until commit), then its set's lock (a transaction advisory lock on the set's id, so that two regions never
 * both start the same set), before it reads the hosts' use and the set's members: placements in one region run one
 * after another and each sees the ones before it. Releases need no lock: they only free capacity.
 *
 * <p>Several VMs in one call (PlaceMany) are decided one after another in one transaction, each consuming the
 * capacity and the set domain the previous ones took; if one does not fit, the transaction rolls back and none is
 * placed.
 *
 * <p>Failures of the database are not caught here: they leave as Spring's data-access exceptions, and the API
 * answers them as retryable. Every call is safe to retry: placing is idempotent per vmId, releasing answers
 * released=false the second time.
 */
@Service
public class Placements {

    static final String SERVICE = "placement-engine";

    /** A PlaceMany larger than this is refused: one transaction should stay short. */
    static final int MAX_VMS_PER_CALL = 1000;

    private static final Logger log = LoggerFactory.getLogger(Placements.class);

    private final InventoryRepository inventory;
    private final AllocationRepository allocations;
    private final Scheduler scheduler;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final ObjectMapper json;

    Placements(InventoryRepository inventory, AllocationRepository allocations, Scheduler scheduler, Outbox outbox,
               TransactionTemplate tx, JdbcTemplate jdbc, Clock clock, ObjectMapper json) {
        this.inventory = inventory;
        this.allocations = allocations;
        this.scheduler = scheduler;
        this.outbox = outbox;
        this.tx = tx;
        this.jdbc = jdbc;
        this.clock = clock;
        this.json = json;
    }

    /**
     * Places a VM, or answers its allocation when it is already placed as asked.
     *
     * @throws PlacementRefusal UNKNOWN_LOCATION, NOTHING_FITS (with the per-filter diagnosis) or PLACED_DIFFERENTLY
     */
    public Allocation place(PlacementRequest request) {
        return placeAll(List.of(request)).getFirst();
    }

    /**
     * Places every VM or none: the VMs of one set (or standalone VMs) in one location.
     *
     * @throws PlacementRefusal INVALID_REQUEST (mixed locations or groups, repeated vmIds, none or too many), or
     *                          what {@link #place} throws for the first VM that cannot be placed
     */
    public List<Allocation> placeAll(List<PlacementRequest> requests) {
        checkTogether(requests);
        try {
            return tx.execute(s -> placeInTransaction(requests));
        } catch (DuplicateKeyException raced) {
            // a VM was placed at the same moment by a call that took another region's lock (a request for another
            // location): answer as if this call had come second
            return tx.execute(s -> placeInTransaction(requests));
        }
    }

    private static void checkTogether(List<PlacementRequest> requests) {
        List<String> problems = new ArrayList<>();
        if (requests.isEmpty() || requests.size() > MAX_VMS_PER_CALL) {
            problems.add("vms must hold 1 to " + MAX_VMS_PER_CALL + " VMs, got " + requests.size());
        } else {
            PlacementRequest first = requests.getFirst();
            Set<String> ids = new HashSet<>();
            for (PlacementRequest r : requests) {
                if (!r.location().equals(first.location())) {
                    problems.add("every VM must have the same location: '" + r.location() + "' is not '"
                            + first.location() + "'");
                }
                if (!java.util.Objects.equals(r.group(), first.group())) {
                    problems.add("every VM must be in the same group: VM '" + r.vmId() + "' is not");
                }
                if (!ids.add(r.vmId())) {
                    problems.add("vm_id '" + r.vmId() + "' is listed twice");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw PlacementRefusal.invalidRequest(problems.stream().distinct().toList());
        }
    }

    private List<Allocation> placeInTransaction(List<PlacementRequest> requests) {
        PlacementRequest first = requests.getFirst();
        List<Allocation> placed = new ArrayList<>();
        boolean allPlaced = true;
        for (PlacementRequest request : requests) {
            Optional<Allocation> existing = allocations.find(request.vmId());
            allPlaced &= existing.isPresent();
            existing.ifPresent(a -> placed.add(a.placedAgainBy(request)));
        }
        if (allPlaced) {
            return placed;
        }
        if (!inventory.lockRegion(first.location())) {
            throw PlacementRefusal.unknownLocation(first.location());
        }
        if (first.group() != null) {
            jdbc.query("select pg_advisory_xact_lock(hashtext(?))", rs -> { }, first.groupKey());
        }
        RegionView region = new RegionView(inventory.hosts(first.location()));
        if (region.isEmpty()) {
            throw PlacementRefusal.unknownLocation(first.location());
        }
        GroupState group = first.group() == null ? null : groupState(first.group());
        placed.clear();
        for (PlacementRequest request : requests) {
            // a retry of the same VM may have committed while this call waited for the lock
            Optional<Allocation> existing = allocations.find(request.vmId());
            if (existing.isPresent()) {
                placed.add(existing.get().placedAgainBy(request));
                continue;
            }
            PlacementContext context = new PlacementContext(request, group, region.racksPerCluster());
            Allocation allocation = switch (scheduler.schedule(context, region)) {
                case Decision.NothingFits nothing -> throw new PlacementRefusal(PlacementRefusal.Reason.NOTHING_FITS,
                        (requests.size() > 1 ? "VM " + (placed.size() + 1) + " of " + requests.size() + ": " : "")
                                + nothing.message());
                case Decision.Fits fits -> Allocation.on(fits.host(), context, clock.instant());
            };
            allocations.insert(allocation);
            publish(allocation.allocated());
            region.add(allocation);
            if (group != null) {
                group = group.with(allocation.cluster(), allocation.faultDomain(), allocation.updateDomain());
            }
            log.debug("placed VM {} ({}) on host {}", allocation.vmId(), allocation.resourceId(), allocation.host());
            placed.add(allocation);
        }
        return placed;
    }

    private GroupState groupState(PlacementGroup group) {
        List<Allocation> members = allocations.ofGroup(group.key());
        return new GroupState(group, members.isEmpty() ? null : members.getFirst().cluster(),
                members.stream().map(m -> new GroupState.Member(m.faultDomain(), m.updateDomain())).toList());
    }

    /**
     * Releases a VM's host capacity.
     *
     * @return false when the VM had no allocation (already released, or never placed)
     */
    public boolean release(String vmId) {
        String id = VmIds.require(vmId);
        return Boolean.TRUE.equals(tx.execute(s -> allocations.delete(id)
                .map(released -> {
                    publish(released.released(clock.instant()));
                    return true;
                })
                .orElse(false)));
    }

    /** @throws PlacementRefusal NOT_PLACED when the VM has no allocation */
    public Allocation allocation(String vmId) {
        String id = VmIds.require(vmId);
        return tx.execute(s -> allocations.find(id)).orElseThrow(() -> PlacementRefusal.notPlaced(id));
    }

    /** The members of a set (its id is case-insensitive), by vmId. */
    public List<Allocation> ofGroup(String groupId) {
        return tx.execute(s -> allocations.ofGroup(groupId.strip().toLowerCase(java.util.Locale.ROOT)));
    }

    /** The VMs on a host, or on every host of a rack, by vmId. */
    public List<Allocation> on(HostSelector where) {
        return tx.execute(s -> where.host() != null ? allocations.onHosts(List.of(where.host()))
                : allocations.onRack(where.cluster(), where.rack()));
    }

    void publish(PlacementEvent event) {
        outbox.append(Topics.PLACEMENT,
                CloudEvent.of(SERVICE, event.type(), event.subject(), event.time(), json.valueToTree(event.data())));
    }

    /** For the host operations, which share the pipeline. */
    Scheduler scheduler() {
        return scheduler;
    }

}
