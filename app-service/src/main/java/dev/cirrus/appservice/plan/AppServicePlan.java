package dev.cirrus.appservice.plan;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.cirrus.contracts.arm.ArmErrorException;
import dev.cirrus.contracts.events.AppServicePlanData;
import dev.cirrus.contracts.events.EventTypes;

/**
 * An App Service plan ({@code Microsoft.Web/serverfarms}): a set of instances of one pricing tier that apps run on.
 * Plain data; {@link #create} and {@link #update} apply what a request asks, check every limit of the tier the plan
 * ends up in ({@link PlanSku}) and return the plan with the events they publish, or refuse with an ARM error.
 *
 * <p>For example a Standard plan with 3 instances asked to move to Free is refused (Free runs 1 instance), as is a
 * Free plan with 11 apps on it, a Linux plan asked to move to Shared, or an S1 plan asked for 11 instances.
 *
 * @param key                       the ARM id in lower case
 * @param resourceId                the ARM id as first written
 * @param location                  the ARM name of a region of the placement topology
 * @param kind                      {@code app}, {@code linux}, {@code functionapp}, {@code elastic}, … (lower case)
 * @param capacity                  instances ({@code sku.capacity}); 0 on Dynamic (the platform scales it)
 * @param reserved                  a Linux plan
 * @param maximumElasticWorkerCount the most instances an ElasticPremium plan bursts to; 1 on other tiers
 * @param hostingEnvironmentId      the App Service Environment of an IsolatedV2 plan, else null
 */
