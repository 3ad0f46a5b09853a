package dev.cirrus.computevm.batch.service;

import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * A compute node of a pool: a VM to the platform (placed by the placement engine, keyed there by {@link #vmId},
 * metered by billing while it exists), and to Batch a machine with states
 * {@code creating → starting → (waitingforstarttask) → idle ⇄ running}, plus {@code rebooting},
 * {@code leavingpool}, {@code starttaskfailed}.
 */
final class Node {

    final String accountKey;
    final String poolKey;
    final String id;
    final UUID vmId;
    final boolean dedicated;
    String state;
    String schedulingState;
    String host;
    Integer faultDomain;
    Integer updateDomain;
    Instant stateTime;
    final Instant allocationTime;
    JsonNode startTaskInfo;

    Node(String accountKey, String poolKey, String id, UUID vmId, boolean dedicated, String state,
         String schedulingState, String host, Integer faultDomain, Integer updateDomain, Instant stateTime,
         Instant allocationTime, JsonNode startTaskInfo) {
        this.accountKey = accountKey;
        this.poolKey = poolKey;
        this.id = id;
        this.vmId = vmId;
        this.dedicated = dedicated;
        this.state = state;
        this.schedulingState = schedulingState;
        this.host = host;
        this.faultDomain = faultDomain;
        this.updateDomain = updateDomain;
        this.stateTime = stateTime;
        this.allocationTime = allocationTime;
        this.startTaskInfo = startTaskInfo;
    }

    /** Azure's node id shape: {@code tvmps_} and 64 hexadecimal digits. */
    static String newId(UUID vmId) {
        return "tvmps_" + (vmId.toString() + UUID.nameUUIDFromBytes(vmId.toString().getBytes())).replace("-", "");
    }

    boolean takesTasks() {
        return (state.equals("idle") || state.equals("running")) && schedulingState.equals("enabled");
    }

    void moveTo(String newState, Instant now) {
        if (!state.equals(newState)) {
            state = newState;
            stateTime = now;
        }
    }

    /** Reboot: refused while the node is not up (Azure's NodeNotReady... code for a node in transition). */
    void reboot(Instant now) {
        if (!(state.equals("idle") || state.equals("running") || state.equals("starttaskfailed")
                || state.equals("unusable"))) {
            throw BatchError.conflict("NodeStateConflict", "The node is in state '" + state + "' and cannot be "
                    + "rebooted now.");
        }
        moveTo("rebooting", now);
    }
}
