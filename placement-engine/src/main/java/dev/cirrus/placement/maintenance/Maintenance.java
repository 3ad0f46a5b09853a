package dev.cirrus.placement.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Planned maintenance of one cluster, as Azure does it for availability sets: one update domain at a time, with a
 * pause between update domains (Azure: 30 minutes).
 *
 * <p>Wave k reboots every VM of the cluster whose update domain is k (a standalone VM is in update domain 0), so at
 * any moment at most one update domain of any set is being updated. The number of waves is fixed when the
 * maintenance starts: one per update domain in use in the cluster (1 + the highest). A VM placed later in an
 * update domain whose wave has not started yet is rebooted with it; one placed in a finished wave's domain is not.
 *
 * <p>Worked example: a cluster with an availability set of UD 3 (VMs in UD 0, 1, 2) and a standalone VM, pause
 * 30 s, reboot time 10 s. t=0: wave 0 starts (the set's UD-0 VMs and the standalone VM reboot); t=10: wave 0
 * completes, pause; t=40: wave 1 starts; t=50: completes; t=80: wave 2 starts; t=90: completes, maintenance
 * Completed.
 *
 * <p>States: {@code Updating} (wave {@code wave} rebooting {@code waveVms} until {@code dueAt}), {@code Pausing}
 * (until {@code dueAt}, then wave + 1 starts), {@code Completed}. Each transition returns what happened, for the
 * caller to publish.
 */
record Maintenance(String id, String region, String cluster, State state, int waves, int wave, List<String> waveVms,
                   Duration pause, Instant dueAt, Instant startedAt) {

    enum State { Updating, Pausing, Completed }

    /** A wave that started or completed, with its VMs. */
    record Wave(int wave, List<String> vmIds, boolean started) {
    }

    /** Starts the maintenance: wave 0 reboots {@code vmsOfDomainZero} now. */
    static Maintenance start(String id, String region, String cluster, int waves, List<String> vmsOfDomainZero,
                             Duration pause, Duration rebootTime, Instant now) {
        return new Maintenance(id, region, cluster, State.Updating, Math.max(1, waves), 0, List.copyOf(vmsOfDomainZero),
                pause, now.plus(rebootTime), now);
    }

    boolean isDue(Instant now) {
        return state != State.Completed && !now.isBefore(dueAt);
    }

    /** The wave that is rebooting finished: pause before the next, or the maintenance is complete. */
    Maintenance completeWave(Instant now) {
        if (state != State.Updating) {
            throw new IllegalStateException("maintenance " + id + " is " + state + ", not Updating");
        }
        return wave + 1 < waves
                ? new Maintenance(id, region, cluster, State.Pausing, waves, wave, List.of(), pause, now.plus(pause),
                        startedAt)
                : new Maintenance(id, region, cluster, State.Completed, waves, wave, List.of(), pause, now, startedAt);
    }

    /** The pause is over: the next wave reboots {@code vms} (the VMs of update domain wave + 1). */
    Maintenance startNextWave(List<String> vms, Duration rebootTime, Instant now) {
        if (state != State.Pausing) {
            throw new IllegalStateException("maintenance " + id + " is " + state + ", not Pausing");
        }
        return new Maintenance(id, region, cluster, State.Updating, waves, wave + 1, List.copyOf(vms), pause,
                now.plus(rebootTime), startedAt);
    }

    /** The update domain the next wave reboots. */
    int nextUpdateDomain() {
        return wave + 1;
    }
}
