package dev.cirrus.computecontainer.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.ArmTags;
import dev.cirrus.contracts.arm.Preconditions;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The use cases of managed clusters and their agent pools behind the ARM API: read and check the request, load the
 * cluster (locked), decide (the {@link ManagedCluster}), save it, its operation and its events in one transaction;
 * the {@link ClusterWorker} then makes compute-vm's scale sets match. Nothing here calls compute-vm: a refused request
 * changes nothing anywhere.
 */
@Service
public class ManagedClusters {

    /** The result of a write: the cluster as stored, and the operation it started (null: nothing to do). */
    public record Write(ManagedCluster cluster, UUID operation, boolean created) {
    }

    /** One page of a list, and the key the next page starts after (null on the last page). */
    public record Page(List<ManagedCluster> clusters, String lastKey) {
    }

    private final ClusterRepository clusters;
    private final ClusterOperations operations;
    private final ClusterRequests requests;
    private final KubernetesVersions versions;
    private final ClusterEvents events;
    private final ClusterProperties properties;
    private final TransactionTemplate tx;
    private final Clock clock;

    ManagedClusters(ClusterRepository clusters, ClusterOperations operations, ClusterRequests requests,
                    KubernetesVersions versions, ClusterEvents events, ClusterProperties properties,
                    TransactionTemplate tx, Clock clock) {
        this.clusters = clusters;
        this.operations = operations;
        this.requests = requests;
        this.versions = versions;
        this.events = events;
        this.properties = properties;
        this.tx = tx;
        this.clock = clock;
    }

    /** PUT of a cluster: creates it (201) or changes it (200); either starts an operation unless only tags changed. */
    public Write createOrUpdate(String sub, String rg, String name, JsonNode body, Preconditions preconditions) {
        ClusterRequests.Put put = requests.put(name, body);
        String id = ManagedCluster.resourceId(sub, rg, name);
        try {
            return tx.execute(status -> {
                Optional<ManagedCluster> existing = clusters.findForUpdate(id);
                preconditions.checkPut(existing.map(ManagedCluster::etag).orElse(null));
                return existing.isPresent() ? update(existing.get(), put) : create(sub, rg, name, put);
            });
        } catch (DuplicateKeyException e) {
            String nodeRg = put.nodeResourceGroup() != null ? put.nodeResourceGroup()
                    : ManagedCluster.defaultNodeResourceGroup(rg, name, put.location());
            Optional<ManagedCluster> holder = clusters.findByNodeGroup(sub, nodeRg);
            if (holder.isPresent() && !holder.get().key().equals(id.toLowerCase(Locale.ROOT))) {
                throw ArmException.badRequest("InvalidParameter", "The node resource group '" + nodeRg + "' is "
                        + "already the node resource group of cluster '" + holder.get().resourceId() + "'.",
                        "properties.nodeResourceGroup");
            }
            throw ArmException.conflict("OperationNotAllowed", "The managed cluster '" + name + "' is being created "
                    + "by another request. Retry after it completes.");
        }
    }

    private Write create(String sub, String rg, String name, ClusterRequests.Put put) {
        String version = put.version() == null ? versions.defaultVersion()
                : versions.resolve(put.version(), "K8sVersionNotSupported", "properties.kubernetesVersion");
        List<AgentPool> pools = new ArrayList<>();
        for (int i = 0; i < put.pools().size(); i++) {
            pools.add(withVersion(put.pools().get(i), null, version,
                    "properties.agentPoolProfiles[" + i + "].orchestratorVersion"));
        }
        String nodeRg = put.nodeResourceGroup() != null ? put.nodeResourceGroup()
                : ManagedCluster.defaultNodeResourceGroup(rg, name, put.location());
        if (nodeRg.equalsIgnoreCase(rg)) {
            throw ArmException.badRequest("InvalidParameter", "The node resource group cannot be the cluster's own "
                    + "resource group '" + rg + "'.", "properties.nodeResourceGroup");
        }
        String id = ManagedCluster.resourceId(sub, rg, name);
        Instant now = now();
        UUID op = UUID.randomUUID();
        ManagedCluster.Transition t = ManagedCluster.create(sub, rg, name, put.location(), put.tags(), put.tier(),
                version, put.dnsPrefix(), fqdn(put.dnsPrefix(), id, put.location()), nodeRg, put.networkProfile(),
                put.autoUpgradeProfile(), pools, op, now, Preconditions.newEtag());
        clusters.insert(t.cluster());
        operations.start(op, sub, put.location(), t.cluster().key(), "Create", now);
        events.publish(t.events());
        return new Write(t.cluster(), op, true);
    }

