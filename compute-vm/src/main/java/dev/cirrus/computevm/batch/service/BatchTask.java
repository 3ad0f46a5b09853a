package dev.cirrus.computevm.batch.service;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * A task: {@code active} (queued, also while its dependencies are not satisfied) → {@code running} on a node →
 * {@code completed} with an exit code and a result; a non-zero exit goes back to {@code active} while retries are
 * left ({@code maxTaskRetryCount}, -1 = unlimited), a node that goes away requeues it.
 */
final class BatchTask {

    final String accountKey;
    final String jobKey;
    final String id;
    final long seq;
    final JsonNode spec;
    String state;
    Instant stateTime;
    String nodeId;
    String poolKey;
    int retryCount;
    int requeueCount;
    Integer exitCode;
    String result;
    JsonNode failureInfo;
    Instant startTime;
    Instant endTime;
    Instant scheduledAt;
    String etag;
    final Instant created;
    Instant lastModified;

    BatchTask(String accountKey, String jobKey, String id, long seq, JsonNode spec, String state, Instant stateTime,
              String nodeId, String poolKey, int retryCount, int requeueCount, Integer exitCode, String result,
              JsonNode failureInfo, Instant startTime, Instant endTime, Instant scheduledAt, String etag,
              Instant created, Instant lastModified) {
        this.accountKey = accountKey;
        this.jobKey = jobKey;
        this.id = id;
        this.seq = seq;
        this.spec = spec;
        this.state = state;
        this.stateTime = stateTime;
        this.nodeId = nodeId;
        this.poolKey = poolKey;
        this.retryCount = retryCount;
        this.requeueCount = requeueCount;
        this.exitCode = exitCode;
        this.result = result;
        this.failureInfo = failureInfo;
        this.startTime = startTime;
        this.endTime = endTime;
        this.scheduledAt = scheduledAt;
        this.etag = etag;
        this.created = created;
        this.lastModified = lastModified;
    }

    String key() {
        return BatchStore.idKey(id);
    }

    int requiredSlots() {
        return spec.path("requiredSlots").asInt(1);
    }

    /** The task's own limit, else the job's; -1 = unlimited. */
    int maxRetries(Job job) {
        JsonNode own = spec.path("constraints").path("maxTaskRetryCount");
        return own.isNumber() ? own.asInt() : job.maxTaskRetryCount();
    }

    void start(String node, String pool, Instant now) {
        state = "running";
        stateTime = now;
        nodeId = node;
        poolKey = pool;
        // milliseconds: the process key carries the start time, and the database keeps microseconds
        startTime = now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        endTime = null;
        exitCode = null;
        result = null;
        failureInfo = null;
        lastModified = now;
    }

    /**
     * The process ended with {@code code}: completed (success for 0), or back to active for another try when it
     * failed and retries are left. Returns true when the task is completed.
     */
    boolean exited(int code, JsonNode failure, boolean mayRetry, int maxRetries, Instant now) {
        exitCode = code;
        endTime = now;
        lastModified = now;
        if (code != 0 && mayRetry && (maxRetries < 0 || retryCount < maxRetries)) {
            retryCount++;
            state = "active";
            stateTime = now;
            nodeId = null;
            return false;
        }
        state = "completed";
        stateTime = now;
        result = code == 0 ? "success" : "failure";
        failureInfo = failure;
        return true;
    }

    /** Back to the queue without counting a retry (its node went away). */
    void requeue(Instant now) {
        requeueCount++;
        state = "active";
        stateTime = now;
        nodeId = null;
        startTime = null;
        lastModified = now;
    }

    /** Completed as failed without a process result (terminated job, removed node with 'terminate'). */
    void terminate(String code, String message, Instant now) {
        state = "completed";
        stateTime = now;
        endTime = now;
        result = "failure";
        failureInfo = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("category", "usererror").put("code", code).put("message", message);
        lastModified = now;
    }
}
