package dev.cirrus.placement.maintenance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.cirrus.contracts.arm.ArmLocations;
import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.MaintenanceWaveData;
import dev.cirrus.contracts.events.PlacementData;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.placement.allocation.PlacementRefusal;
import dev.cirrus.plumbing.events.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Starts planned maintenances and advances them (see {@link Maintenance}): each step is one transaction with its
 * events, so a restarted engine carries on from the last step it committed.
 */
@Service
public class Maintenances {

    private static final Logger log = LoggerFactory.getLogger(Maintenances.class);
    private static final String SERVICE = "placement-engine";

    /** A maintenance as the API shows it. */
    public record View(String id, String region, String cluster, String state, int waves, int wave, long pauseMillis,
                       List<String> rebootingVmIds) {

        static View of(Maintenance m) {
            return new View(m.id(), m.region(), m.cluster(), m.state().name(), m.waves(), m.wave(),
                    m.pause().toMillis(), m.waveVms());
        }
    }

    private final MaintenanceRepository repository;
    private final MaintenanceProperties properties;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ObjectMapper json;

    Maintenances(MaintenanceRepository repository, MaintenanceProperties properties, Outbox outbox,
                 TransactionTemplate tx, Clock clock, ObjectMapper json) {
        this.repository = repository;
        this.properties = properties;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
        this.json = json;
    }

    /**
     * Starts a maintenance of a cluster: wave 0 begins now.
     *
     * @param pause null = the configured default
     * @throws PlacementRefusal INVALID_REQUEST, UNKNOWN_HOST (no such cluster), ALREADY_RUNNING
     */
    public View start(String region, String cluster, Duration pause) {
        if (region == null || region.isBlank() || cluster == null || cluster.isBlank()
                || (pause != null && pause.isNegative())) {
            throw new PlacementRefusal(PlacementRefusal.Reason.INVALID_REQUEST,
                    "region and cluster are required, and pause_millis must not be negative");
        }
        String where = ArmLocations.normalise(region);
        Duration wait = pause == null ? properties.pause() : pause;
        try {
            return tx.execute(s -> {
                if (!repository.clusterExists(where, cluster.strip())) {
                    throw new PlacementRefusal(PlacementRefusal.Reason.UNKNOWN_HOST,
                            "the inventory has no cluster '" + cluster + "' in '" + where + "'");
                }
                Instant now = clock.instant();
                var vms = repository.vmsInUpdateDomain(where, cluster.strip(), 0);
                Maintenance m = Maintenance.start(UUID.randomUUID().toString(), where, cluster.strip(),
                        repository.updateDomainsInUse(where, cluster.strip()), ids(vms), wait,
                        properties.rebootTime(), now);
                repository.insert(m);
                publishWave(m, EventTypes.MAINTENANCE_WAVE_STARTED, 0, now);
                vms.forEach(vm -> publish(EventTypes.VM_REBOOT_STARTED, vm.getKey(), now, vm.getValue()));
                log.info("maintenance {} of {}/{} started: {} waves, pause {}", m.id(), where, cluster, m.waves(), wait);
                return View.of(m);
            });
        } catch (DuplicateKeyException running) {
            throw new PlacementRefusal(PlacementRefusal.Reason.ALREADY_RUNNING,
                    "a maintenance of cluster '" + cluster + "' in '" + where + "' is already running");
        }
    }

    /** @throws PlacementRefusal UNKNOWN_HOST when there is no such maintenance */
    public View get(String id) {
        return tx.execute(s -> repository.find(id == null ? "" : id.strip())).map(View::of).orElseThrow(() ->
                new PlacementRefusal(PlacementRefusal.Reason.UNKNOWN_HOST, "no maintenance '" + id + "'"));
    }

    /** Takes every step that is due; returns how many were taken. */
    int advanceDue() {
        Integer steps = tx.execute(s -> {
            Instant now = clock.instant();
            List<Maintenance> due = repository.dueForUpdate(now);
            for (Maintenance m : due) {
                repository.update(step(m, now));
            }
            return due.size();
        });
        return steps == null ? 0 : steps;
    }

    private Maintenance step(Maintenance m, Instant now) {
        return switch (m.state()) {
            case Updating -> {
                repository.vms(m.waveVms()).forEach(vm ->
                        publish(EventTypes.VM_REBOOT_COMPLETED, vm.getKey(), now, vm.getValue()));
                publishWave(m, EventTypes.MAINTENANCE_WAVE_COMPLETED, m.wave(), now);
                Maintenance next = m.completeWave(now);
                log.info("maintenance {}: wave {} of {} completed{}", m.id(), m.wave(), m.waves(),
                        next.state() == Maintenance.State.Completed ? "; maintenance completed" : "");
                yield next;
            }
            case Pausing -> {
                var vms = repository.vmsInUpdateDomain(m.region(), m.cluster(), m.nextUpdateDomain());
                Maintenance next = m.startNextWave(ids(vms), properties.rebootTime(), now);
                publishWave(next, EventTypes.MAINTENANCE_WAVE_STARTED, next.wave(), now);
                vms.forEach(vm -> publish(EventTypes.VM_REBOOT_STARTED, vm.getKey(), now, vm.getValue()));
                yield next;
            }
            case Completed -> m;
        };
    }

    private static List<String> ids(List<Map.Entry<String, PlacementData>> vms) {
        return vms.stream().map(vm -> vm.getValue().vmId()).toList();
    }

    private void publishWave(Maintenance m, String type, int wave, Instant at) {
        outbox.append(Topics.PLACEMENT, CloudEvent.of(SERVICE, type, "/cirrus/placement/maintenances/" + m.id(), at,
                json.valueToTree(new MaintenanceWaveData(m.id(), m.region(), m.cluster(), wave, m.waves(), wave,
                        m.waveVms()))));
    }

    private void publish(String type, String resourceId, Instant at, PlacementData data) {
        outbox.append(Topics.PLACEMENT, CloudEvent.of(SERVICE, type, resourceId, at, json.valueToTree(data)));
    }
}