    private Write update(ManagedCluster c, ClusterRequests.Put put) {
        if (!put.location().equals(c.location())) {
            throw new ArmException(409, "InvalidResourceLocation", "The resource '" + c.name() + "' already exists in "
                    + "location '" + c.location() + "' in resource group '" + c.resourceGroup() + "'. A resource with "
                    + "the same name cannot be created in location '" + put.location() + "'. Please select a new "
                    + "resource name.", "location");
        }
        if (!put.dnsPrefix().equals(c.dnsPrefix())) {
            throw ArmException.badRequest("PropertyChangeNotAllowed", "Changing property 'dnsPrefix' is not allowed.",
                    "properties.dnsPrefix");
        }
        if (put.nodeResourceGroup() != null && !put.nodeResourceGroup().equals(c.nodeResourceGroup())) {
            throw ArmException.badRequest("PropertyChangeNotAllowed", "Changing property 'nodeResourceGroup' is not "
                    + "allowed.", "properties.nodeResourceGroup");
        }
        String version = put.version() == null ? c.kubernetesVersion()
                : versions.resolve(put.version(), "K8sVersionNotSupported", "properties.kubernetesVersion");
        versions.checkChange(c.kubernetesVersion(), version, "properties.kubernetesVersion");
        boolean upgrade = !version.equals(c.kubernetesVersion());
        List<AgentPool> pools = new ArrayList<>();
        for (int i = 0; i < put.pools().size(); i++) {
            AgentPool given = put.pools().get(i);
            Optional<AgentPool> old = c.pool(given.name());
            String path = "properties.agentPoolProfiles[" + i + "]";
            if (old.isPresent() && !old.get().vmSize().equalsIgnoreCase(given.vmSize())) {
                throw ArmException.badRequest("PropertyChangeNotAllowed", "Changing property 'vmSize' of agent pool '"
                        + given.name() + "' is not allowed: add a new pool of the new size instead.", path + ".vmSize");
            }
            // a pool named without a version follows the control plane when it is upgraded, else keeps its own
            String poolDefault = old.isPresent() && !upgrade ? old.get().orchestratorVersion() : version;
            pools.add(withVersion(given, old.map(AgentPool::orchestratorVersion).orElse(null), version,
                    path + ".orchestratorVersion", poolDefault));
        }
        return change(c, put.tags(), put.tier(), version, pools, upgrade ? "Upgrading" : null,
                put.autoUpgradeProfile());
    }

