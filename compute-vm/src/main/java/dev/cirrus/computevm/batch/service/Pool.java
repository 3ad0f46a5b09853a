package dev.cirrus.computevm.batch.service;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * A pool of a fixed size: the spec as added (vmSize, startTask, taskSlotsPerNode, taskSchedulingPolicy, …), its
 * target node counts and allocation state. A resize moves it to {@code resizing} until the scheduler has as many
 * nodes as targeted (or an allocation failed: a resize error, back to {@code steady}); stop-resize moves it to
 * {@code stopping}, then {@code steady} with the nodes it has.
 */
final class Pool {

    final String accountKey;
    final String id;
    final JsonNode spec;
    String state;              // active | deleting
    String allocationState;    // steady | resizing | stopping
    Instant allocationStateTime;
    int targetDedicated;
    int targetLowPriority;
    String deallocationOption; // of the running resize
    JsonNode resizeErrors;
    String etag;
    final Instant created;
    Instant lastModified;

    Pool(String accountKey, String id, JsonNode spec, String state, String allocationState, Instant allocationStateTime,
         int targetDedicated, int targetLowPriority, String deallocationOption, JsonNode resizeErrors, String etag,
         Instant created, Instant lastModified) {
        this.accountKey = accountKey;
        this.id = id;
        this.spec = spec;
        this.state = state;
        this.allocationState = allocationState;
        this.allocationStateTime = allocationStateTime;
        this.targetDedicated = targetDedicated;
        this.targetLowPriority = targetLowPriority;
        this.deallocationOption = deallocationOption;
        this.resizeErrors = resizeErrors;
        this.etag = etag;
        this.created = created;
        this.lastModified = lastModified;
    }

    String key() {
        return BatchStore.idKey(id);
    }

    String vmSize() {
        return spec.path("vmSize").asString();
    }

    int taskSlotsPerNode() {
        return spec.path("taskSlotsPerNode").asInt(1);
    }

    boolean packs() {
        return "pack".equalsIgnoreCase(spec.path("taskSchedulingPolicy").path("nodeFillType").asString("spread"));
    }

    /** A resize: refused while the pool is being deleted or another resize runs (Azure's codes). */
    void resize(int dedicated, int lowPriority, String option, Instant now) {
        if (state.equals("deleting")) {
            throw BatchError.conflict("PoolBeingDeleted", "The specified pool has been marked for deletion and is "
                    + "being reclaimed.");
        }
        if (!allocationState.equals("steady")) {
            throw BatchError.conflict("PoolNotSteady", "The specified pool is not in steady state.");
        }
        targetDedicated = dedicated;
        targetLowPriority = lowPriority;
        deallocationOption = option;
        allocationState = "resizing";
        allocationStateTime = now;
        resizeErrors = tools.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        lastModified = now;
    }

    void stopResize(Instant now) {
        if (!allocationState.equals("resizing")) {
            throw BatchError.conflict("PoolNotResizing", "The specified pool is not resizing.");
        }
        allocationState = "stopping";
        allocationStateTime = now;
        lastModified = now;
    }

    void markDeleting(Instant now) {
        state = "deleting";
        lastModified = now;
    }
}
