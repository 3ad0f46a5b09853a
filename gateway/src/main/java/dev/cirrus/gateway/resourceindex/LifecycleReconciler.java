package dev.cirrus.gateway.resourceindex;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.gateway.provider.ProviderRegistry;
import dev.cirrus.plumbing.events.InboxConsumer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reconciles the {@link ResourceIndex} with the lifecycle events of the resources, each event applied once (the
 * plumbing's inbox {@code gateway-resource-index}): an event about a resource that exists indexes it when the index
 * does not know it yet (never overwriting what a routed PUT recorded: tags, kind), a deletion event removes it. The
 * owner is the type's in the {@link ProviderRegistry}; the resource id comes from the event's data
 * ({@code subscriptionId}, {@code resourceGroup}, {@code name}) and its type:
 * <ul>
 *   <li>{@code cirrus.compute.vm}: {@code Microsoft.Compute.VirtualMachine*} ({@code VmLifecycleData}) →
 *       {@code Microsoft.Compute/virtualMachines} of compute-vm, removed on {@code VirtualMachineDeleted};</li>
 *   <li>{@code cirrus.compute.container}: {@code ContainerGroupStarted|Stopped|Deleted} ({@code ContainerGroupData}) →
 *       {@code Microsoft.ContainerInstance/containerGroups}, {@code ManagedClusterWritten|Deleted}
 *       ({@code ManagedClusterData}) → {@code Microsoft.ContainerService/managedClusters}, both of compute-container
 *       (agent pool nodes are parts of their cluster, not resources of the group);</li>
 *   <li>{@code cirrus.compute.vm}: {@code ScaleSetCreated|Deleted} ({@code ScaleSetData}) →
 *       {@code Microsoft.Compute/virtualMachineScaleSets} (the agent pools' sets in a node resource group are written
 *       by compute-container, not through the gateway);</li>
 *   <li>{@code cirrus.appservice}: {@code ServerFarmWritten|Deleted} ({@code AppServicePlanData}) →
 *       {@code Microsoft.Web/serverFarms} of app-service; {@code WebAppWritten|Started|Stopped|Deleted}
 *       ({@code WebAppData}) → {@code Microsoft.Web/sites} of app-service, with the site's kind (the kind decides
 *       where its host traffic goes, {@code SiteOwners});</li>
 *   <li>{@code cirrus.compute.vm}: {@code Microsoft.Network.ResourceCreated|Updated|Deleted}
 *       ({@code NetworkResourceData}) → the Microsoft.Network type its {@code resourceType} names (virtual networks,
 *       NICs, public IPs, NSGs, load balancers) of compute-vm; a type the provider registry does not list is
 *       ignored;</li>
 *   <li>{@code cirrus.serverless}: {@code StorageAccountCreated|Updated|Deleted} ({@code StorageAccountData}) →
 *       {@code Microsoft.Storage/storageAccounts} of serverless (its other events, function executions and workflow
 *       runs, are not about resources of a group).</li>
 * </ul>
 * This is what removes a resource whose DELETE the service answered 202, and what indexes resources written while
 * the gateway was not looking. Off when {@code cirrus.kafka.bootstrap-servers} is empty.
 */
@Component
class LifecycleReconciler implements SmartLifecycle {

    /** What an event type means for the index: the resource type it is about and whether it is gone. */
    record Meaning(String resourceType, boolean deleted) {
    }

    private static final String VM_TYPE = "Microsoft.Compute/virtualMachines";
    private static final String VM_EVENT_PREFIX = "Microsoft.Compute.VirtualMachine";
    private static final String STORAGE_TYPE = "Microsoft.Storage/storageAccounts";
    /** Network events name their resource type in their data ({@code NetworkResourceData.resourceType}). */
    private static final String NETWORK_TYPE_FROM_DATA = "";
    private static final String SITE_TYPE = "Microsoft.Web/sites";
    private static final Map<String, Meaning> MEANINGS = Map.ofEntries(
            Map.entry(EventTypes.CONTAINER_GROUP_STARTED, new Meaning("Microsoft.ContainerInstance/containerGroups", false)),
            Map.entry(EventTypes.CONTAINER_GROUP_STOPPED, new Meaning("Microsoft.ContainerInstance/containerGroups", false)),
            Map.entry(EventTypes.CONTAINER_GROUP_DELETED, new Meaning("Microsoft.ContainerInstance/containerGroups", true)),
            Map.entry(EventTypes.MANAGED_CLUSTER_WRITTEN, new Meaning("Microsoft.ContainerService/managedClusters", false)),
            Map.entry(EventTypes.MANAGED_CLUSTER_DELETED, new Meaning("Microsoft.ContainerService/managedClusters", true)),
            // scale sets written by another service (compute-container's agent pools in a node resource group)
            Map.entry(EventTypes.SCALE_SET_CREATED, new Meaning("Microsoft.Compute/virtualMachineScaleSets", false)),
            Map.entry(EventTypes.SCALE_SET_DELETED, new Meaning("Microsoft.Compute/virtualMachineScaleSets", true)),
            Map.entry(EventTypes.APP_SERVICE_PLAN_WRITTEN, new Meaning("Microsoft.Web/serverFarms", false)),
            Map.entry(EventTypes.APP_SERVICE_PLAN_DELETED, new Meaning("Microsoft.Web/serverFarms", true)),
            Map.entry(EventTypes.WEB_APP_WRITTEN, new Meaning(SITE_TYPE, false)),
            Map.entry(EventTypes.WEB_APP_STARTED, new Meaning(SITE_TYPE, false)),
            Map.entry(EventTypes.WEB_APP_STOPPED, new Meaning(SITE_TYPE, false)),
            Map.entry(EventTypes.WEB_APP_DELETED, new Meaning(SITE_TYPE, true)),
            Map.entry(EventTypes.STORAGE_ACCOUNT_CREATED, new Meaning(STORAGE_TYPE, false)),
            Map.entry(EventTypes.STORAGE_ACCOUNT_UPDATED, new Meaning(STORAGE_TYPE, false)),
            Map.entry(EventTypes.STORAGE_ACCOUNT_DELETED, new Meaning(STORAGE_TYPE, true)));

