package dev.cirrus.gateway.resourcegroup;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.ResourceGroupData;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.gateway.authorization.AccessCacheProperties;
import dev.cirrus.gateway.operation.OperationResults;
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
    /** Groups known to exist (positives only; a deletion here forgets at once, see AccessCacheProperties). */
    private final TtlCache<String, Boolean> existing;

    ResourceGroupService(ResourceGroupRepository groups, OperationResults operations, Outbox outbox,
                         TransactionTemplate tx, Clock clock, ObjectMapper json, AccessCacheProperties cache,
                         ResourceIndex resources) {
        this.resources = resources;
        this.existing = new TtlCache<>(cache.cacheTtl(), 100_000, clock);
        this.groups = groups;
        this.operations = operations;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
        this.json = json;
    }

    /** PUT: creates the group or replaces its tags and managedBy. */
    ResourceGroup.Change createOrUpdate(String subscriptionId, String name, ResourceGroupDefinition definition) {
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
     * Deletes the group and records the finished operation; returns the operation id for the Location URL.
     * The resources inside the group are not deleted through their services yet (a later issue).
     */
    String delete(String subscriptionId, String name) {
        existing.invalidate(subscriptionId + "/" + ResourceGroup.key(name));
        return tx.execute(status -> {
            Instant now = clock.instant();
            ResourceGroup.Change change = groups.findForUpdate(subscriptionId, name)
                    .orElseThrow(() -> notFound(name))
                    .delete();
            groups.delete(change.group());
            resources.removeGroup(subscriptionId, name);
            String operationId = operations.recordSucceeded(subscriptionId, DELETE_OPERATION, change.group().id(), now);
            publish(change, now);
            return operationId;
        });
    }

    ResourceGroup get(String subscriptionId, String name) {
        return find(subscriptionId, name).orElseThrow(() -> notFound(name));
    }

    Optional<ResourceGroup> find(String subscriptionId, String name) {
        return groups.find(subscriptionId, name);
    }

    boolean exists(String subscriptionId, String name) {
        String key = subscriptionId + "/" + ResourceGroup.key(name);
        if (existing.getIfFresh(key) != null) {
            return true;
        }
        boolean exists = groups.exists(subscriptionId, name);
        if (exists) {
            existing.put(key, true);
        }
        return exists;
    }

    /** True when the group was seen to exist within the cache's time to live (no database call). */
    boolean knownToExist(String subscriptionId, String name) {
        return existing.getIfFresh(subscriptionId + "/" + ResourceGroup.key(name)) != null;
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