    /**
     * A change of a cluster's definition: nothing but tags (and the tier) changes it at once; anything else starts an
     * operation (refused while another runs: 409 {@code OperationNotAllowed}).
     */
    private Write change(ManagedCluster c, Map<String, String> tags, String tier, String version,
                         List<AgentPool> pools, String state, tools.jackson.databind.JsonNode autoUpgrade) {
        boolean structural = !version.equals(c.kubernetesVersion()) || pools.size() != c.pools().size()
                || pools.stream().anyMatch(p -> c.pool(p.name()).map(o -> !o.definition().equals(p.definition()))
                .orElse(true));
        Instant now = now();
        if (!structural) {
            if (tags.equals(c.tags()) && tier.equals(c.tier())
                    && java.util.Objects.equals(autoUpgrade, c.autoUpgradeProfile())) {
                return new Write(c, null, false);
            }
            ManagedCluster.Transition t = c.change(tags, tier, version, pools, null, null, now, Preconditions.newEtag());
            ManagedCluster changed = t.cluster().withAutoUpgradeProfile(autoUpgrade);
            clusters.update(changed);
            events.publish(t.events());
            return new Write(changed, null, false);
        }
        refuseWhileBusy(c);
        if ("Stopped".equals(c.powerState())) {
            throw ArmException.badRequest("OperationNotAllowed", "The managed cluster '" + c.name() + "' is stopped: "
                    + "start it before changing its agent pools or version.", null);
        }
        String s = state != null ? state : pools.stream().allMatch(p -> c.pool(p.name())
                .map(o -> o.definition().equals(new AgentPool(p.name(), o.count(), p.vmSize(), p.mode(), p.osType(),
                        p.orchestratorVersion(), p.maxPods(), p.nodeLabels(), p.nodeTaints(), p.enableAutoScaling(),
                        p.minCount(), p.maxCount(), p.maxSurge(), null))).orElse(false))
                && pools.size() == c.pools().size() ? "Scaling" : "Updating";
        if (pools.stream().anyMatch(p -> c.pool(p.name()).map(o -> !o.orchestratorVersion()
                .equals(p.orchestratorVersion())).orElse(false))) {
            s = "Upgrading";
        }
        // pools the PUT no longer names are deleted with their scale sets
        List<AgentPool> all = new ArrayList<>(pools);
        UUID op = UUID.randomUUID();
        ManagedCluster.Transition t = c.change(tags, tier, version, all, s, op, now, Preconditions.newEtag());
        List<AgentPool> staged = new ArrayList<>(t.cluster().pools());
        for (AgentPool old : c.pools()) {
            if (pools.stream().noneMatch(p -> p.name().equals(old.name()))) {
                staged.add(old.in("Deleting"));
            }
        }
        ManagedCluster changed = withPools(t.cluster().withAutoUpgradeProfile(autoUpgrade), staged);
        clusters.update(changed);
        operations.start(op, c.subscriptionId(), c.location(), c.key(), s, now);
        events.publish(t.events());
        return new Write(changed, op, false);
    }

    /** PATCH: the tags (Azure's {@code updateTags}); nothing else changes by PATCH. */
    public ManagedCluster patch(String sub, String rg, String name, JsonNode body, Preconditions preconditions) {
        ObjectNode root = ArmJson.requireObject(body);
        Map<String, String> tags = root.has("tags") ? ArmTags.read(root) : null;
        return tx.execute(status -> {
            ManagedCluster c = clusters.findForUpdate(ManagedCluster.resourceId(sub, rg, name))
                    .orElseThrow(() -> notFound(rg, name));
            preconditions.checkExisting(c.etag());
            if (tags == null || tags.equals(c.tags())) {
                return c;
            }
            ManagedCluster.Transition t = c.change(tags, c.tier(), c.kubernetesVersion(), c.pools(), null, null, now(),
                    Preconditions.newEtag());
            clusters.update(t.cluster());
            return t.cluster();
        });
    }

    public ManagedCluster get(String sub, String rg, String name) {
        return clusters.find(ManagedCluster.resourceId(sub, rg, name)).orElseThrow(() -> notFound(rg, name));
    }

    public Page list(String sub, String rg, String after, int size) {
        List<ManagedCluster> rows = clusters.list(sub, rg, after, size + 1);
        boolean more = rows.size() > size;
        List<ManagedCluster> shown = more ? rows.subList(0, size) : rows;
        return new Page(shown, more ? shown.getLast().key() : null);
    }

    public List<ClusterNode> nodes(ManagedCluster c) {
        return clusters.nodes(c.key());
    }

    /** DELETE: Deleting until the worker has deleted the pools' scale sets (202); empty when there is none (204). */
    public Optional<Write> delete(String sub, String rg, String name, Preconditions preconditions) {
        return tx.execute(status -> {
            Optional<ManagedCluster> existing = clusters.findForUpdate(ManagedCluster.resourceId(sub, rg, name));
            if (existing.isEmpty()) {
                return Optional.<Write>empty();
            }
            ManagedCluster c = existing.get();
            preconditions.checkDelete(c.etag());
            if ("Deleting".equals(c.provisioningState())) {
                return Optional.of(new Write(c, c.operationId(), false));
            }
            Instant now = now();
            if (c.busy() && c.operationId() != null) {
                operations.end(c.operationId(), "Canceled", "OperationCanceled", "The managed cluster is being "
                        + "deleted.", now);
            }
            UUID op = UUID.randomUUID();
            ManagedCluster.Transition t = c.beginDelete(op, now, Preconditions.newEtag());
            clusters.update(t.cluster());
            operations.start(op, sub, c.location(), c.key(), "Delete", now);
            events.publish(t.events());
            return Optional.of(new Write(t.cluster(), op, false));
        });
    }