public record AppServicePlan(String key, String resourceId, String subscriptionId, String resourceGroup, String name,
                             String location, String kind, PlanSku sku, int capacity, boolean reserved,
                             boolean perSiteScaling, int maximumElasticWorkerCount, String hostingEnvironmentId,
                             Map<String, String> tags, Instant createdAt, Instant lastModified, String etag) {

    /** An event of a change: type, subject (the plan's id) and data. */
    public record Event(String type, String subject, Instant time, AppServicePlanData data) {
    }

    /** A change: the plan after it and what it publishes (nothing when nothing changed). */
    public record Transition(AppServicePlan plan, List<Event> events) {
    }

    /**
     * What a PUT or PATCH sets; null is "not given": a default on creation, unchanged on an update.
     *
     * @param capacity a request's {@code sku.capacity}
     */
    public record Settings(String kind, PlanSku sku, Integer capacity, Boolean reserved, Boolean perSiteScaling,
                           Integer maximumElasticWorkerCount, String hostingEnvironmentId, Map<String, String> tags) {
    }

    /** A new plan from a request whose SKU is given; {@code sitesOnPlan}: apps already announced on its id. */
    public static Transition create(String resourceId, String subscriptionId, String resourceGroup, String name,
                                    String location, Settings s, int sitesOnPlan, Instant now, String etag) {
        PlanSku sku = Objects.requireNonNull(s.sku(), "sku");
        boolean reserved = s.reserved() != null && s.reserved();
        int capacity = capacity(sku, s.capacity(), 1);
        AppServicePlan plan = new AppServicePlan(resourceId.toLowerCase(Locale.ROOT), resourceId, subscriptionId,
                resourceGroup, name, location, kind(s.kind(), sku, reserved), sku, capacity, reserved,
                s.perSiteScaling() != null && s.perSiteScaling(),
                elasticWorkers(sku, s.maximumElasticWorkerCount(), capacity, capacity), s.hostingEnvironmentId(),
                s.tags() == null ? Map.of() : s.tags(), now, now, etag);
        plan.checkLimits(sitesOnPlan);
        return new Transition(plan, List.of(plan.event(EventTypes.APP_SERVICE_PLAN_WRITTEN, now)));
    }

    /**
     * The settings given applied (null ones kept) and every limit of the resulting tier checked again; a
     * {@code ServerFarmWritten} event only when something changed.
     *
     * @param location    the location a PUT names (ARM name), or null for a PATCH that names none
     * @param sitesOnPlan the apps on the plan now
     */
    public Transition update(String location, Settings s, int sitesOnPlan, Instant now, String newEtag) {
        if (location != null && !location.equals(this.location)) {
            throw new ArmErrorException(409, "InvalidResourceLocation", "The resource '" + name + "' already exists "
                    + "in location '" + this.location + "' in resource group '" + resourceGroup + "'. A resource with "
                    + "the same name cannot be created in location '" + location + "'. Please select a new resource "
                    + "name.", "location");
        }
        if (s.reserved() != null && s.reserved() != reserved) {
            throw new ArmErrorException(409, "PropertyChangeNotAllowed", "The operating system of the App Service "
                    + "plan '" + name + "' cannot be changed: it is " + (reserved ? "Linux (reserved: true)"
                    : "Windows (reserved: false)") + ". Create a new plan instead.", "properties.reserved");
        }
        PlanSku newSku = s.sku() == null ? sku : s.sku();
        if (newSku.tier() != sku.tier() && (newSku.tier().functionsOnly() || sku.tier().functionsOnly())) {
            throw ArmErrorException.badRequest("BadRequest", "The App Service plan '" + name + "' cannot change "
                    + "from the " + sku.tier().armName() + " tier to the " + newSku.tier().armName() + " tier: "
                    + "Functions Consumption (Dynamic) and Premium (ElasticPremium) plans change only within their "
                    + "own tier.", "sku.name");
        }
        int newCapacity = capacity(newSku, s.capacity(), capacity);
        AppServicePlan updated = new AppServicePlan(key, resourceId, subscriptionId, resourceGroup, name,
                this.location, s.kind() == null ? kind : s.kind().toLowerCase(Locale.ROOT), newSku, newCapacity,
                reserved, s.perSiteScaling() == null ? perSiteScaling : s.perSiteScaling(),
                elasticWorkers(newSku, s.maximumElasticWorkerCount(), newCapacity,
                        sku.tier().elastic() ? Math.max(maximumElasticWorkerCount, newCapacity) : newCapacity),
                s.hostingEnvironmentId() == null ? (newSku.tier().isolated() ? hostingEnvironmentId : null)
                        : s.hostingEnvironmentId(),
                s.tags() == null ? tags : s.tags(), createdAt, lastModified, etag);
        updated.checkLimits(sitesOnPlan);
        if (updated.sameSettingsAs(this)) {
            return new Transition(this, List.of());
        }
        AppServicePlan changed = updated.touched(now, newEtag);
        return new Transition(changed, List.of(changed.event(EventTypes.APP_SERVICE_PLAN_WRITTEN, now)));
    }

    /** Deletion: refused while apps run on the plan (Azure's 409); the plan's meter stops. */
    public Transition delete(List<String> siteNames, Instant now) {
        if (!siteNames.isEmpty()) {
            throw new ArmErrorException(409, "Conflict", "Server farm '" + name + "' cannot be deleted because it has "
                    + "web app(s) " + String.join(",", siteNames) + " assigned to it.", null);
        }
        return new Transition(this, List.of(event(EventTypes.APP_SERVICE_PLAN_DELETED, now)));
    }

    /** Every limit of the plan's tier, checked against the plan as it would be. */
    void checkLimits(int sitesOnPlan) {
        PlanSku.Tier tier = sku.tier();
        if (reserved && !tier.linux()) {
            throw ArmErrorException.badRequest("BadRequest", "Linux (reserved: true) is not available on the "
                    + tier.armName() + " tier (" + sku + ").", "properties.reserved");
        }
        if (capacity < tier.minInstances() || capacity > tier.maxInstances()) {
            throw ArmErrorException.badRequest("BadRequest", "The requested number of instances (" + capacity + ") is "
                    + "not allowed for the " + tier.armName() + " tier (" + sku + "): it runs "
                    + (tier.minInstances() == tier.maxInstances() ? "exactly " + tier.maxInstances()
                    : tier.minInstances() + " to " + tier.maxInstances()) + " instance"
                    + (tier.maxInstances() == 1 ? "" : "s") + ".", "sku.capacity");
        }
        if (tier.elastic() && (maximumElasticWorkerCount < capacity
                || maximumElasticWorkerCount > PlanSku.MAX_ELASTIC_WORKERS)) {
            throw ArmErrorException.badRequest("BadRequest", "maximumElasticWorkerCount (" + maximumElasticWorkerCount
                    + ") must be from the plan's instance count (" + capacity + ") to " + PlanSku.MAX_ELASTIC_WORKERS
                    + ".", "properties.maximumElasticWorkerCount");
        }
        if (tier.isolated() && hostingEnvironmentId == null) {
            throw ArmErrorException.badRequest("BadRequest", "An " + tier.armName() + " plan (" + sku + ") runs in an "
                    + "App Service Environment: properties.hostingEnvironmentProfile.id is required.",
                    "properties.hostingEnvironmentProfile.id");
        }
        if (!tier.isolated() && hostingEnvironmentId != null) {
            throw ArmErrorException.badRequest("BadRequest", "Only IsolatedV2 plans run in an App Service Environment; "
                    + "a " + tier.armName() + " plan (" + sku + ") takes no hostingEnvironmentProfile.",
                    "properties.hostingEnvironmentProfile");
        }
        if (sitesOnPlan > tier.maxSites()) {
            throw new ArmErrorException(409, "Conflict", "The App Service plan '" + name + "' has " + sitesOnPlan
                    + " apps; the " + tier.armName() + " tier (" + sku + ") allows at most " + tier.maxSites()
                    + " apps per plan.", "sku.name");
        }
    }

    /** {@code properties.maximumNumberOfWorkers}. */
    public int maximumNumberOfWorkers() {
        return sku.maximumNumberOfWorkers(reserved);
    }

    /** {@code properties.elasticScaleEnabled}: ElasticPremium plans burst above their always-ready instances. */
    public boolean elasticScaleEnabled() {
        return sku.tier().elastic();
    }

    private static int capacity(PlanSku sku, Integer given, int current) {
        if (sku.tier() == PlanSku.Tier.DYNAMIC) {
            return 0; // the Functions scale controller decides a Consumption plan's instances
        }
        return given != null ? given : current;
    }

    private static int elasticWorkers(PlanSku sku, Integer given, int capacity, int fallback) {
        if (!sku.tier().elastic()) {
            return 1;
        }
        return given != null ? given : Math.max(fallback, capacity);
    }

    private static String kind(String given, PlanSku sku, boolean reserved) {
        if (given != null) {
            return given.toLowerCase(Locale.ROOT);
        }
        return switch (sku.tier()) {
            case DYNAMIC -> "functionapp";
            case ELASTIC_PREMIUM -> "elastic";
            default -> reserved ? "linux" : "app";
        };
    }

    private AppServicePlan touched(Instant now, String newEtag) {
        return new AppServicePlan(key, resourceId, subscriptionId, resourceGroup, name, location, kind, sku, capacity,
                reserved, perSiteScaling, maximumElasticWorkerCount, hostingEnvironmentId, tags, createdAt, now,
                newEtag);
    }

    private boolean sameSettingsAs(AppServicePlan o) {
        return kind.equals(o.kind) && sku == o.sku && capacity == o.capacity && reserved == o.reserved
                && perSiteScaling == o.perSiteScaling && maximumElasticWorkerCount == o.maximumElasticWorkerCount
                && Objects.equals(hostingEnvironmentId, o.hostingEnvironmentId) && tags.equals(o.tags);
    }

    private Event event(String type, Instant now) {
        boolean deleted = EventTypes.APP_SERVICE_PLAN_DELETED.equals(type);
        return new Event(type, resourceId, now, new AppServicePlanData(subscriptionId, resourceGroup, name, location,
                sku.name(), deleted ? 0 : capacity));
    }
}
