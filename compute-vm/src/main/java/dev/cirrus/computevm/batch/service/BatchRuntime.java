package dev.cirrus.computevm.batch.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import dev.cirrus.computevm.batch.BatchProperties;
import dev.cirrus.computevm.batch.account.BatchAccount;
import dev.cirrus.computevm.batch.account.BatchAccountRepository;
import dev.cirrus.computevm.placement.PlaceOutcome;
import dev.cirrus.computevm.placement.PlacementClient;
import dev.cirrus.computevm.size.SizeCatalogue;
import dev.cirrus.contracts.events.BatchJobData;
import dev.cirrus.contracts.events.BatchPoolData;
import dev.cirrus.contracts.events.BatchTaskData;
import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.contracts.events.VmLifecycleData;
import dev.cirrus.contracts.placement.v1.PlaceRequest;
import dev.cirrus.contracts.placement.v1.PlacementGroup;
import dev.cirrus.contracts.placement.v1.ScaleSetGroup;
import dev.cirrus.contracts.placement.v1.VmSize;
import dev.cirrus.plumbing.events.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Batch runtime: the use cases of the data plane (each a transaction under the runtime's lock) and the scheduler
 * that makes pools, nodes and tasks move. One scheduler thread runs {@link #tick()} whenever something changed (a
 * call, a process exit) and at least every {@code cirrus.batch.tick}:
 *
 * <ol>
 *   <li>process exits: a task completes (success on 0) or, failed with retries left, goes back to the queue; a start
 *       task makes its node idle or {@code starttaskfailed};</li>
 *   <li>limits: a task past its {@code maxWallClockTime} has its process group killed and completes failed
 *       ({@code TaskEnded}), without a retry;</li>
 *   <li>pools: a resizing pool gets nodes placed by the placement engine (a scale-set group per pool, so the engine
 *       spreads them over fault domains) or loses nodes by its {@code nodeDeallocationOption}; a deleting pool loses
 *       them all;</li>
 *   <li>nodes: starting → (start task) → idle once booted; rebooting likewise; leavingpool ones go when empty;</li>
 *   <li>scheduling: active tasks in queue order, of active jobs whose dependencies are satisfied, go to a node of the
 *       job's pool with a free slot (at most {@code taskSlotsPerNode} at once): the least busy node ({@code spread},
 *       the default) or the busiest that still has room ({@code pack}).</li>
 * </ol>
 *
 * Worked example: a pool of 2 nodes with 2 slots and 5 ready tasks t1..t5 under spread: t1 → n1, t2 → n2, t3 → n1,
 * t4 → n2; t5 waits for the first exit.
 */
