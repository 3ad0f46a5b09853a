package dev.cirrus.computevm.batch.service;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * A job: its pool, constraints and completion rule ({@code onAllTasksComplete}); states
 * {@code active → (disabled) → terminating → completed}, and {@code deleting}.
 */
final class Job {

    final String accountKey;
    final String id;
    final JsonNode spec;
    final String poolKey;
    String state;
    Instant stateTime;
    String terminateReason;
    Instant endTime;
    String etag;
    final Instant created;
    Instant lastModified;

    Job(String accountKey, String id, JsonNode spec, String poolKey, String state, Instant stateTime,
        String terminateReason, Instant endTime, String etag, Instant created, Instant lastModified) {
        this.accountKey = accountKey;
        this.id = id;
        this.spec = spec;
        this.poolKey = poolKey;
        this.state = state;
        this.stateTime = stateTime;
        this.terminateReason = terminateReason;
        this.endTime = endTime;
        this.etag = etag;
        this.created = created;
        this.lastModified = lastModified;
    }

    String key() {
        return BatchStore.idKey(id);
    }

    boolean usesTaskDependencies() {
        return spec.path("usesTaskDependencies").asBoolean(false);
    }

    boolean terminatesWhenAllTasksComplete() {
        return "terminatejob".equalsIgnoreCase(spec.path("onAllTasksComplete").asString("noaction"));
    }

    /** The job's default for its tasks' retries (0 when unset, Azure's default). */
    int maxTaskRetryCount() {
        return spec.path("constraints").path("maxTaskRetryCount").asInt(0);
    }

    /** Accepting tasks: only an active (or disabled) job does. */
    void checkAcceptsTasks() {
        if (state.equals("completed") || state.equals("terminating")) {
            throw BatchError.conflict("JobCompleted", "The specified job is already in a completed state.");
        }
        if (state.equals("deleting")) {
            throw BatchError.conflict("JobBeingDeleted", "The specified job has been marked for deletion and is "
                    + "being garbage collected.");
        }
    }

    void terminate(String reason, Instant now) {
        if (state.equals("completed") || state.equals("terminating")) {
            throw BatchError.conflict("JobCompleted", "The specified job is already in a completed state.");
        }
        if (state.equals("deleting")) {
            throw BatchError.conflict("JobBeingDeleted", "The specified job has been marked for deletion and is "
                    + "being garbage collected.");
        }
        state = "completed";
        stateTime = now;
        terminateReason = reason;
        endTime = now;
        lastModified = now;
    }

    void disable(Instant now) {
        if (!state.equals("active")) {
            throw BatchError.conflict("JobNotActive", "The specified job is not in an active state.");
        }
        state = "disabled";
        stateTime = now;
        lastModified = now;
    }

    void enable(Instant now) {
        if (!state.equals("disabled")) {
            throw BatchError.conflict("JobNotDisabled", "The specified job is not in a disabled state.");
        }
        state = "active";
        stateTime = now;
        lastModified = now;
    }
}