    private final String bootstrap;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final ResourceIndex index;
    private final ProviderRegistry registry;
    private volatile InboxConsumer consumer;

    LifecycleReconciler(@Value("${cirrus.kafka.bootstrap-servers:}") String bootstrap, JdbcTemplate jdbc,
                        TransactionTemplate tx, ObjectMapper json, ResourceIndex index,
                        ProviderRegistry registry) {
        this.registry = registry;
        this.bootstrap = bootstrap;
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.index = index;
    }

    static Optional<Meaning> meaning(String eventType) {
        if (eventType == null) {
            return Optional.empty();
        }
        if (eventType.startsWith(VM_EVENT_PREFIX)) {
            return Optional.of(new Meaning(VM_TYPE, EventTypes.VM_DELETED.equals(eventType)));
        }
        if (eventType.equals(EventTypes.NETWORK_RESOURCE_CREATED) || eventType.equals(EventTypes.NETWORK_RESOURCE_UPDATED)
                || eventType.equals(EventTypes.NETWORK_RESOURCE_DELETED)) {
            return Optional.of(new Meaning(NETWORK_TYPE_FROM_DATA,
                    eventType.equals(EventTypes.NETWORK_RESOURCE_DELETED)));
        }
        return Optional.ofNullable(MEANINGS.get(eventType));
    }

    void apply(CloudEvent event) {
        Optional<Meaning> meaning = meaning(event.type());
        JsonNode data = event.data();
        if (meaning.isEmpty() || data == null || !data.path("subscriptionId").isString()
                || !data.path("resourceGroup").isString() || !data.path("name").isString()) {
            return;
        }
        String resourceType = meaning.get().resourceType();
        if (resourceType.equals(VM_TYPE) && (event.subject() == null
                || !event.subject().toLowerCase(java.util.Locale.ROOT).contains("/providers/microsoft.compute/virtualmachines/"))) {
            // a scale set's instance (…/virtualMachineScaleSets/{set}/virtualMachines/{id}) is part of its set
            return;
        }
        if (resourceType.equals(NETWORK_TYPE_FROM_DATA)) {
            resourceType = data.path("resourceType").asString("");
            // a top-level Microsoft.Network type the registry lists (compute-vm's own data, but checked all the same)
            if (!resourceType.regionMatches(true, 0, "Microsoft.Network/", 0, "Microsoft.Network/".length())
                    || resourceType.indexOf('/') != resourceType.lastIndexOf('/')
                    || registry.type(resourceType).isEmpty()) {
                return;
            }
        }
        String id = "/subscriptions/" + data.path("subscriptionId").asString() + "/resourceGroups/"
                + data.path("resourceGroup").asString() + "/providers/" + resourceType + "/"
                + data.path("name").asString();
        if (meaning.get().deleted()) {
            index.remove(id);
        } else if (index.ownerOf(id).isEmpty()) {
            String type = resourceType;
            ProviderRegistry.ResourceType registered = registry.type(type).orElseThrow(() -> new IllegalStateException(
                    "the provider registry lacks " + type));
            String kind = registered.ownedByKind() && data.path("kind").isString() ? data.path("kind").asString() : null;
            String owner = registered.ownedByKind() ? registered.ownerOfKind(kind) : registered.owner();
            index.put(id, type, owner, data.path("location").asString(null), kind, Map.of(), event.time());
        }
    }

    @Override
    public void start() {
        if (bootstrap == null || bootstrap.isBlank()) {
            return;
        }
        consumer = new InboxConsumer("gateway-resource-index", List.of(Topics.COMPUTE_VM, Topics.COMPUTE_CONTAINER, Topics.APP_SERVICE,
                Topics.SERVERLESS), bootstrap, jdbc, tx, json,
                // only the lifecycle events of resources: a function's executions leave no inbox row here
                type -> meaning(type).isPresent(), this::apply);
        consumer.start();
    }

    @Override
    public void stop() {
        InboxConsumer c = consumer;
        if (c != null) {
            c.close();
            consumer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return consumer != null;
    }
}
