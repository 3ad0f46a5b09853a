package dev.cirrus.computecontainer.group;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.cirrus.contracts.arm.ArmErrorException;
import dev.cirrus.contracts.events.ContainerGroupData;
import dev.cirrus.contracts.events.EventTypes;

/**
 * A container group and its lifecycle, plain data: each transition checks where the group is, and returns the group
 * after it with the events it publishes (or refuses with an ARM error); saving both in one transaction is the
 * caller's.
 *
 * <pre>
 *   provisioningState / state
 *   create ─► Creating / Pending ──deployed──► Succeeded / Running ──terminated──► Succeeded / Succeeded|Failed
 *                 │                               │   ▲                               (restartPolicy Never or
 *                 └──deployFailed──► Failed / Failed   │   │ start, restart: Updating        OnFailure, every
 *                                                 stop │   │ ─deployed─► Running             container exited)
 *                                                      │   │ rehosted (its host failed): Updating, restarted
 *                                                      ▼   │
 *                                         Succeeded / Stopped (containers removed, host released)
 * </pre>
 * Billing follows the events: {@code ContainerGroupStarted} (state Running) starts the group's meter,
 * {@code ContainerGroupStopped} (state Stopped, Succeeded or Failed) and {@code ContainerGroupDeleted} stop it.
 * One operation at a time: a write while a create, start or restart runs is 409 {@code AnotherOperationInProgress}.
 *
 * @param key             the ARM id in lower case
 * @param groupId         the platform's id: the placement key and the Docker label of the group's containers
 * @param provisioningState Creating, Updating, Succeeded or Failed
 * @param state           the instance view's state: Pending, Running, Succeeded, Failed or Stopped
 * @param placement       where the placement engine put the group, or null while it holds no host
 * @param publishedPorts  container port → host port on 127.0.0.1, while running
 * @param operationId     the create, start or restart under way, or null
 */