@Service
public class BatchRuntime implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BatchRuntime.class);
    private static final String SOURCE = "compute-vm";

    private final BatchStore store;
    private final BatchAccountRepository accounts;
    private final TransactionTemplate tx;
    private final Outbox outbox;
    private final PlacementClient placement;
    private final SizeCatalogue sizes;
    private final BatchProperties properties;
    private final ObjectMapper json;
    private final Clock clock;
    private final NodeProcesses processes = new NodeProcesses();
    private final ConcurrentLinkedQueue<NodeProcesses.Exit> exits = new ConcurrentLinkedQueue<>();
    private final Object lock = new Object();
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private volatile ScheduledExecutorService scheduler;

    BatchRuntime(BatchStore store, BatchAccountRepository accounts, TransactionTemplate tx, Outbox outbox,
                 PlacementClient placement, SizeCatalogue sizes, BatchProperties properties, ObjectMapper json,
                 Clock clock) {
        this.store = store;
        this.accounts = accounts;
        this.tx = tx;
        this.outbox = outbox;
        this.placement = placement;
        this.sizes = sizes;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "batch-scheduler");
            t.setDaemon(true);
            return t;
        });
        // tasks that were running when the service stopped lost their processes: back to the queue
        synchronized (lock) {
            tx.executeWithoutResult(s -> store.openTasks().stream().filter(t -> t.state.equals("running")).forEach(t -> {
                t.requeue(clock.instant());
                store.update(t);
            }));
        }
        long every = properties.tick().toMillis();
        scheduler.scheduleWithFixedDelay(this::safeTick, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        processes.killAll();
    }

    @Override
    public boolean isRunning() {
        return scheduler != null && !scheduler.isShutdown();
    }

    /** Asks the scheduler for a tick as soon as possible (one pending wake-up at most). */
    void wake() {
        ScheduledExecutorService s = scheduler;
        if (s != null && !s.isShutdown() && wakeQueued.compareAndSet(false, true)) {
            try {
                s.execute(() -> {
                    wakeQueued.set(false);
                    safeTick();
                });
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                wakeQueued.set(false); // the service is stopping: nothing more to schedule
            }
        }
    }

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("Batch scheduler tick failed; the next one retries", e);
        }
    }

    // ------------------------------------------------------------------ use cases

    <T> T locked(java.util.function.Supplier<T> work) {
        T result;
        synchronized (lock) {
            result = tx.execute(s -> work.get());
        }
        wake();
        return result;
    }

    /**
     * Deletes an account with everything in it: its processes killed, its nodes released, then {@code deleteRows}
     * (the account's row, which takes its pools, jobs and tasks with it), all under the runtime's lock so that the
     * scheduler cannot add a node meanwhile. Returns what {@code deleteRows} returned.
     */
    public boolean deleteAccount(String accountKey, java.util.function.BooleanSupplier deleteRows) {
        synchronized (lock) {
            for (Node n : store.allNodes()) {
                if (n.accountKey.equals(accountKey)) {
                    tx.executeWithoutResult(s -> {
                        killTasksOn(n, false);
                        removeNode(n);
                    });
                }
            }
            return deleteRows.getAsBoolean();
        }
    }

    // ------------------------------------------------------------------ the scheduler

    void tick() {
        synchronized (lock) {
            Instant now = clock.instant();
            NodeProcesses.Exit exit;
            while ((exit = exits.poll()) != null) {
                NodeProcesses.Exit e = exit;
                tx.executeWithoutResult(s -> handleExit(e, clock.instant()));
            }
            enforceWallClock(now);
            for (Pool pool : store.poolsInMotion()) {
                tx.executeWithoutResult(s -> movePool(pool, clock.instant()));
            }
            tx.executeWithoutResult(s -> moveNodes(clock.instant()));
            tx.executeWithoutResult(s -> schedule(clock.instant()));
        }
    }

    private void handleExit(NodeProcesses.Exit exit, Instant now) {
        String[] k = exit.key().split("\\|", -1);
        if (k[0].equals("start")) {
            store.node(k[1], k[2], k[3]).ifPresent(node -> startTaskExited(node, exit, now));
            return;
        }
        Optional<BatchTask> found = store.task(k[1], k[2], k[3]);
        if (found.isEmpty() || !found.get().state.equals("running")) {
            return;
        }
        BatchTask task = found.get();
        if (task.startTime == null || !k[4].equals(String.valueOf(task.startTime.toEpochMilli()))) {
            return; // the exit of an earlier run (killed and requeued): the task runs again meanwhile
        }
        Job job = store.job(task.accountKey, task.jobKey).orElse(null);
        if (job == null) {
            return;
        }
        if ("Requeue".equals(exit.killReason())) {
            task.requeue(now);
            store.update(task);
            return;
        }
        ObjectNode failure = null;
        boolean mayRetry = !exit.killed();
        if (exit.killed()) {
            failure = JsonNodeFactory.instance.objectNode().put("category", "usererror").put("code", "TaskEnded")
                    .put("message", switch (exit.killReason()) {
                        case "MaxWallClockTimeExpiry" -> "The task exceeded its maximum wall clock time and was ended.";
                        case "ServiceStopped" -> "The Batch service stopped while the task ran.";
                        default -> "The task was terminated: " + exit.killReason() + ".";
                    });
        } else if (exit.code() != 0) {
            failure = JsonNodeFactory.instance.objectNode().put("category", "usererror")
                    .put("code", "FailureExitCode").put("message", "The task exited with an exit code representing "
                            + "a failure");
        }
        boolean completed = task.exited(exit.code(), failure, mayRetry, task.maxRetries(job), now);
        store.update(task);
        if (completed) {
            taskEvent(task, EventTypes.BATCH_TASK_COMPLETED, now);
            completeJobIfDone(job, now);
        }
    }

    private void startTaskExited(Node node, NodeProcesses.Exit exit, Instant now) {
        Pool pool = store.pool(node.accountKey, node.poolKey).orElse(null);
        if (pool == null || node.state.equals("rebooting") || node.state.equals("starting")
                || node.state.equals("leavingpool")) {
            return; // the exit of a start task killed by a reboot or a removal
        }
        JsonNode startTask = pool.spec.path("startTask");
        ObjectNode info = node.startTaskInfo == null ? JsonNodeFactory.instance.objectNode()
                : (ObjectNode) node.startTaskInfo.deepCopy();
        int retries = info.path("retryCount").asInt(0);
        int max = startTask.path("maxTaskRetryCount").asInt(0);
        info.put("endTime", now.toString()).put("exitCode", exit.code());
        if (exit.code() != 0 && !exit.killed() && (max < 0 || retries < max)) {
            info.put("retryCount", retries + 1);
            node.startTaskInfo = info;
            store.update(node);
            launchStartTask(pool, node, now);
            return;
        }
        info.put("state", "completed").put("result", exit.code() == 0 ? "success" : "failure");
        node.startTaskInfo = info;
        if (node.state.equals("waitingforstarttask")) {
            node.moveTo(exit.code() == 0 ? "idle" : "starttaskfailed", now);
        }
        store.update(node);
    }

    private void enforceWallClock(Instant now) {
        for (BatchTask t : store.openTasks()) {
            if (!t.state.equals("running")) {
                continue;
            }
            Duration limit = duration(t.spec.path("constraints").path("maxWallClockTime"));
            Instant started = processes.startedAt(taskKey(t));
            if (limit != null && started != null && now.isAfter(started.plus(limit))) {
                processes.kill(taskKey(t), "MaxWallClockTimeExpiry");
            }
        }
    }

    private void movePool(Pool pool, Instant now) {
        List<Node> nodes = store.nodes(pool.accountKey, pool.key());
        if (pool.state.equals("deleting")) {
            for (Node n : nodes) {
                killTasksOn(n, true);
                removeNode(n);
            }
            store.deletePool(pool.accountKey, pool.key());
            poolEvent(pool, EventTypes.BATCH_POOL_DELETED, 0, 0, now);
            return;
        }
        if (pool.allocationState.equals("stopping")) {
            pool.allocationState = "steady";
            pool.allocationStateTime = now;
            store.update(pool);
            poolEvent(pool, EventTypes.BATCH_POOL_RESIZE_COMPLETED, count(nodes, true), count(nodes, false), now);
            return;
        }
        if (!pool.allocationState.equals("resizing")) {
            return;
        }
        boolean done = resizeKind(pool, nodes, true, pool.targetDedicated, now)
                & resizeKind(pool, nodes, false, pool.targetLowPriority, now);
        if (done || !pool.resizeErrors.isEmpty()) {
            List<Node> after = store.nodes(pool.accountKey, pool.key());
            pool.allocationState = "steady";
            pool.allocationStateTime = now;
            store.update(pool);
            poolEvent(pool, EventTypes.BATCH_POOL_RESIZE_COMPLETED, count(after, true), count(after, false), now);
        }
    }

    /** Moves one kind of node (dedicated or low-priority) toward its target; true when it is there. */
    private boolean resizeKind(Pool pool, List<Node> nodes, boolean dedicated, int target, Instant now) {
        List<Node> staying = nodes.stream().filter(n -> n.dedicated == dedicated && !n.state.equals("leavingpool")).toList();
        boolean leaving = nodes.stream().anyMatch(n -> n.dedicated == dedicated && n.state.equals("leavingpool"));
        if (staying.size() < target) {
            BatchAccount account = accounts.find(pool.accountKey).orElseThrow();
            var size = sizes.find(pool.vmSize()).orElseThrow();
            int quota = dedicated ? properties.quota().dedicatedCores() : properties.quota().lowPriorityCores();
            int used = usedCores(pool.accountKey, dedicated);
            for (int i = staying.size(); i < target; i++) {
                if (used + size.numberOfCores() > quota) {
                    addResizeError(pool, "AccountCoreQuotaReached", "The specified account has reached its "
                            + (dedicated ? "dedicated" : "low-priority") + " core quota of " + quota + " cores.");
                    return false;
                }
                if (!placeNode(pool, account, size, dedicated, now)) {
                    return false;
                }
                used += size.numberOfCores();
            }
            return !leaving;
        }
        if (staying.size() > target) {
            String option = pool.deallocationOption == null ? "requeue" : pool.deallocationOption;
            Map<String, Integer> busy = busySlots();
            List<Node> victims = staying.stream()
                    .sorted(Comparator.comparingInt((Node n) -> busy.getOrDefault(n.accountKey + "|" + n.id, 0))
                            .thenComparing(n -> n.id))
                    .limit(staying.size() - target).toList();
            for (Node n : victims) {
                leave(n, option, now);
            }
            return false;
        }
        return !leaving;
    }

    /** A node leaves its pool the way the deallocation option says. */
    void leave(Node n, String option, Instant now) {
        switch (option) {
            case "requeue", "terminate" -> {
                killTasksOn(n, option.equals("requeue"));
                removeNode(n);
            }
            default -> { // taskcompletion, retaineddata: no new tasks; goes when its running tasks are done
                n.schedulingState = "disabled";
                n.moveTo("leavingpool", now);
                store.update(n);
            }
        }
    }

    private int usedCores(String accountKey, boolean dedicated) {
        int used = 0;
        for (Node n : store.allNodes()) {
            if (n.accountKey.equals(accountKey) && n.dedicated == dedicated) {
                Pool p = store.pool(n.accountKey, n.poolKey).orElse(null);
                if (p != null) {
                    used += sizes.find(p.vmSize()).map(s -> s.numberOfCores()).orElse(0);
                }
            }
        }
        return used;
    }

    private boolean placeNode(Pool pool, BatchAccount account, dev.cirrus.computevm.size.VmSize size,
                              boolean dedicated, Instant now) {
        UUID vmId = UUID.randomUUID();
        String nodeId = Node.newId(vmId);
        String poolSubject = account.id() + "/pools/" + pool.id;
        PlaceRequest request = PlaceRequest.newBuilder()
                .setVmId(vmId.toString())
                .setResourceId(poolSubject + "/nodes/" + nodeId)
                .setLocation(account.location())
                .setSize(VmSize.newBuilder().setName(size.name()).setVcpus(size.numberOfCores())
                        .setMemoryMib(size.memoryInMB()))
                // one scale-set group per pool with one fault domain count: the engine spreads over fault domains
                .setGroup(PlacementGroup.newBuilder().setScaleSet(ScaleSetGroup.newBuilder()
                        .setId(poolSubject.toLowerCase(Locale.ROOT)).setFaultDomainCount(1)))
                .build();
        PlaceOutcome outcome = placement.place(request);
        if (outcome instanceof PlaceOutcome.Placed placed) {
            Node node = new Node(pool.accountKey, pool.key(), nodeId, vmId, dedicated, "starting", "enabled",
                    placed.host(), placed.faultDomain(), placed.updateDomain(), now, now, null);
            store.insert(node);
            nodeEvent(account, pool, node, EventTypes.BATCH_NODE_STARTED, now);
            return true;
        }
        String reason = outcome instanceof PlaceOutcome.Refused r ? r.diagnosis()
                : ((PlaceOutcome.Unavailable) outcome).reason();
        addResizeError(pool, "AllocationFailed", "Desired number of dedicated nodes could not be allocated: " + reason);
        return false;
    }

    private void addResizeError(Pool pool, String code, String message) {
        var errors = JsonNodeFactory.instance.arrayNode();
        errors.addObject().put("code", code).put("message", message);
        pool.resizeErrors = errors;
    }

    private void moveNodes(Instant now) {
        Duration boot = properties.nodeBoot();
        Map<String, Integer> busy = busySlots();
        for (Node n : store.allNodes()) {
            switch (n.state) {
                case "starting", "rebooting" -> {
                    if (!now.isBefore(n.stateTime.plus(boot))) {
                        Pool pool = store.pool(n.accountKey, n.poolKey).orElse(null);
                        if (pool == null) {
                            continue;
                        }
                        JsonNode startTask = pool.spec.path("startTask");
                        if (startTask.isObject()) {
                            boolean wait = startTask.path("waitForSuccess").asBoolean(true);
                            n.moveTo(wait ? "waitingforstarttask" : "idle", now);
                            n.startTaskInfo = JsonNodeFactory.instance.objectNode().put("state", "running")
                                    .put("startTime", now.toString()).put("retryCount", 0);
                            store.update(n);
                            launchStartTask(pool, n, now);
                        } else {
                            n.moveTo("idle", now);
                            store.update(n);
                        }
                    }
                }
                case "leavingpool" -> {
                    if (busy.getOrDefault(n.accountKey + "|" + n.id, 0) == 0) {
                        removeNode(n);
                    }
                }
                case "idle", "running" -> {
                    String want = busy.getOrDefault(n.accountKey + "|" + n.id, 0) > 0 ? "running" : "idle";
                    if (!want.equals(n.state)) {
                        n.moveTo(want, now);
                        store.update(n);
                    }
                }
                default -> {
                }
            }
        }
    }

    private void schedule(Instant now) {
        List<BatchTask> open = store.openTasks();
        if (open.stream().noneMatch(t -> t.state.equals("active"))) {
            return;
        }
        Map<String, Integer> busy = busySlots(open);
        Map<String, Job> jobs = new HashMap<>();
        Map<String, Pool> pools = new HashMap<>();
        Map<String, List<Node>> nodesByPool = new HashMap<>();
        Map<String, Map<String, BatchTask>> tasksByJob = new HashMap<>();
        for (BatchTask t : open) {
            if (!t.state.equals("active")) {
                continue;
            }
            String jobRef = t.accountKey + "|" + t.jobKey;
            Job job = jobs.computeIfAbsent(jobRef, k -> store.job(t.accountKey, t.jobKey).orElse(null));
            if (job == null || !job.state.equals("active")) {
                continue;
            }
            if (t.spec.has("dependsOn")) {
                Map<String, BatchTask> all = tasksByJob.computeIfAbsent(jobRef, k -> {
                    Map<String, BatchTask> m = new HashMap<>();
                    store.tasks(t.accountKey, t.jobKey).forEach(x -> m.put(x.key(), x));
                    return m;
                });
                if (!Dependencies.satisfied(t.spec.path("dependsOn"), all)) {
                    continue;
                }
            }
            String poolRef = t.accountKey + "|" + job.poolKey;
            Pool pool = pools.computeIfAbsent(poolRef, k -> store.pool(t.accountKey, job.poolKey).orElse(null));
            if (pool == null || !pool.state.equals("active")) {
                continue;
            }
            List<Node> candidates = nodesByPool.computeIfAbsent(poolRef, k -> store.nodes(t.accountKey, job.poolKey));
            int slots = pool.taskSlotsPerNode();
            int need = t.requiredSlots();
            Node chosen = null;
            int chosenBusy = 0;
            for (Node n : candidates) {
                if (!n.takesTasks()) {
                    continue;
                }
                int used = busy.getOrDefault(n.accountKey + "|" + n.id, 0);
                if (used + need > slots) {
                    continue;
                }
                if (chosen == null || (pool.packs() ? used > chosenBusy : used < chosenBusy)) {
                    chosen = n;
                    chosenBusy = used;
                }
            }
            if (chosen == null) {
                continue;
            }
            busy.merge(chosen.accountKey + "|" + chosen.id, need, Integer::sum);
            t.scheduledAt = now;
            t.start(chosen.id, pool.key(), now);
            store.update(t);
            if (!chosen.state.equals("running")) {
                chosen.moveTo("running", now);
                store.update(chosen);
            }
            launchTask(pool, chosen, job, t, now);
            taskEvent(t, EventTypes.BATCH_TASK_STARTED, now);
        }
    }

    /** Slots in use per node ({@code account|node}), from the running tasks. */
    private Map<String, Integer> busySlots() {
        return busySlots(store.openTasks());
    }

    private static Map<String, Integer> busySlots(List<BatchTask> open) {
        Map<String, Integer> busy = new HashMap<>();
        for (BatchTask t : open) {
            if (t.state.equals("running") && t.nodeId != null) {
                busy.merge(t.accountKey + "|" + t.nodeId, t.requiredSlots(), Integer::sum);
            }
        }
        return busy;
    }

    private void completeJobIfDone(Job job, Instant now) {
        if (!job.terminatesWhenAllTasksComplete() || !job.state.equals("active")) {
            return;
        }
        if (store.tasks(job.accountKey, job.key()).stream().allMatch(t -> t.state.equals("completed"))) {
            job.terminate("AllTasksComplete", now);
            store.update(job);
            jobEvent(job, EventTypes.BATCH_JOB_COMPLETED, now);
        }
    }

    /** Ends the processes of a node's tasks: requeued (they run again elsewhere) or completed as failed. */
    void killTasksOn(Node n, boolean requeue) {
        Instant now = clock.instant();
        for (BatchTask t : store.runningOn(n.accountKey, n.id)) {
            processes.kill(taskKey(t), requeue ? "Requeue" : "NodeRemoved");
            if (requeue) {
                t.requeue(now);
            } else {
                t.terminate("TaskEnded", "The node running the task was removed from the pool.", now);
            }
            store.update(t);
        }
        processes.kill(startTaskKey(n), "NodeRemoved");
    }

    void removeNode(Node n) {
        placement.release(n.vmId.toString());
        store.deleteNode(n);
        accounts.find(n.accountKey).ifPresent(account -> store.pool(n.accountKey, n.poolKey)
                .ifPresent(pool -> nodeEvent(account, pool, n, EventTypes.BATCH_NODE_DELETED, clock.instant())));
        deleteTree(nodeRoot(n));
    }

    // ------------------------------------------------------------------ processes

    Path nodeRoot(Node n) {
        return properties.root().resolve(safe(n.accountKey.substring(n.accountKey.lastIndexOf('/') + 1)))
                .resolve(safe(n.poolKey)).resolve(n.id);
    }

    Path taskDir(Node n, String jobId, String taskId) {
        return nodeRoot(n).resolve("workitems").resolve(safe(jobId)).resolve("job-1").resolve(safe(taskId));
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /** The process key of a task's current run: its start time tells an old run's late exit from the current one. */
    static String taskKey(BatchTask t) {
        return "task|" + t.accountKey + "|" + t.jobKey + "|" + t.key() + "|"
                + (t.startTime == null ? 0 : t.startTime.toEpochMilli());
    }

    static String startTaskKey(Node n) {
        return "start|" + n.accountKey + "|" + n.poolKey + "|" + n.id;
    }

    private void launchTask(Pool pool, Node node, Job job, BatchTask t, Instant now) {
        Path dir = taskDir(node, job.id, t.id);
        Map<String, String> env = baseEnvironment(pool, node);
        env.put("AZ_BATCH_JOB_ID", job.id);
        env.put("AZ_BATCH_TASK_ID", t.id);
        env.put("AZ_BATCH_TASK_DIR", dir.toString());
        env.put("AZ_BATCH_TASK_WORKING_DIR", dir.resolve("wd").toString());
        env.putAll(settings(job.spec.path("commonEnvironmentSettings")));
        env.putAll(settings(t.spec.path("environmentSettings")));
        try {
            Files.createDirectories(dir);
            processes.start(taskKey(t), t.spec.path("commandLine").asString(), dir, dir.resolve("wd"), env, now,
                    this::exited);
        } catch (IOException | RuntimeException e) {
            log.warn("task {} could not start: {}", t.id, e.getMessage());
            t.terminate("TaskStartFailed", "The task's process could not be started: " + e.getMessage(), now);
            store.update(t);
        }
    }

    private void launchStartTask(Pool pool, Node node, Instant now) {
        Path dir = nodeRoot(node).resolve("startup");
        Map<String, String> env = baseEnvironment(pool, node);
        env.put("AZ_BATCH_TASK_DIR", dir.toString());
        env.put("AZ_BATCH_TASK_WORKING_DIR", dir.resolve("wd").toString());
        env.putAll(settings(pool.spec.path("startTask").path("environmentSettings")));
        try {
            Files.createDirectories(dir);
            processes.start(startTaskKey(node), pool.spec.path("startTask").path("commandLine").asString(), dir,
                    dir.resolve("wd"), env, now, this::exited);
        } catch (IOException | RuntimeException e) {
            node.moveTo("starttaskfailed", now);
            store.update(node);
        }
    }

    private void exited(NodeProcesses.Exit exit) {
        exits.add(exit);
        wake();
    }

    private Map<String, String> baseEnvironment(Pool pool, Node node) {
        Path root = nodeRoot(node);
        Map<String, String> env = new LinkedHashMap<>();
        String accountName = accounts.find(node.accountKey).map(BatchAccount::name).orElse("");
        String location = accounts.find(node.accountKey).map(BatchAccount::location).orElse("");
        env.put("AZ_BATCH_ACCOUNT_NAME", accountName);
        env.put("AZ_BATCH_ACCOUNT_URL", "https://" + accountName + "." + location + ".batch." + properties.hostDomain());
        env.put("AZ_BATCH_POOL_ID", pool.id);
        env.put("AZ_BATCH_NODE_ID", node.id);
        env.put("AZ_BATCH_NODE_IS_DEDICATED", String.valueOf(node.dedicated));
        env.put("AZ_BATCH_NODE_ROOT_DIR", root.toString());
        env.put("AZ_BATCH_NODE_SHARED_DIR", root.resolve("shared").toString());
        env.put("AZ_BATCH_NODE_STARTUP_DIR", root.resolve("startup").toString());
        env.put("AZ_BATCH_NODE_STARTUP_WORKING_DIR", root.resolve("startup").resolve("wd").toString());
        try {
            Files.createDirectories(root.resolve("shared"));
        } catch (IOException e) {
            log.warn("cannot create {}: {}", root, e.getMessage());
        }
        return env;
    }

    private static Map<String, String> settings(JsonNode list) {
        Map<String, String> env = new LinkedHashMap<>();
        if (list != null && list.isArray()) {
            list.forEach(s -> env.put(s.path("name").asString(), s.path("value").asString("")));
        }
        return env;
    }

    static Duration duration(JsonNode value) {
        if (value == null || !value.isString()) {
            return null;
        }
        try {
            Duration d = Duration.parse(value.asString());
            // Azure's "unlimited" is P10675199DT2H48M5.4775807S (TimeSpan.MaxValue)
            return d.compareTo(Duration.ofDays(3650)) > 0 ? null : d;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", root, e.getMessage());
        }
    }

    void killTask(BatchTask t, String reason) {
        processes.kill(taskKey(t), reason);
    }

    // ------------------------------------------------------------------ events

    private static int count(List<Node> nodes, boolean dedicated) {
        return (int) nodes.stream().filter(n -> n.dedicated == dedicated && !n.state.equals("leavingpool")).count();
    }

    void poolEvent(Pool pool, String type, int dedicated, int lowPriority, Instant now) {
        accounts.find(pool.accountKey).ifPresent(a -> outbox.append(Topics.COMPUTE_VM, CloudEvent.of(SOURCE, type,
                a.id() + "/pools/" + pool.id, now, json.valueToTree(new BatchPoolData(a.subscriptionId(),
                        a.resourceGroup(), a.name(), a.location(), pool.id, pool.vmSize(), pool.allocationState,
                        dedicated, lowPriority, pool.targetDedicated, pool.targetLowPriority)))));
    }

    private void nodeEvent(BatchAccount a, Pool pool, Node n, String type, Instant now) {
        var size = sizes.find(pool.vmSize()).orElseThrow();
        boolean deleted = type.equals(EventTypes.BATCH_NODE_DELETED);
        outbox.append(Topics.COMPUTE_VM, CloudEvent.of(SOURCE, type, a.id() + "/pools/" + pool.id + "/nodes/" + n.id,
                now, json.valueToTree(new VmLifecycleData(a.subscriptionId(), a.resourceGroup(), n.id, a.location(),
                        n.vmId.toString(), size.name(), size.numberOfCores(), size.memoryInMB(),
                        deleted ? "Deleted" : "Succeeded", deleted ? null : "running", n.host, n.faultDomain,
                        n.updateDomain))));
    }

    void jobEvent(Job job, String type, Instant now) {
        accounts.find(job.accountKey).ifPresent(a -> outbox.append(Topics.COMPUTE_VM, CloudEvent.of(SOURCE, type,
                a.id() + "/jobs/" + job.id, now, json.valueToTree(new BatchJobData(a.subscriptionId(), a.resourceGroup(),
                        a.name(), a.location(), job.id, job.spec.path("poolInfo").path("poolId").asString(),
                        job.state, job.terminateReason)))));
    }

    private void taskEvent(BatchTask t, String type, Instant now) {
        accounts.find(t.accountKey).ifPresent(a -> {
            String jobId = store.job(t.accountKey, t.jobKey).map(j -> j.id).orElse(t.jobKey);
            outbox.append(Topics.COMPUTE_VM, CloudEvent.of(SOURCE, type, a.id() + "/jobs/" + jobId + "/tasks/" + t.id,
                    now, json.valueToTree(new BatchTaskData(a.subscriptionId(), a.resourceGroup(), a.name(),
                            a.location(), jobId, t.id, t.state, t.nodeId, t.exitCode, t.result, t.retryCount))));
        });
    }

    // ------------------------------------------------------------------ accessors for the controller

    BatchStore store() {
        return store;
    }

    Clock clock() {
        return clock;
    }

}