    /** POST stop / start: every node deallocated (billing of nodes and of the tier stops) or started again. */
    public Write power(String sub, String rg, String name, boolean running) {
        return tx.execute(status -> {
            ManagedCluster c = clusters.findForUpdate(ManagedCluster.resourceId(sub, rg, name))
                    .orElseThrow(() -> notFound(rg, name));
            refuseWhileBusy(c);
            Instant now = now();
            UUID op = UUID.randomUUID();
            ManagedCluster.Transition t = c.power(running, op, now, Preconditions.newEtag());
            clusters.update(t.cluster());
            operations.start(op, sub, c.location(), c.key(), running ? "Start" : "Stop", now);
            events.publish(t.events());
            return new Write(t.cluster(), op, false);
        });
    }

    /** PUT of an agent pool: adds it or changes it (count, autoscaling bounds, version, labels, taints, surge). */
    public Write putPool(String sub, String rg, String name, String poolName, JsonNode body,
                         Preconditions preconditions) {
        ObjectNode root = ArmJson.requireObject(body);
        ObjectNode given0 = ArmJson.object(root, "properties", "properties");
        return tx.execute(status -> {
            ManagedCluster c = clusters.findForUpdate(ManagedCluster.resourceId(sub, rg, name))
                    .orElseThrow(() -> notFound(rg, name));
            Optional<AgentPool> old = c.pool(poolName);
            // what the PUT leaves out: an existing pool keeps its mode and count; a new pool is a User pool
            ObjectNode props = given0 == null ? root.objectNode() : given0.deepCopy();
            if (!props.has("mode")) {
                props.put("mode", old.map(AgentPool::mode).orElse("User"));
            }
            if (!props.has("count") && old.isPresent()) {
                props.put("count", old.get().count());
            }
            AgentPool given = requests.pool(poolName, props, "properties.");
            if (old.isPresent() && !old.get().vmSize().equalsIgnoreCase(given.vmSize()) && props.has("vmSize")) {
                throw ArmException.badRequest("PropertyChangeNotAllowed", "Changing property 'vmSize' of agent pool '"
                        + poolName + "' is not allowed: add a new pool of the new size instead.", "properties.vmSize");
            }
            AgentPool sized = old.isPresent() && !props.has("vmSize")
                    ? new AgentPool(given.name(), given.count(), old.get().vmSize(), given.mode(), given.osType(),
                    given.orchestratorVersion(), given.maxPods(), given.nodeLabels(), given.nodeTaints(),
                    given.enableAutoScaling(), given.minCount(), given.maxCount(), given.maxSurge(), null)
                    : given;
            AgentPool pool = withVersion(sized, old.map(AgentPool::orchestratorVersion).orElse(null),
                    c.kubernetesVersion(), "properties.orchestratorVersion",
                    old.map(AgentPool::orchestratorVersion).orElse(c.kubernetesVersion()));
            List<AgentPool> pools = new ArrayList<>();
            boolean replaced = false;
            for (AgentPool p : c.pools()) {
                if (p.name().equals(pool.name())) {
                    pools.add(pool);
                    replaced = true;
                } else {
                    pools.add(p);
                }
            }
            if (!replaced) {
                pools.add(pool);
            }
            ClusterRequests.requireSystemPool(pools, "properties.mode");
            Write w = change(c, c.tags(), c.tier(), c.kubernetesVersion(), pools, null, c.autoUpgradeProfile());
            return new Write(w.cluster(), w.operation(), old.isEmpty());
        });
    }

