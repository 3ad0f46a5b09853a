package dev.cirrus.placement.allocation;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.placement.inventory.HostUsage;
import dev.cirrus.placement.inventory.InventoryRepository;
import dev.cirrus.plumbing.events.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Places, releases and looks up allocations: load, decide, save and publish in one transaction, so an allocation
 * and its event exist together or not at all.
 *
 * <p>Never over-commit: a placement takes its region's lock (a row lock on the region, held until commit) before
 * it reads the hosts' use, so placements in one region run one after another and each sees the ones before it.
 * Releases need no lock: they only free capacity.
 *
 * <p>Failures of the database are not caught here: they leave as Spring's data-access exceptions, and the API
 * answers them as retryable. Every call is safe to retry: placing is idempotent per vmId, releasing answers
 * released=false the second time.
 */
@Service
public class Placements {

    static final String SERVICE = "placement-engine";

    private static final Logger log = LoggerFactory.getLogger(Placements.class);

    private final InventoryRepository inventory;
    private final AllocationRepository allocations;
    private final Scheduler scheduler;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ObjectMapper json;

    Placements(InventoryRepository inventory, AllocationRepository allocations, Scheduler scheduler, Outbox outbox,
               TransactionTemplate tx, Clock clock, ObjectMapper json) {
        this.inventory = inventory;
        this.allocations = allocations;
        this.scheduler = scheduler;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
        this.json = json;
    }

    /**
     * Places a VM, or answers its allocation when it is already placed as asked.
     *
     * @throws PlacementRefusal UNKNOWN_LOCATION, NOTHING_FITS (with the per-reason diagnosis) or PLACED_DIFFERENTLY
     */
    public Allocation place(PlacementRequest request) {
        try {
            return tx.execute(s -> placeInTransaction(request));
        } catch (DuplicateKeyException raced) {
            // the same VM was placed at the same moment by a call that took another region's lock (a request for
            // another location): answer as if this call had come second
            return tx.execute(s -> allocations.find(request.vmId()).orElseThrow(() -> raced))
                    .placedAgainBy(request);
        }
    }

    private Allocation placeInTransaction(PlacementRequest request) {
        Optional<Allocation> existing = allocations.find(request.vmId());
        if (existing.isPresent()) {
            return existing.get().placedAgainBy(request);
        }
        if (!inventory.lockRegion(request.location())) {
            throw PlacementRefusal.unknownLocation(request.location());
        }
        // a retry of the same VM may have committed while this call waited for the lock
        existing = allocations.find(request.vmId());
        if (existing.isPresent()) {
            return existing.get().placedAgainBy(request);
        }
        List<HostUsage> hosts = inventory.hostsInService(request.location());
        if (hosts.isEmpty()) {
            throw PlacementRefusal.unknownLocation(request.location());
        }
        return switch (scheduler.schedule(request, hosts)) {
            case Decision.NothingFits nothing ->
                    throw new PlacementRefusal(PlacementRefusal.Reason.NOTHING_FITS, nothing.message());
            case Decision.Fits fits -> {
                Allocation allocation = Allocation.on(fits.host(), request, clock.instant());
                allocations.insert(allocation);
                publish(allocation.allocated());
                log.debug("placed VM {} ({}) on host {}", allocation.vmId(), allocation.resourceId(), allocation.host());
                yield allocation;
            }
        };
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

    private void publish(PlacementEvent event) {
        outbox.append(Topics.PLACEMENT,
                CloudEvent.of(SERVICE, event.type(), event.subject(), event.time(), json.valueToTree(event.data())));
    }
}
