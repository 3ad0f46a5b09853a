package dev.cirrus.gateway.resourcegroup;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.ResourceGroupData;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.gateway.authorization.AccessCacheProperties;
import dev.cirrus.gateway.authorization.RoleAssignments;
import dev.cirrus.gateway.operation.OperationResults;
import dev.cirrus.gateway.provider.ProviderRegistry;
import dev.cirrus.gateway.resourceindex.ResourceIndex;
import dev.cirrus.gateway.support.TtlCache;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.plumbing.events.Outbox;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Resource group use cases: load, apply the group's transition, save the state and its event in one transaction.
 * Blocking (JDBC): callers on the event loop go through {@link dev.cirrus.gateway.support.Blocking}.
 */
@Service
class ResourceGroupService {

    static final String DELETE_OPERATION = "Microsoft.Resources/resourceGroups/delete";
    private static final String SOURCE = "gateway";
    private static final int CREATE_ATTEMPTS = 3;

    private final ResourceGroupRepository groups;
    private final OperationResults operations;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ObjectMapper json;

    private final ResourceIndex resources;
    private final RoleAssignments roleAssignments;
    private final ProviderRegistry registry;
    /** Groups known to exist, and whether they are being deleted (positives only; see AccessCacheProperties). */
    private final TtlCache<String, State> states;

    ResourceGroupService(ResourceGroupRepository groups, OperationResults operations, Outbox outbox,
                         TransactionTemplate tx, Clock clock, ObjectMapper json, AccessCacheProperties cache,
                         ResourceIndex resources, RoleAssignments roleAssignments, ProviderRegistry registry) {
        this.registry = registry;
        this.resources = resources;
        this.roleAssignments = roleAssignments;
        this.states = new TtlCache<>(cache.cacheTtl(), 100_000, clock);
        this.groups = groups;
        this.operations = operations;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
        this.json = json;
    }

    /** PUT: creates the group or replaces its tags and managedBy. */
    ResourceGroup.Change createOrUpdate(String subscriptionId, String name, ResourceGroupDefinition definition) {
        if (!registry.isLocation(definition.location())) {
            // ARM's answer for a group in a region it does not have; the regions are the placement topology's
            throw ArmException.badRequest("LocationNotAvailableForResourceGroup", "The provided location '"
                    + definition.location() + "' is not available for resource group. List of available regions is '"
                    + String.join(",", registry.locations()) + "'.", "location");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.execute(status -> {
                    Instant now = clock.instant();
                    ResourceGroup.Change change = groups.findForUpdate(subscriptionId, name)
                            .map(existing -> existing.update(name, definition))
                            .orElseGet(() -> ResourceGroup.create(subscriptionId, name, definition));
                    if (change.created()) {
                        groups.insert(change.group(), now);
                    } else {
                        groups.update(change.group(), now);
                    }
                    publish(change, now);
                    return change;
                });
            } catch (DuplicateKeyException e) {
                // another PUT created the same group between our read and our insert: apply ours as an update
                if (attempt >= CREATE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    ResourceGroup.Change patch(String subscriptionId, String name, ResourceGroupPatch patch) {
        return tx.execute(status -> {
            Instant now = clock.instant();
            ResourceGroup.Change change = groups.findForUpdate(subscriptionId, name)
                    .orElseThrow(() -> notFound(name))
                    .patch(name, patch);
            groups.update(change.group(), now);
            publish(change, now);
            return change;
        });
    }

    /**
     * A DELETE: marks the group Deleting under a new operation (or answers the operation already deleting it) and
     * returns the operation id for the Location URL. {@link ResourceGroupDeleter} then deletes every resource in the
     * group through its owning service and finally the group itself ({@link #finishDeletion}).
     */
    String delete(String subscriptionId, String name) {
        String operationId = tx.execute(status -> {
            Instant now = clock.instant();
            ResourceGroup group = groups.findForUpdate(subscriptionId, name).orElseThrow(() -> notFound(name));
            if (group.deleting()) {
                return group.deleteOperationId();
            }
            String id = operations.recordInProgress(subscriptionId, DELETE_OPERATION, group.id(), now);
            groups.markDeleting(group.beginDeletion(id), now);
            return id;
        });
        states.invalidate(subscriptionId + "/" + ResourceGroup.key(name));
        return operationId;
    }

    /** The groups being deleted. */
    List<ResourceGroup> deleting() {
        return groups.deleting();
    }

    /**
     * Removes a group being deleted once nothing is left in it: the row, its index entries, the role assignments at
     * and under its scope; its operation succeeds and {@code ResourceGroupDeleted} is published, in one transaction. False when the group is not (or no longer)
     * being deleted under that operation.
     */
    boolean finishDeletion(ResourceGroup deleting) {
        Boolean done = tx.execute(status -> {
            Instant now = clock.instant();
            Optional<ResourceGroup> current = groups.findForUpdate(deleting.subscriptionId(), deleting.name());
            if (current.isEmpty() || !deleting.deleteOperationId().equals(current.get().deleteOperationId())) {
                return false;
            }
            ResourceGroup.Change change = current.get().delete();
            groups.delete(change.group());
            resources.removeGroup(deleting.subscriptionId(), deleting.name());
            roleAssignments.deleteAtOrBelow(change.group().id());
            operations.succeed(deleting.deleteOperationId(), now);
            publish(change, now);
            return true;
        });
        states.invalidate(deleting.subscriptionId() + "/" + ResourceGroup.key(deleting.name()));
        return Boolean.TRUE.equals(done);
    }

    ResourceGroup get(String subscriptionId, String name) {
        return find(subscriptionId, name).orElseThrow(() -> notFound(name));
    }

    Optional<ResourceGroup> find(String subscriptionId, String name) {
        return groups.find(subscriptionId, name);
    }

    /** What is known of a group: absent, there, or being deleted. */
    enum State { ABSENT, PRESENT, DELETING }

    boolean exists(String subscriptionId, String name) {
        return state(subscriptionId, name) != State.ABSENT;
    }

    /** The group's state (blocking: a database read unless cached). */
    State state(String subscriptionId, String name) {
        String key = subscriptionId + "/" + ResourceGroup.key(name);
        State cached = states.getIfFresh(key);
        if (cached != null) {
            return cached;
        }
        Boolean deleting = groups.deleting(subscriptionId, name);
        State state = deleting == null ? State.ABSENT : deleting ? State.DELETING : State.PRESENT;
        if (state != State.ABSENT) {
            states.put(key, state);
        }
        return state;
    }

    /** The state seen within the cache's time to live, or null (the caller then asks {@link #state}). */
    State cachedState(String subscriptionId, String name) {
        return states.getIfFresh(subscriptionId + "/" + ResourceGroup.key(name));
    }

    List<ResourceGroup> list(String subscriptionId) {
        return groups.list(subscriptionId);
    }

    static ArmException notFound(String name) {
        return ArmException.notFound("ResourceGroupNotFound", "Resource group '" + name + "' could not be found.");
    }

    private void publish(ResourceGroup.Change change, Instant at) {
        ResourceGroup group = change.group();
        outbox.append(Topics.RESOURCES, CloudEvent.of(SOURCE, change.eventType(), group.id(), at,
                json.valueToTree(new ResourceGroupData(group.subscriptionId(), group.name(),
                        group.location(), group.tags(), group.managedBy()))));
    }
}