public record ContainerGroup(String key, String resourceId, String subscriptionId, String resourceGroup, String name,
                             String location, UUID groupId, ContainerGroupSpec spec, Map<String, String> tags,
                             String provisioningState, String state, Placement placement,
                             Map<Integer, Integer> publishedPorts, UUID operationId, Failure failure,
                             Instant createdAt, Instant lastModified, Instant stateChangedAt, String etag) {

    public static final String CREATING = "Creating";
    public static final String UPDATING = "Updating";
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";
    public static final String PENDING = "Pending";
    public static final String RUNNING = "Running";
    public static final String STOPPED = "Stopped";

    public ContainerGroup {
        Objects.requireNonNull(key);
        Objects.requireNonNull(spec);
        tags = Map.copyOf(tags);
        publishedPorts = publishedPorts == null ? Map.of() : Map.copyOf(publishedPorts);
    }

    /** Where the placement engine put the group. */
    public record Placement(String host, String rack, String cluster, int faultDomain) {
    }

    /** Why the last operation failed: an ARM error code and message. */
    public record Failure(String code, String message) {
    }

    /** An event of a change: type, subject (the group's id) and data. */
    public record Event(String type, String subject, Instant time, ContainerGroupData data) {
    }

    /** A change: the group after it, and what it publishes. */
    public record Transition(ContainerGroup group, List<Event> events) {
    }

    /** A new group, Creating and Pending until the worker has placed and started it. Publishes nothing yet. */
    public static ContainerGroup create(String resourceId, String subscriptionId, String resourceGroup, String name,
                                        String location, ContainerGroupSpec spec, Map<String, String> tags,
                                        UUID groupId, UUID operationId, Instant now, String etag) {
        return new ContainerGroup(resourceId.toLowerCase(Locale.ROOT), resourceId, subscriptionId, resourceGroup, name,
                location, groupId, spec, tags, CREATING, PENDING, null, Map.of(), operationId, null, now, now, now,
                etag);
    }

    /** {@code {label}.{region}} in lower case, the key a DNS name label is unique by; null without a label. */
    public String dnsLabelKey() {
        String label = spec.ipAddress() == null ? null : spec.ipAddress().dnsNameLabel();
        return label == null ? null : (label + "." + location).toLowerCase(Locale.ROOT);
    }

    public boolean busy() {
        return CREATING.equals(provisioningState) || UPDATING.equals(provisioningState);
    }

    /** The containers run: Succeeded / Running. Publishes {@code ContainerGroupStarted}: the meter starts. */
    public Transition deployed(Placement where, Map<Integer, Integer> ports, Instant now, String newEtag) {
        requireBusy("be started");
        ContainerGroup g = with(SUCCEEDED, RUNNING, Objects.requireNonNull(where), ports, null, null, now, newEtag);
        return new Transition(g, List.of(g.event(EventTypes.CONTAINER_GROUP_STARTED, now)));
    }

    /**
     * The create, start or restart failed (no host, no Docker engine, an image that cannot be pulled): Failed /
     * Failed, no host. Publishes {@code ContainerGroupStopped} when the group was metered until now.
     */
    public Transition deployFailed(Failure why, Instant now, String newEtag) {
        requireBusy("fail");
        ContainerGroup g = with(FAILED, FAILED, null, Map.of(), null, Objects.requireNonNull(why), now, newEtag);
        return new Transition(g, RUNNING.equals(state) ? List.of(g.event(EventTypes.CONTAINER_GROUP_STOPPED, now))
                : List.of());
    }

    /** Starts a start (from Stopped, Succeeded or Failed) or a restart (from any state): Updating until deployed. */
    public Transition beginRedeploy(boolean restart, UUID operation, Instant now, String newEtag) {
        refuseWhileBusy();
        if (!restart && RUNNING.equals(state)) {
            throw new ArmErrorException(409, "ContainerGroupAlreadyRunning", "The container group '" + name
                    + "' is already running. Use restart to restart it.", null);
        }
        ContainerGroup g = new ContainerGroup(key, resourceId, subscriptionId, resourceGroup, name, location, groupId,
                spec, tags, UPDATING, restart ? state : PENDING, placement, publishedPorts,
                Objects.requireNonNull(operation), null, createdAt, now, now, newEtag);
        return new Transition(g, List.of());
    }

    /**
     * The platform moved the group to another host (its host or rack failed): a running group is restarted there
     * (Updating until the worker has run its containers again, which publishes {@code ContainerGroupStarted}); a group
     * being started keeps its operation and runs on the new host; any other group holds no host and is unchanged.
     */
    public Transition rehosted(Placement where, UUID operation, Instant now, String newEtag) {
        if (busy()) {
            return new Transition(new ContainerGroup(key, resourceId, subscriptionId, resourceGroup, name, location,
                    groupId, spec, tags, provisioningState, state, where, publishedPorts, operationId, failure,
                    createdAt, now, stateChangedAt, newEtag), List.of());
        }
        if (!RUNNING.equals(state)) {
            return new Transition(this, List.of());
        }
        return new Transition(new ContainerGroup(key, resourceId, subscriptionId, resourceGroup, name, location,
                groupId, spec, tags, UPDATING, state, Objects.requireNonNull(where), publishedPorts,
                Objects.requireNonNull(operation), null, createdAt, now, now, newEtag), List.of());
    }

    /**
     * Stopped by the user: the containers are removed and the host released. Publishes {@code ContainerGroupStopped}
     * when the group was running (the meter stops); stopping a stopped group changes nothing.
     */
    public Transition stop(Instant now, String newEtag) {
        refuseWhileBusy();
        if (STOPPED.equals(state)) {
            return new Transition(this, List.of());
        }
        boolean metered = RUNNING.equals(state);
        ContainerGroup g = with(SUCCEEDED, STOPPED, null, Map.of(), null, null, now, newEtag);
        return new Transition(g, metered ? List.of(g.event(EventTypes.CONTAINER_GROUP_STOPPED, now)) : List.of());
    }

    /**
     * Every container has exited and the restart policy starts none again (Never; OnFailure after exits of 0):
     * Succeeded when every exit code was 0, else Failed. Publishes {@code ContainerGroupStopped}: the meter stops.
     */
    public Transition terminated(boolean allSucceeded, Instant now, String newEtag) {
        if (!RUNNING.equals(state) || busy()) {
            return new Transition(this, List.of());
        }
        ContainerGroup g = with(provisioningState, allSucceeded ? SUCCEEDED : FAILED, null, Map.of(), null, null, now,
                newEtag);
        return new Transition(g, List.of(g.event(EventTypes.CONTAINER_GROUP_STOPPED, now)));
    }

    /** The group is gone. Publishes {@code ContainerGroupDeleted}: the meter stops, the resource index forgets it. */
    public Transition delete(Instant now) {
        return new Transition(this, List.of(new Event(EventTypes.CONTAINER_GROUP_DELETED, resourceId, now,
                data(null))));
    }

    /** A PUT or PATCH that changes only the tags (and the casing of the names). */
    public ContainerGroup retagged(Map<String, String> newTags, Instant now, String newEtag) {
        return new ContainerGroup(key, resourceId, subscriptionId, resourceGroup, name, location, groupId, spec,
                newTags, provisioningState, state, placement, publishedPorts, operationId, failure, createdAt, now,
                stateChangedAt, newEtag);
    }

    public void refuseWhileBusy() {
        if (busy()) {
            throw new ArmErrorException(409, "AnotherOperationInProgress", "The container group '" + name + "' is "
                    + (CREATING.equals(provisioningState) ? "being created" : "being started or restarted")
                    + ". Retry after the operation completes.", null);
        }
    }

    private void requireBusy(String what) {
        if (!busy()) {
            throw new IllegalStateException("container group " + key + " cannot " + what + " while "
                    + provisioningState + "/" + state);
        }
    }

    private ContainerGroup with(String provisioning, String newState, Placement where, Map<Integer, Integer> ports,
                                UUID operation, Failure why, Instant now, String newEtag) {
        return new ContainerGroup(key, resourceId, subscriptionId, resourceGroup, name, location, groupId, spec, tags,
                provisioning, newState, where, ports, operation, why, createdAt, now, now, newEtag);
    }

    private Event event(String type, Instant now) {
        return new Event(type, resourceId, now, data(state));
    }

    private ContainerGroupData data(String reportedState) {
        return new ContainerGroupData(subscriptionId, resourceGroup, name, location, spec.osType(), spec.cpu(),
                spec.memoryInGB(), reportedState);
    }
}
