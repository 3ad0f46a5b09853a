package dev.cirrus.computecontainer.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.ManagedClusterData;
import tools.jackson.databind.JsonNode;

/**
 * A managed cluster (AKS) as its user wants it and where its provisioning stands. Plain data: each transition returns
 * the changed cluster and its events; the {@link ClusterWorker} makes compute-vm's scale sets match it.
 *
 * @param key               the ARM id in lower case
 * @param tier              {@code sku.tier}: Free, Standard or Premium
 * @param currentVersion    {@code currentKubernetesVersion}: what the control plane runs (the wanted one once an
 *                          upgrade has ended)
 * @param nodeResourceGroup {@code MC_{rg}_{cluster}_{location}} unless given: the group of the pools' scale sets
 * @param networkProfile    {@code properties.networkProfile} with its defaults, kept as data
 * @param autoUpgradeProfile {@code properties.autoUpgradeProfile} (upgradeChannel, nodeOSUpgradeChannel) with Azure's
 *                          defaults, kept as data: no channel upgrades a cluster by itself here (null in rows written
 *                          before it existed: the defaults)
 * @param provisioningState Creating, Updating, Upgrading, Scaling, Starting, Stopping, Deleting, Succeeded, Failed
 * @param powerState        Running or Stopped (what the user asked last)
 * @param operationId       the long-running operation under way (or the last one)
 */