    /** DELETE of an agent pool: refused for the cluster's last System pool; its scale set goes with it. */
    public Optional<Write> deletePool(String sub, String rg, String name, String poolName) {
        return tx.execute(status -> {
            ManagedCluster c = clusters.findForUpdate(ManagedCluster.resourceId(sub, rg, name))
                    .orElseThrow(() -> notFound(rg, name));
            Optional<AgentPool> pool = c.pool(poolName);
            if (pool.isEmpty()) {
                return Optional.<Write>empty();
            }
            List<AgentPool> rest = c.pools().stream().filter(p -> !p.name().equals(pool.get().name())).toList();
            if (rest.stream().noneMatch(AgentPool::system)) {
                throw ArmException.badRequest("MustDefineAtLeastOneSystemPool", "Agent pool '" + poolName + "' is the "
                        + "last System pool of cluster '" + name + "': a cluster must keep at least one System pool.",
                        null);
            }
            return Optional.of(change(c, c.tags(), c.tier(), c.kubernetesVersion(), rest, null,
                    c.autoUpgradeProfile()));
        });
    }

    public KubernetesVersions versions() {
        return versions;
    }

    /** A pool's version: as given (resolved, at most the control plane's), else {@code dflt}; never a downgrade. */
    private AgentPool withVersion(AgentPool p, String oldVersion, String controlPlane, String target) {
        return withVersion(p, oldVersion, controlPlane, target, controlPlane);
    }

    private AgentPool withVersion(AgentPool p, String oldVersion, String controlPlane, String target, String dflt) {
        String v = p.orchestratorVersion() == null ? dflt
                : versions.resolve(p.orchestratorVersion(), "AgentPoolK8sVersionNotSupported", target);
        KubernetesVersions.Version pv = KubernetesVersions.parse(v);
        KubernetesVersions.Version cv = KubernetesVersions.parse(controlPlane);
        if (pv.compareTo(cv) > 0 || pv.major() != cv.major() || cv.minor() - pv.minor() > 2) {
            throw ArmException.badRequest("NodePoolMcVersionIncompatible", "Node pool version " + v + " and control "
                    + "plane version " + controlPlane + " are incompatible: a node pool runs the control plane's "
                    + "version or one of at most two minor versions older.", target);
        }
        if (oldVersion != null) {
            versions.checkChange(oldVersion, v, target);
        }
        return new AgentPool(p.name(), p.count(), p.vmSize(), p.mode(), p.osType(), v, p.maxPods(), p.nodeLabels(),
                p.nodeTaints(), p.enableAutoScaling(), p.minCount(), p.maxCount(), p.maxSurge(), null);
    }

    private static ManagedCluster withPools(ManagedCluster c, List<AgentPool> pools) {
        return new ManagedCluster(c.key(), c.resourceId(), c.subscriptionId(), c.resourceGroup(), c.name(),
                c.location(), c.tags(), c.tier(), c.kubernetesVersion(), c.currentVersion(), c.dnsPrefix(), c.fqdn(),
                c.nodeResourceGroup(), c.networkProfile(), c.autoUpgradeProfile(), pools, c.provisioningState(), c.powerState(),
                c.operationId(), c.failureCode(), c.failureMessage(), c.createdAt(), c.lastModified(), c.etag());
    }

    static void refuseWhileBusy(ManagedCluster c) {
        if (c.busy()) {
            throw ArmException.conflict("OperationNotAllowed", "Operation is not allowed because there's an in "
                    + "progress " + c.provisioningState().toLowerCase(Locale.ROOT) + " operation on managed cluster '"
                    + c.name() + "'. Retry after it completes.");
        }
    }

    /** {@code {dnsPrefix}-{8 hex}.hcp.{location}.azmk8s.{zone}}: the hex from the cluster's id, as AKS derives it. */
    private String fqdn(String dnsPrefix, String id, String location) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(id.toLowerCase(Locale.ROOT)
                    .getBytes(StandardCharsets.UTF_8));
            return dnsPrefix.toLowerCase(Locale.ROOT) + "-" + HexFormat.of().formatHex(h, 0, 4) + ".hcp." + location
                    + ".azmk8s." + properties.dnsZone();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ArmException notFound(String rg, String name) {
        return ArmException.notFound("ResourceNotFound", "The Resource '" + ManagedCluster.TYPE + "/" + name
                + "' under resource group '" + rg + "' was not found.");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
