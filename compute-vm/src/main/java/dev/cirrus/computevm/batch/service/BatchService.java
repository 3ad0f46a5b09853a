package dev.cirrus.computevm.batch.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import dev.cirrus.computevm.batch.BatchProperties;
import dev.cirrus.computevm.batch.account.BatchAccount;
import dev.cirrus.computevm.size.SizeCatalogue;
import dev.cirrus.contracts.events.EventTypes;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The use cases of the Batch service API: each loads, lets the domain object decide (or refuse with Batch's error),
 * saves with its events in one transaction under the runtime's lock, and wakes the scheduler.
 */
@Service
class BatchService {

    private final BatchRuntime runtime;
    private final BatchStore store;
    private final SizeCatalogue sizes;
    private final BatchProperties properties;

    BatchService(BatchRuntime runtime, BatchStore store, SizeCatalogue sizes, BatchProperties properties) {
        this.runtime = runtime;
        this.store = store;
        this.sizes = sizes;
        this.properties = properties;
    }

    private Instant now() {
        return runtime.clock().instant();
    }

    // ---- pools

    Pool addPool(BatchAccount account, ObjectNode body) {
        BatchRequests.pool(body, sizes);
        return runtime.locked(() -> {
            String id = body.get("id").asString();
            if (store.pool(account.key(), id).isPresent()) {
                throw BatchError.conflict("PoolExists", "The specified pool already exists.");
            }
            if (store.poolCount(account.key()) >= properties.quota().pools()) {
                throw BatchError.conflict("PoolQuotaReached", "The specified account has reached its pool quota of "
                        + properties.quota().pools() + ".");
            }
            Instant now = now();
            Pool pool = new Pool(account.key(), id, body, "active", "resizing", now,
                    body.path("targetDedicatedNodes").asInt(0), body.path("targetLowPriorityNodes").asInt(0),
                    null, JsonNodeFactory.instance.arrayNode(), null, now, now);
            store.insert(pool);
            runtime.poolEvent(pool, EventTypes.BATCH_POOL_CREATED, 0, 0, now);
            return pool;
        });
    }

    Pool pool(BatchAccount account, String poolId) {
        return store.pool(account.key(), poolId).orElseThrow(BatchService::poolNotFound);
    }

    List<Pool> pools(BatchAccount account) {
        return store.pools(account.key());
    }

    void deletePool(BatchAccount account, String poolId) {
        runtime.locked(() -> {
            Pool pool = store.poolForUpdate(account.key(), poolId).orElseThrow(BatchService::poolNotFound);
            if (!pool.state.equals("deleting")) {
                pool.markDeleting(now());
                store.update(pool);
            }
            return pool;
        });
    }

    void resize(BatchAccount account, String poolId, ObjectNode body) {
        Integer dedicated = BatchRequests.integer(body, "targetDedicatedNodes", "targetDedicatedNodes", 0, 1000);
        Integer low = BatchRequests.integer(body, "targetLowPriorityNodes", "targetLowPriorityNodes", 0, 1000);
        String option = BatchRequests.oneOf(body, "nodeDeallocationOption", "nodeDeallocationOption",
                BatchRequests.DEALLOCATION_OPTIONS);
        BatchRequests.duration(body, "resizeTimeout", "resizeTimeout");
        runtime.locked(() -> {
            Pool pool = store.poolForUpdate(account.key(), poolId).orElseThrow(BatchService::poolNotFound);
            pool.resize(dedicated == null ? pool.targetDedicated : dedicated,
                    low == null ? pool.targetLowPriority : low, option, now());
            store.update(pool);
            return pool;
        });
    }

    void stopResize(BatchAccount account, String poolId) {
        runtime.locked(() -> {
            Pool pool = store.poolForUpdate(account.key(), poolId).orElseThrow(BatchService::poolNotFound);
            pool.stopResize(now());
            store.update(pool);
            return pool;
        });
    }

    /** Removes the named nodes: the pool's targets go down by them and it resizes with the option given. */
    void removeNodes(BatchAccount account, String poolId, ObjectNode body) {
        JsonNode list = body.get("nodeList");
        if (list == null || list.isNull()) {
            throw BatchError.missingProperty("nodeList");
        }
        if (!list.isArray() || list.isEmpty() || list.size() > 100) {
            throw BatchError.invalidPropertyValue("nodeList", list.size(), "Between 1 and 100 node ids are required.");
        }
        String option = BatchRequests.oneOf(body, "nodeDeallocationOption", "nodeDeallocationOption",
                BatchRequests.DEALLOCATION_OPTIONS);
        runtime.locked(() -> {
            Pool pool = store.poolForUpdate(account.key(), poolId).orElseThrow(BatchService::poolNotFound);
            List<Node> nodes = new ArrayList<>();
            for (JsonNode id : list) {
                nodes.add(store.node(account.key(), pool.key(), id.asString()).orElseThrow(BatchService::nodeNotFound));
            }
            Instant now = now();
            int dedicated = (int) nodes.stream().filter(n -> n.dedicated).count();
            pool.resize(Math.max(0, pool.targetDedicated - dedicated),
                    Math.max(0, pool.targetLowPriority - (nodes.size() - dedicated)), option, now);
            store.update(pool);
            for (Node n : nodes) {
                runtime.leave(n, option == null ? "requeue" : option, now);
            }
            return pool;
        });
    }

    // ---- nodes

    Node node(BatchAccount account, String poolId, String nodeId) {
        Pool pool = pool(account, poolId);
        return store.node(account.key(), pool.key(), nodeId).orElseThrow(BatchService::nodeNotFound);
    }

    List<Node> nodes(Pool pool) {
        return store.nodes(pool.accountKey, pool.key());
    }

    List<Node> nodes(BatchAccount account, String poolId) {
        return store.nodes(account.key(), pool(account, poolId).key());
    }

    /** A reboot: its running tasks are requeued (Azure's default option), then the node boots again. */
    void reboot(BatchAccount account, String poolId, String nodeId) {
        runtime.locked(() -> {
            Node node = node(account, poolId, nodeId);
            node.reboot(now());
            runtime.killTasksOn(node, true);
            store.update(node);
            return node;
        });
    }

    void scheduling(BatchAccount account, String poolId, String nodeId, boolean enabled) {
        runtime.locked(() -> {
            Node node = node(account, poolId, nodeId);
            node.schedulingState = enabled ? "enabled" : "disabled";
            store.update(node);
            return node;
        });
    }

    /** The running tasks of a node, and how many it ran: for its representation. */
    List<BatchTask> runningOn(Node node) {
        return store.runningOn(node.accountKey, node.id);
    }

    // ---- jobs

    Job addJob(BatchAccount account, ObjectNode body) {
        BatchRequests.job(body);
        return runtime.locked(() -> {
            String id = body.get("id").asString();
            if (store.job(account.key(), id).isPresent()) {
                throw BatchError.conflict("JobExists", "The specified job already exists.");
            }
            if (store.activeJobs(account.key()) >= properties.quota().activeJobs()) {
                throw BatchError.conflict("ActiveJobAndScheduleQuotaReached", "The specified account has reached "
                        + "its quota of " + properties.quota().activeJobs() + " active jobs and job schedules.");
            }
            Instant now = now();
            Job job = new Job(account.key(), id, body, BatchStore.idKey(body.path("poolInfo").path("poolId").asString()),
                    "active", now, null, null, null, now, now);
            store.insert(job);
            runtime.jobEvent(job, EventTypes.BATCH_JOB_CREATED, now);
            return job;
        });
    }

    Job job(BatchAccount account, String jobId) {
        return store.job(account.key(), jobId).orElseThrow(BatchService::jobNotFound);
    }

    List<Job> jobs(BatchAccount account) {
        return store.jobs(account.key());
    }

    /** Terminate: running tasks are killed and every open task completes; the job is completed (UserTerminate). */
    void terminateJob(BatchAccount account, String jobId, String reason) {
        runtime.locked(() -> {
            Job job = store.jobForUpdate(account.key(), jobId).orElseThrow(BatchService::jobNotFound);
            Instant now = now();
            job.terminate(reason == null ? "UserTerminate" : reason, now);
            endTasks(job, now);
            store.update(job);
            runtime.jobEvent(job, EventTypes.BATCH_JOB_COMPLETED, now);
            return job;
        });
    }

    void deleteJob(BatchAccount account, String jobId) {
        runtime.locked(() -> {
            Job job = store.jobForUpdate(account.key(), jobId).orElseThrow(BatchService::jobNotFound);
            Instant now = now();
            endTasks(job, now);
            store.deleteJob(account.key(), job.key());
            job.state = "deleting";
            runtime.jobEvent(job, EventTypes.BATCH_JOB_DELETED, now);
            return job;
        });
    }

    void disableJob(BatchAccount account, String jobId) {
        runtime.locked(() -> {
            Job job = store.jobForUpdate(account.key(), jobId).orElseThrow(BatchService::jobNotFound);
            job.disable(now());
            store.update(job);
            return job;
        });
    }

    void enableJob(BatchAccount account, String jobId) {
        runtime.locked(() -> {
            Job job = store.jobForUpdate(account.key(), jobId).orElseThrow(BatchService::jobNotFound);
            job.enable(now());
            store.update(job);
            return job;
        });
    }

    /** PATCH of a job: onAllTasksComplete and priority change; a job that now has all tasks done completes. */
    Job patchJob(BatchAccount account, String jobId, ObjectNode body) {
        String onAll = BatchRequests.oneOf(body, "onAllTasksComplete", "onAllTasksComplete",
                Set.of("noaction", "terminatejob"));
        Integer priority = BatchRequests.integer(body, "priority", "priority", -1000, 1000);
        return runtime.locked(() -> {
            Job job = store.jobForUpdate(account.key(), jobId).orElseThrow(BatchService::jobNotFound);
            if (job.state.equals("completed")) {
                throw BatchError.conflict("JobCompleted", "The specified job is already in a completed state.");
            }
            ObjectNode spec = (ObjectNode) job.spec;
            if (onAll != null) {
                spec.put("onAllTasksComplete", onAll);
            }
            if (priority != null) {
                spec.put("priority", priority);
            }
            store.updateSpec(job);
            Instant now = now();
            if (job.terminatesWhenAllTasksComplete()
                    && store.tasks(job.accountKey, job.key()).stream().allMatch(t -> t.state.equals("completed"))) {
                job.terminate("AllTasksComplete", now);
                runtime.jobEvent(job, EventTypes.BATCH_JOB_COMPLETED, now);
            }
            job.lastModified = now;
            store.update(job);
            return job;
        });
    }

    private void endTasks(Job job, Instant now) {
        for (BatchTask t : store.tasks(job.accountKey, job.key())) {
            if (t.state.equals("running")) {
                runtime.killTask(t, "JobTerminated");
            }
            if (!t.state.equals("completed")) {
                t.terminate("TaskEnded", "The task's job was terminated.", now);
                store.update(t);
            }
        }
    }

    // ---- tasks

    /** The outcome of one task of an add-collection call: the task, or Batch's refusal of it. */
    record Added(String id, BatchTask task, BatchError error) {
    }

    /** Adds up to 100 tasks at once; each succeeds or fails on its own (Batch's add-collection semantics). */
    List<Added> addTasks(BatchAccount account, String jobId, List<ObjectNode> bodies) {
        if (bodies.size() > 100) {
            throw BatchError.invalidPropertyValue("value", bodies.size(), "At most 100 tasks can be added in one call.");
        }
        return runtime.locked(() -> {
            Job job = store.jobForUpdate(account.key(), jobId).orElseThrow(BatchService::jobNotFound);
            job.checkAcceptsTasks();
            Map<String, Added> outcome = new LinkedHashMap<>();
            List<ObjectNode> valid = new ArrayList<>();
            for (ObjectNode body : bodies) {
                String id = body.path("id").isString() ? body.path("id").asString() : String.valueOf(body.get("id"));
                try {
                    BatchRequests.task(body, job.usesTaskDependencies());
                    if (store.task(account.key(), job.key(), id).isPresent()
                            || valid.stream().anyMatch(v -> v.get("id").asString().equalsIgnoreCase(id))) {
                        throw BatchError.conflict("TaskExists", "The specified task already exists.");
                    }
                    valid.add(body);
                    outcome.put(BatchStore.idKey(id), null);
                } catch (BatchError e) {
                    outcome.put(BatchStore.idKey(id) + "#" + outcome.size(), new Added(id, null, e));
                }
            }
            Set<String> existing = new HashSet<>();
            store.tasks(account.key(), job.key()).forEach(t -> existing.add(t.key()));
            Map<String, BatchError> problems = BatchRequests.dependencyProblems(valid, existing);
            Instant now = now();
            for (ObjectNode body : valid) {
                String id = body.get("id").asString();
                BatchError problem = problems.get(BatchStore.idKey(id));
                if (problem != null) {
                    outcome.put(BatchStore.idKey(id), new Added(id, null, problem));
                    continue;
                }
                BatchTask task = new BatchTask(account.key(), job.key(), id, 0, body, "active", now, null, null, 0, 0,
                        null, null, null, null, null, null, null, now, now);
                store.insert(task);
                outcome.put(BatchStore.idKey(id), new Added(id, store.task(account.key(), job.key(), id).orElseThrow(),
                        null));
            }
            return new ArrayList<>(outcome.values());
        });
    }

    BatchTask task(BatchAccount account, String jobId, String taskId) {
        Job job = job(account, jobId);
        return store.task(account.key(), job.key(), taskId).orElseThrow(BatchService::taskNotFound);
    }

    List<BatchTask> tasks(BatchAccount account, String jobId) {
        return store.tasks(account.key(), job(account, jobId).key());
    }

    void terminateTask(BatchAccount account, String jobId, String taskId) {
        runtime.locked(() -> {
            BatchTask t = task(account, jobId, taskId);
            if (t.state.equals("running")) {
                runtime.killTask(t, "UserTerminate");
            }
            if (!t.state.equals("completed")) {
                t.terminate("TaskEnded", "The task was terminated by the user.", now());
                store.update(t);
            }
            return t;
        });
    }

    void deleteTask(BatchAccount account, String jobId, String taskId) {
        runtime.locked(() -> {
            BatchTask t = task(account, jobId, taskId);
            if (t.state.equals("running")) {
                runtime.killTask(t, "UserTerminate");
            }
            store.deleteTask(t);
            return t;
        });
    }

    // ---- files

    /** The directory of a task's files on its node (where stdout.txt and stderr.txt are). */
    Path taskDirectory(BatchAccount account, String jobId, BatchTask task) {
        if (task.nodeId == null || task.poolKey == null) {
            throw new BatchError(409, "TaskNotYetStarted", "The specified task has not started on a node yet, so it "
                    + "has no files.");
        }
        Node node = store.node(account.key(), task.poolKey, task.nodeId).orElseThrow(() -> new BatchError(409,
                "NodeNotAvailable", "The node the task ran on is no longer in the pool."));
        return runtime.taskDir(node, job(account, jobId).id, task.id);
    }

    Path nodeDirectory(Node node) {
        return runtime.nodeRoot(node);
    }

    /** A file under {@code root}; {@code ..} and links out of it are the same as a missing file. */
    static Path file(Path root, String relative) {
        Path file = root.resolve(relative).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            throw BatchError.notFound("FileNotFound", "The specified file does not exist.");
        }
        return file;
    }

    static List<Path> files(Path root, boolean recursive) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = recursive ? Files.walk(root) : Files.list(root)) {
            return walk.filter(p -> !p.equals(root)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    static BatchError poolNotFound() {
        return BatchError.notFound("PoolNotFound", "The specified pool does not exist.");
    }

    static BatchError nodeNotFound() {
        return BatchError.notFound("NodeNotFound", "The specified node does not exist.");
    }

    static BatchError jobNotFound() {
        return BatchError.notFound("JobNotFound", "The specified job does not exist.");
    }

    static BatchError taskNotFound() {
        return BatchError.notFound("TaskNotFound", "The specified task does not exist.");
    }
}