public record ManagedCluster(String key, String resourceId, String subscriptionId, String resourceGroup, String name,
                             String location, Map<String, String> tags, String tier, String kubernetesVersion,
                             String currentVersion, String dnsPrefix, String fqdn, String nodeResourceGroup,
                             JsonNode networkProfile, JsonNode autoUpgradeProfile, List<AgentPool> pools,
                             String provisioningState,
                             String powerState, UUID operationId, String failureCode, String failureMessage,
                             Instant createdAt, Instant lastModified, String etag) {

    /** An event of a transition: type, subject, time, data (written to the outbox as is). */
    public record Event(String type, String subject, Instant time, Object data) {
    }

    /** A transition's outcome. */
    public record Transition(ManagedCluster cluster, List<Event> events) {
    }

    public static final String TYPE = "Microsoft.ContainerService/managedClusters";

    public ManagedCluster {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        pools = List.copyOf(pools);
    }

    public static String resourceId(String sub, String rg, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/" + TYPE + "/" + name;
    }

    public static String defaultNodeResourceGroup(String rg, String name, String location) {
        return "MC_" + rg + "_" + name + "_" + location;
    }

    public boolean busy() {
        return !"Succeeded".equals(provisioningState) && !"Failed".equals(provisioningState);
    }

    public Optional<AgentPool> pool(String poolName) {
        return pools.stream().filter(p -> p.name().equalsIgnoreCase(poolName)).findFirst();
    }

    /** A new cluster: Creating, its pools Creating, a Create operation. */
    public static Transition create(String sub, String rg, String name, String location, Map<String, String> tags,
                                    String tier, String version, String dnsPrefix, String fqdn, String nodeRg,
                                    JsonNode networkProfile, JsonNode autoUpgradeProfile, List<AgentPool> pools,
                                    UUID operationId, Instant now,
                                    String etag) {
        String id = resourceId(sub, rg, name);
        ManagedCluster c = new ManagedCluster(id.toLowerCase(Locale.ROOT), id, sub, rg, name, location, tags, tier,
                version, version, dnsPrefix, fqdn, nodeRg, networkProfile, autoUpgradeProfile,
                pools.stream().map(p -> p.in("Creating")).toList(), "Creating", "Running", operationId, null, null,
                now, now, etag);
        return new Transition(c, List.of(c.written(now)));
    }

    /**
     * A change of the definition (tags, tier, version, pools): provisioning starts again ({@code state}: Updating,
     * Upgrading or Scaling) under {@code operationId}; the pools that change take {@code state} too.
     */
    public Transition change(Map<String, String> newTags, String newTier, String newVersion, List<AgentPool> newPools,
                             String state, UUID newOperationId, Instant now, String newEtag) {
        List<AgentPool> staged = new ArrayList<>();
        for (AgentPool p : newPools) {
            Optional<AgentPool> old = pool(p.name());
            boolean changed = old.isEmpty() || !old.get().definition().equals(p.definition())
                    || !"Succeeded".equals(old.get().provisioningState());
            staged.add(p.in(changed ? (old.isEmpty() ? "Creating" : state) : old.get().provisioningState()));
        }
        boolean work = newOperationId != null;
        ManagedCluster c = new ManagedCluster(key, resourceId, subscriptionId, resourceGroup, name, location, newTags,
                newTier, newVersion, currentVersion, dnsPrefix, fqdn, nodeResourceGroup, networkProfile, autoUpgradeProfile, staged,
                work ? state : provisioningState, powerState, work ? newOperationId : operationId,
                work ? null : failureCode, work ? null : failureMessage, createdAt, now, newEtag);
        boolean billed = !newTier.equals(tier) || work;
        return new Transition(c, billed ? List.of(c.written(now)) : List.of());
    }

    /** Stop or start: every node deallocated or started again; the management tier is billed only while Running. */
    public Transition power(boolean running, UUID newOperationId, Instant now, String newEtag) {
        ManagedCluster c = new ManagedCluster(key, resourceId, subscriptionId, resourceGroup, name, location, tags,
                tier, kubernetesVersion, currentVersion, dnsPrefix, fqdn, nodeResourceGroup, networkProfile, autoUpgradeProfile,
                pools.stream().map(p -> p.in(running ? "Starting" : "Stopping")).toList(),
                running ? "Starting" : "Stopping", running ? "Running" : "Stopped", newOperationId, null, null,
                createdAt, now, newEtag);
        return new Transition(c, List.of(c.written(now)));
    }

    /** The cluster goes: Deleting until its scale sets are gone. */
    public Transition beginDelete(UUID newOperationId, Instant now, String newEtag) {
        ManagedCluster c = new ManagedCluster(key, resourceId, subscriptionId, resourceGroup, name, location, tags,
                tier, kubernetesVersion, currentVersion, dnsPrefix, fqdn, nodeResourceGroup, networkProfile, autoUpgradeProfile,
                pools.stream().map(p -> p.in("Deleting")).toList(), "Deleting", powerState, newOperationId, null, null,
                createdAt, now, newEtag);
        return new Transition(c, List.of());
    }

    /** The scale sets are gone: the cluster's meter stops and the gateway removes its node resource group. */
    public Transition deleted(Instant now) {
        ManagedCluster c = new ManagedCluster(key, resourceId, subscriptionId, resourceGroup, name, location, tags,
                tier, kubernetesVersion, currentVersion, dnsPrefix, fqdn, nodeResourceGroup, networkProfile, autoUpgradeProfile, pools,
                "Deleting", "Stopped", operationId, null, null, createdAt, now, etag);
        return new Transition(c, List.of(new Event(EventTypes.MANAGED_CLUSTER_DELETED, resourceId, now, c.data())));
    }

    /** Every pool matches compute-vm's scale sets: Succeeded, the control plane on the wanted version. */
    public Transition succeed(Instant now, String newEtag) {
        ManagedCluster c = new ManagedCluster(key, resourceId, subscriptionId, resourceGroup, name, location, tags,
                tier, kubernetesVersion, kubernetesVersion, dnsPrefix, fqdn, nodeResourceGroup, networkProfile, autoUpgradeProfile,
                pools.stream().map(p -> p.in("Succeeded")).toList(), "Succeeded", powerState, operationId, null, null,
                createdAt, now, newEtag);
        return new Transition(c, List.of(c.written(now)));
    }

    /** The operation could not be finished: Failed with the reason (the operation's error). */
    public Transition fail(String code, String message, Instant now, String newEtag) {
        ManagedCluster c = new ManagedCluster(key, resourceId, subscriptionId, resourceGroup, name, location, tags,
                tier, kubernetesVersion, currentVersion, dnsPrefix, fqdn, nodeResourceGroup, networkProfile, autoUpgradeProfile,
                pools.stream().map(p -> p.provisioningState().equals("Succeeded") ? p : p.in("Failed")).toList(),
                "Failed", powerState, operationId, code, message, createdAt, now, newEtag);
        return new Transition(c, List.of(c.written(now)));
    }

    /** The same cluster with another {@code autoUpgradeProfile} (a change that needs no operation). */
    public ManagedCluster withAutoUpgradeProfile(JsonNode profile) {
        return new ManagedCluster(key, resourceId, subscriptionId, resourceGroup, name, location, tags, tier,
                kubernetesVersion, currentVersion, dnsPrefix, fqdn, nodeResourceGroup, networkProfile, profile, pools,
                provisioningState, powerState, operationId, failureCode, failureMessage, createdAt, lastModified, etag);
    }

    public ManagedClusterData data() {
        return new ManagedClusterData(subscriptionId, resourceGroup, name, location, tier, provisioningState,
                powerState, nodeResourceGroup);
    }

    private Event written(Instant now) {
        return new Event(EventTypes.MANAGED_CLUSTER_WRITTEN, resourceId, now, data());
    }
}
