package dev.cirrus.computecontainer.cluster;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.cirrus.contracts.arm.Preconditions;
import dev.cirrus.contracts.events.EventTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Makes compute-vm's scale sets match the clusters whose operation is under way, one step per cluster and tick
 * ({@code cirrus.compute-container.worker-interval}); everything it needs is in the database, so a restart carries on.
 * For each agent pool, one Uniform scale set {@code aks-{pool}-{digits}-vmss} in the node resource group:
 * <ol>
 *   <li>created with the pool's count when missing; nothing happens while the set's own operation runs;</li>
 *   <li>its instances are the pool's nodes: a new instance is a node of the pool's version ({@code NodeAdded}), a
 *       vanished one is gone ({@code NodeRemoved});</li>
 *   <li>a stopped cluster's instances are deallocated, a running one's started;</li>
 *   <li>upgrade: while nodes run an older version, {@code maxSurge} new nodes are added (the set's capacity raised),
 *       then as many old nodes are cordoned, drained ({@code NodeCordoned}, {@code NodeDrained}) and deleted;</li>
 *   <li>scale: surplus nodes (the highest instance ids) are cordoned, drained and deleted; missing ones added;</li>
 *   <li>a pool being deleted loses its set.</li>
 * </ol>
 * When every pool matches, the operation ends Succeeded. compute-vm refusing a call (4xx) fails it with compute-vm's
 * error; compute-vm not answering is retried until {@code operation-deadline}, then the operation fails with
 * {@code ComputeVmUnavailable}: never a hang.
 */
@Component
class ClusterWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClusterWorker.class);

    private final ClusterRepository clusters;
    private final ClusterOperations operations;
    private final ClusterEvents events;
    private final ComputeVmClient vm;
    private final ClusterProperties properties;
    private final TransactionTemplate tx;
    private final Clock clock;
    private volatile Thread thread;
    private volatile boolean running;
    /** When a cluster whose replacement node could not be placed is tried again (the worker thread's own). */
    private final Map<String, Instant> repairBackoff = new HashMap<>();

    ClusterWorker(ClusterRepository clusters, ClusterOperations operations, ClusterEvents events, ComputeVmClient vm,
                  ClusterProperties properties, TransactionTemplate tx, Clock clock) {
        this.clusters = clusters;
        this.operations = operations;
        this.events = events;
        this.vm = vm;
        this.properties = properties;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("cluster-worker").daemon().start(this::loop);
    }

    @Override
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        while (running) {
            try {
                for (String key : clusters.busy()) {
                    if (!running) {
                        return;
                    }
                    step(key);
                }
                for (String key : clusters.toRepair()) {
                    if (!running) {
                        return;
                    }
                    if (!now().isBefore(repairBackoff.getOrDefault(key, Instant.MIN))) {
                        repair(key);
                    }
                }
            } catch (RuntimeException e) {
                log.warn("cluster worker: {}", e.toString());
            }
            try {
                Thread.sleep(properties.workerInterval().toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One reconciliation step of one cluster. */
    void step(String key) {
        Optional<ManagedCluster> found = clusters.find(key);
        if (found.isEmpty() || !found.get().busy()) {
            return;
        }
        ManagedCluster c = found.get();
        UUID op = c.operationId();
        try {
            boolean done = true;
            List<String> gone = new ArrayList<>();
            for (AgentPool pool : c.pools()) {
                boolean deleting = "Deleting".equals(c.provisioningState()) || "Deleting".equals(pool.provisioningState());
                boolean poolDone = deleting ? deletePool(c, pool) : reconcile(c, pool);
                if (deleting && poolDone) {
                    gone.add(pool.name());
                }
                done &= poolDone;
            }
            if (done) {
                finish(c, op, gone);
            }
        } catch (ComputeVmClient.Refused e) {
            if ("AnotherOperationInProgress".equals(e.code()) || "Conflict".equals(e.code())) {
                return; // the set's own operation still runs: next tick
            }
            if ("AllocationFailed".equals(e.code())
                    && now().isBefore(c.lastModified().plus(properties.operationDeadline()))) {
                // no healthy host took a node now (a rack failed during a surge, say): the failed instances go and
                // the step is tried again, until the operation's deadline
                log.info("cluster {}: {}; retrying", c.resourceId(), e.getMessage());
                dropFailedInstances(c);
                return;
            }
            fail(key, op, e.code(), "compute-vm refused a change of the cluster's scale sets: " + e.getMessage());
        } catch (ComputeVmClient.Unavailable e) {
            if (now().isAfter(c.lastModified().plus(properties.operationDeadline()))) {
                fail(key, op, "ComputeVmUnavailable", "The operation could not be completed within "
                        + properties.operationDeadline() + ": " + e.getMessage() + ". Retry it once compute-vm "
                        + "answers.");
            } else {
                log.info("cluster {}: compute-vm unavailable, retrying: {}", c.resourceId(), e.getMessage());
            }
        }
    }

    /**
     * Auto-repair of a Succeeded cluster: each node stranded on a failed host is cordoned, drained and deleted
     * ({@code NodeRepaired}), and the pool grown back to its count on healthy hosts. The cluster stays Succeeded;
     * a failure is tried again at the next tick.
     */
    void repair(String key) {
        Optional<ManagedCluster> found = clusters.find(key);
        if (found.isEmpty() || found.get().busy() || !"Running".equals(found.get().powerState())) {
            return;
        }
        ManagedCluster c = found.get();
        clusters.setRepairing(key, true);
        try {
            boolean done = true;
            for (AgentPool pool : c.pools()) {
                done &= reconcile(c, pool);
            }
            if (done) {
                clusters.setRepairing(key, false);
                repairBackoff.remove(key);
                log.info("cluster {}: auto-repair done", c.resourceId());
            }
        } catch (ComputeVmClient.Refused e) {
            if ("AllocationFailed".equals(e.code())) {
                // no healthy host may take a replacement now (e.g. the scale set's fault-domain balance): the failed
                // instances go, the stranded node stays, and the repair is tried again later
                dropFailedInstances(c);
                repairBackoff.put(key, now().plus(properties.workerInterval().multipliedBy(20)));
            }
            log.warn("cluster {}: repair not done yet: {}", c.resourceId(), e.getMessage());
        } catch (RuntimeException e) {
            log.warn("cluster {}: repair not done yet: {}", c.resourceId(), e.toString());
        }
    }

    /** Deletes the instances compute-vm could not place, in every pool's scale set, so that a later step retries. */
    private void dropFailedInstances(ManagedCluster c) {
        for (AgentPool pool : c.pools()) {
            String set = AgentPool.scaleSetName(c.key(), pool.name());
            List<String> failed = vm.instances(c.subscriptionId(), c.nodeResourceGroup(), set).stream()
                    .filter(i -> "Failed".equals(i.provisioningState()))
                    .map(ComputeVmClient.Instance::instanceId).toList();
            if (!failed.isEmpty()) {
                vm.act(c.subscriptionId(), c.nodeResourceGroup(), set, "delete", failed);
            }
        }
    }

    private boolean deletePool(ManagedCluster c, AgentPool pool) {
        String set = AgentPool.scaleSetName(c.key(), pool.name());
        Optional<JsonNode> ss = vm.scaleSet(c.subscriptionId(), c.nodeResourceGroup(), set);
        if (ss.isEmpty()) {
            tx.executeWithoutResult(s -> {
                for (ClusterNode n : clusters.nodes(c.key())) {
                    if (n.pool().equals(pool.name())) {
                        events.node(EventTypes.CLUSTER_NODE_REMOVED, c, n, "Delete", now());
                    }
                }
                clusters.deleteNodes(c.key(), pool.name());
            });
            return true;
        }
        if (!"Deleting".equals(ss.get().path("properties").path("provisioningState").asString(""))) {
            vm.deleteScaleSet(c.subscriptionId(), c.nodeResourceGroup(), set);
        }
        return false;
    }

    /** One step towards the pool's wanted nodes; true when the pool matches. */
    private boolean reconcile(ManagedCluster c, AgentPool pool) {
        String sub = c.subscriptionId();
        String rg = c.nodeResourceGroup();
        String set = AgentPool.scaleSetName(c.key(), pool.name());
        Optional<JsonNode> ss = vm.scaleSet(sub, rg, set);
        if (ss.isEmpty()) {
            vm.createScaleSet(sub, rg, set, c.location(), pool.vmSize(), pool.count(), Map.of(
                    "aks-managed-cluster-name", c.name(), "aks-managed-cluster-rg", c.resourceGroup(),
                    "aks-managed-poolName", pool.name(), "aks-managed-orchestrator", "Kubernetes:"
                            + pool.orchestratorVersion()));
            return false;
        }
        String setState = ss.get().path("properties").path("provisioningState").asString("");
        if (setState.equals("Creating") || setState.equals("Updating") || setState.equals("Deleting")) {
            return false;
        }
        List<ComputeVmClient.Instance> instances = vm.instances(sub, rg, set);
        List<ClusterNode> nodes = sync(c, pool, instances);
        if (instances.stream().anyMatch(ComputeVmClient.Instance::busy)) {
            return false;
        }
        List<ComputeVmClient.Instance> failed = instances.stream()
                .filter(i -> "Failed".equals(i.provisioningState())).toList();
        if (!failed.isEmpty()) {
            throw new ComputeVmClient.Refused(409, "AllocationFailed", failed.size() + " of the " + instances.size()
                    + " nodes of agent pool '" + pool.name() + "' could not be created (scale set " + set + " in "
                    + rg + "); see the scale set's instances in compute-vm.");
        }
        if ("Stopped".equals(c.powerState())) {
            List<String> up = instances.stream().filter(i -> !"deallocated".equals(i.powerState()))
                    .map(ComputeVmClient.Instance::instanceId).toList();
            if (!up.isEmpty()) {
                vm.act(sub, rg, set, "deallocate", up);
                return false;
            }
            return true;
        }
        List<String> down = instances.stream().filter(i -> "deallocated".equals(i.powerState())
                || "stopped".equals(i.powerState())).map(ComputeVmClient.Instance::instanceId).toList();
        if (!down.isEmpty()) {
            vm.act(sub, rg, set, "start", down);
            return false;
        }
        // nodes to replace: those of an older version (an upgrade) and those stranded on a failed host (repair);
        // surge first, so a replacement is placed before the node it replaces goes
        List<ClusterNode> replace = nodes.stream()
                .filter(n -> n.stranded() || !n.orchestratorVersion().equals(pool.orchestratorVersion()))
                // healthy old nodes first: a stranded node's fault domain keeps counting until it goes
                .sorted(Comparator.comparing(ClusterNode::stranded)
                        .thenComparing(n -> Long.parseLong(n.instanceId())))
                .toList();
        int extra = instances.size() - pool.count();
        if (!replace.isEmpty()) {
            int batch = Math.min(pool.surge(), replace.size());
            if (extra < batch) {
                vm.setCapacity(sub, rg, set, pool.count() + batch);
                return false;
            }
            List<ClusterNode> victims = replace.subList(0, Math.min(extra, replace.size()));
            tx.executeWithoutResult(s -> victims.stream().filter(ClusterNode::stranded).forEach(n ->
                    events.node(EventTypes.CLUSTER_NODE_REPAIRED, c, n, "HostFailed", now())));
            removeNodes(c, set, victims, victims.stream().allMatch(ClusterNode::stranded) ? "HostFailed" : "Upgrade");
            return false;
        }
        if (extra > 0) {
            // nodes whose VM has no host go first, then the newest
            List<ClusterNode> victims = nodes.stream().sorted(Comparator
                            .comparing((ClusterNode n) -> n.host() != null)
                            .thenComparing(n -> -Long.parseLong(n.instanceId())))
                    .limit(extra).toList();
            removeNodes(c, set, victims, "Scale");
            return false;
        }
        if (extra < 0) {
            vm.setCapacity(sub, rg, set, pool.count());
            return false;
        }
        return true;
    }

    /** The pool's nodes made to match the set's instances; returns them, oldest first. */
    private List<ClusterNode> sync(ManagedCluster c, AgentPool pool, List<ComputeVmClient.Instance> instances) {
        return tx.execute(s -> {
            Map<String, ClusterNode> known = new HashMap<>();
            for (ClusterNode n : clusters.nodes(c.key())) {
                if (n.pool().equals(pool.name())) {
                    known.put(n.instanceId(), n);
                }
            }
            Instant now = now();
            boolean changed = false;
            for (ComputeVmClient.Instance i : instances) {
                if (!known.containsKey(i.instanceId())) {
                    ClusterNode n = new ClusterNode(pool.name(), i.instanceId(), i.name(), i.vmId(),
                            pool.orchestratorVersion(), "Ready", now, null, null, null, null, false);
                    clusters.insertNode(c.key(), n);
                    events.node(EventTypes.CLUSTER_NODE_ADDED, c, n, reason(c), now);
                    changed = true;
                }
            }
            for (ClusterNode n : known.values()) {
                if (instances.stream().noneMatch(i -> i.instanceId().equals(n.instanceId()))) {
                    clusters.deleteNode(c.key(), pool.name(), n.instanceId());
                    events.node(EventTypes.CLUSTER_NODE_REMOVED, c, n, reason(c), now);
                    changed = true;
                }
            }
            List<ClusterNode> all = changed ? clusters.nodes(c.key()) : new ArrayList<>(known.values());
            return all.stream().filter(n -> n.pool().equals(pool.name()))
                    .sorted(Comparator.comparing((ClusterNode n) -> Long.parseLong(n.instanceId()))).toList();
        });
    }

    /** Cordons and drains each node (recorded, with its events), then deletes their instances in one call. */
    private void removeNodes(ManagedCluster c, String set, List<ClusterNode> victims, String reason) {
        tx.executeWithoutResult(s -> {
            Instant now = now();
            for (ClusterNode n : victims) {
                if ("Ready".equals(n.state())) {
                    clusters.setNodeState(c.key(), n.pool(), n.instanceId(), "Cordoned", now);
                    events.node(EventTypes.CLUSTER_NODE_CORDONED, c, n, reason, now);
                }
                if (!"Drained".equals(n.state())) {
                    clusters.setNodeState(c.key(), n.pool(), n.instanceId(), "Drained", now);
                    events.node(EventTypes.CLUSTER_NODE_DRAINED, c, n, reason, now);
                }
            }
        });
        vm.act(c.subscriptionId(), c.nodeResourceGroup(), set, "delete",
                victims.stream().map(ClusterNode::instanceId).toList());
    }

    private void finish(ManagedCluster seen, UUID op, List<String> gone) {
        tx.executeWithoutResult(s -> {
            Optional<ManagedCluster> current = clusters.findForUpdate(seen.key());
            if (current.isEmpty() || !current.get().busy() || !java.util.Objects.equals(current.get().operationId(), op)) {
                return; // changed meanwhile: the next step sees the new operation
            }
            ManagedCluster c = current.get();
            Instant now = now();
            if ("Deleting".equals(c.provisioningState())) {
                events.publish(c.deleted(now).events());
                clusters.delete(c.key());
                operations.end(op, "Succeeded", null, null, now);
                return;
            }
            ManagedCluster kept = new ManagedCluster(c.key(), c.resourceId(), c.subscriptionId(), c.resourceGroup(),
                    c.name(), c.location(), c.tags(), c.tier(), c.kubernetesVersion(), c.currentVersion(), c.dnsPrefix(),
                    c.fqdn(), c.nodeResourceGroup(), c.networkProfile(), c.autoUpgradeProfile(),
                    c.pools().stream().filter(p -> !gone.contains(p.name())).toList(), c.provisioningState(),
                    c.powerState(), c.operationId(), null, null, c.createdAt(), c.lastModified(), c.etag());
            ManagedCluster.Transition t = kept.succeed(now, Preconditions.newEtag());
            clusters.update(t.cluster());
            events.publish(t.events());
            operations.end(op, "Succeeded", null, null, now);
        });
    }

    private void fail(String key, UUID op, String code, String message) {
        log.warn("cluster {}: operation {} failed: {} {}", key, op, code, message);
        tx.executeWithoutResult(s -> {
            Optional<ManagedCluster> current = clusters.findForUpdate(key);
            if (current.isEmpty() || !java.util.Objects.equals(current.get().operationId(), op)) {
                return;
            }
            Instant now = now();
            ManagedCluster.Transition t = current.get().fail(code, message, now, Preconditions.newEtag());
            clusters.update(t.cluster());
            events.publish(t.events());
            operations.end(op, "Failed", code, message, now);
        });
    }

    private static String reason(ManagedCluster c) {
        return switch (c.provisioningState()) {
            case "Creating" -> "Create";
            case "Upgrading" -> "Upgrade";
            case "Deleting" -> "Delete";
            default -> "Scale";
        };
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
