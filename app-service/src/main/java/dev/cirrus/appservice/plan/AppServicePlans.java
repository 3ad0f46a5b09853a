package dev.cirrus.appservice.plan;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.cirrus.plumbing.arm.Regions;
import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.ArmLocations;
import dev.cirrus.contracts.arm.ArmTags;
import dev.cirrus.contracts.arm.Preconditions;
import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.plumbing.events.Outbox;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The use cases of App Service plans: read a request, load, apply an {@link AppServicePlan} transition (which checks
 * the tier's limits), check the plan quotas of the tier's scope, and save the plan with its events (through the
 * outbox, on {@code cirrus.appservice}) in one transaction.
 */
@Service
public class AppServicePlans {

    static final String TYPE = "Microsoft.Web/serverfarms";
    /** 1-60 letters, digits and hyphens. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9-]{1,60}");
    private static final Pattern HOSTING_ENVIRONMENT = Pattern.compile(
            "(?i)/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.Web/hostingEnvironments/[^/]+");

    /** A page of a list: the plans and the key the next page starts after (null on the last page). */
    public record Page(List<AppServicePlan> plans, String lastKey) {
    }

    private final AppServicePlanRepository repository;
    private final Regions regions;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final Clock clock;

    AppServicePlans(AppServicePlanRepository repository, Regions regions, Outbox outbox, ObjectMapper json,
                    Clock clock) {
        this.repository = repository;
        this.regions = regions;
        this.outbox = outbox;
        this.json = json;
        this.clock = clock;
    }

    public static String resourceId(String sub, String rg, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/" + TYPE + "/" + name;
    }

    /** PUT: creates the plan, or applies the body to the existing one. */
    @Transactional
    public AppServicePlan createOrUpdate(String sub, String rg, String name, JsonNode body, Preconditions preconditions) {
        checkName(name);
        ArmJson.requireObject(body);
        String locationText = ArmJson.string(body, "location", "location");
        if (locationText == null || locationText.isBlank()) {
            throw ArmException.badRequest("LocationRequired", "The location property is required for this definition.",
                    "location");
        }
        String location = regions.require(locationText, TYPE, "location");
        AppServicePlan.Settings settings = settings(body, true);
        String id = resourceId(sub, rg, name);
        repository.lockSubscription(sub);
        Optional<AppServicePlan> existing = repository.findForUpdate(id);
        Instant now = now();
        if (existing.isPresent()) {
            AppServicePlan old = existing.get();
            preconditions.checkPut(old.etag());
            return save(old, old.update(location, settings, repository.countSitesOn(old.key()), now,
                    Preconditions.newEtag()));
        }
        preconditions.checkPut(null);
        if (settings.sku() == null) {
            throw ArmJson.missing("sku", "sku");
        }
        AppServicePlan.Transition t = AppServicePlan.create(id, sub, rg, name, location, settings,
                repository.countSitesOn(id), now, Preconditions.newEtag());
        checkQuota(t.plan());
        repository.insert(t.plan());
        publish(t.events());
        return t.plan();
    }

    /** PATCH: the given members applied (sku, kind, tags, properties); the location may not change. */
    @Transactional
    public AppServicePlan patch(String sub, String rg, String name, JsonNode body, Preconditions preconditions) {
        ArmJson.requireObject(body);
        String locationText = ArmJson.string(body, "location", "location");
        String location = locationText == null ? null : regions.require(locationText, TYPE, "location");
        AppServicePlan.Settings settings = settings(body, false);
        repository.lockSubscription(sub);
        AppServicePlan old = repository.findForUpdate(resourceId(sub, rg, name)).orElseThrow(() -> notFound(rg, name));
        preconditions.checkExisting(old.etag());
        return save(old, old.update(location, settings, repository.countSitesOn(old.key()), now(),
                Preconditions.newEtag()));
    }

    public AppServicePlan get(String sub, String rg, String name) {
        return repository.find(resourceId(sub, rg, name)).orElseThrow(() -> notFound(rg, name));
    }

    /**
     * Puts a web app (of the {@code site} package) on the plan {@code serverFarmId} in the caller's transaction: the
     * plan must exist in the site's subscription (404 {@code NotFound} "Cannot find ServerFarm with name …", Azure's
     * answer), in the site's region, be a plan web apps run on (not Consumption), and have room under its tier's apps
     * per plan (409); the plan's row stays locked until the transaction ends, so two apps cannot both take its last
     * place. A site already on the plan just stays. Leaves the site's previous plan, if any.
     */
    @Transactional
    public AppServicePlan placeSite(String siteId, String siteSubscriptionId, String siteLocation,
                                    String serverFarmId) {
        String planName = serverFarmId.substring(serverFarmId.lastIndexOf('/') + 1);
        String[] parts = serverFarmId.split("/");
        AppServicePlan plan = (parts.length > 2 && parts[2].equalsIgnoreCase(siteSubscriptionId)
                ? repository.findForUpdate(serverFarmId) : Optional.<AppServicePlan>empty())
                .orElseThrow(() -> ArmException.notFound("NotFound", "Cannot find ServerFarm with name " + planName
                        + "."));
        if (plan.sku().tier() == PlanSku.Tier.DYNAMIC) {
            throw ArmException.badRequest("BadRequest", "The App Service plan '" + plan.name() + "' is a Functions "
                    + "Consumption (Dynamic) plan: only function apps run on it.", "properties.serverFarmId");
        }
        if (!plan.location().equals(siteLocation)) {
            throw ArmException.badRequest("BadRequest", "The web app must be in the region of its App Service plan '"
                    + plan.name() + "' (" + plan.location() + "), not in " + siteLocation + ".", "location");
        }
        boolean alreadyOn = repository.sitesOn(plan.key()).stream().anyMatch(id -> id.equalsIgnoreCase(siteId));
        int sites = repository.countSitesOn(plan.key());
        if (!alreadyOn && sites >= plan.sku().tier().maxSites()) {
            throw ArmException.conflict("Conflict", "The App Service plan '" + plan.name() + "' (" + plan.sku()
                    + ", " + plan.sku().tier().armName() + " tier) already has " + sites + " apps, the most its tier "
                    + "allows per plan.");
        }
        repository.putSite(siteId, plan.resourceId());
        return plan;
    }

    /** A web app left its plan (deleted): it no longer counts on it. */
    public void removeSite(String siteId) {
        repository.removeSite(siteId);
    }

    /** The plan with this id, if it exists. */
    public Optional<AppServicePlan> find(String serverFarmId) {
        return repository.find(serverFarmId);
    }

    /** The number of apps announced on a plan ({@code numberOfSites}). */
    public int numberOfSites(AppServicePlan plan) {
        return repository.countSitesOn(plan.key());
    }

    /** DELETE: true when the plan existed (200), false when there was none (204); 409 while apps run on it. */
    @Transactional
    public boolean delete(String sub, String rg, String name, Preconditions preconditions) {
        Optional<AppServicePlan> existing = repository.findForUpdate(resourceId(sub, rg, name));
        if (existing.isEmpty()) {
            return false;
        }
        AppServicePlan plan = existing.get();
        preconditions.checkDelete(plan.etag());
        List<String> sites = repository.sitesOn(plan.key()).stream()
                .map(id -> id.substring(id.lastIndexOf('/') + 1)).toList();
        AppServicePlan.Transition t = plan.delete(sites, now());
        repository.delete(plan.key());
        publish(t.events());
        return true;
    }

    public Page list(String sub, String rg, String after, int size) {
        List<AppServicePlan> rows = repository.list(sub, rg, after, size + 1);
        boolean more = rows.size() > size;
        List<AppServicePlan> shown = more ? rows.subList(0, size) : rows;
        return new Page(shown, more ? shown.getLast().key() : null);
    }

    /** 400 {@code InvalidResourceName} unless 1-60 letters, digits and hyphens. */
    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ArmException.badRequest("InvalidResourceName", "The App Service plan name '" + printable(name)
                    + "' is not valid: it must have 1 to 60 characters, letters, digits and hyphens only.", "name");
        }
    }

    /**
     * The plan quota of its tier: Free plans per subscription and region, Dynamic plans per subscription, the others
     * per resource group. Checked when a plan is created or moves to another tier.
     */
    private void checkQuota(AppServicePlan plan) {
        PlanSku.Tier tier = plan.sku().tier();
        int others = switch (tier.quotaScope()) {
            case SUBSCRIPTION_AND_REGION ->
                    repository.countOfTier(plan.subscriptionId(), null, plan.location(), tier, plan.key());
            case SUBSCRIPTION -> repository.countOfTier(plan.subscriptionId(), null, null, tier, plan.key());
            case RESOURCE_GROUP -> repository.countOfTier(plan.subscriptionId(), plan.resourceGroup(), null, tier,
                    plan.key());
        };
        if (others >= tier.quota()) {
            String scope = switch (tier.quotaScope()) {
                case SUBSCRIPTION_AND_REGION -> "Subscription in the region '"
                        + ArmLocations.displayName(plan.location()) + "'";
                case SUBSCRIPTION -> "Subscription";
                case RESOURCE_GROUP -> "Resource Group";
            };
            throw ArmException.conflict("Conflict", "The maximum number of " + tier.armName() + " ServerFarms allowed "
                    + "in a " + scope + " is " + tier.quota() + ".");
        }
    }

    private AppServicePlan save(AppServicePlan old, AppServicePlan.Transition t) {
        if (t.events().isEmpty()) {
            return old;
        }
        if (t.plan().sku().tier() != old.sku().tier()) {
            checkQuota(t.plan());
        }
        repository.update(t.plan());
        publish(t.events());
        return t.plan();
    }

    private AppServicePlan.Settings settings(JsonNode body, boolean put) {
        JsonNode skuNode = ArmJson.object(body, "sku", "sku");
        PlanSku sku = null;
        Integer capacity = null;
        if (skuNode != null) {
            String skuName = ArmJson.string(skuNode, "name", "sku.name");
            String size = ArmJson.string(skuNode, "size", "sku.size");
            String tierName = ArmJson.string(skuNode, "tier", "sku.tier");
            // size and family are Azure's echo of the name: a client that changes the name may send the old ones
            // (the Azure CLI's plan update does), and the name decides, as on Azure
            ArmJson.string(skuNode, "family", "sku.family");
            String given = skuName != null ? skuName : size;
            if (given == null) {
                throw ArmJson.missing("sku.name", "sku.name");
            }
            sku = PlanSku.byName(given).orElseThrow(() -> ArmException.badRequest("InvalidSku", "The SKU '"
                    + printable(given) + "' is not a pricing tier of App Service plans: use one of " + PlanSku.names()
                    + ".", skuName != null ? "sku.name" : "sku.size"));
            PlanSku chosen = sku;
            if (tierName != null && PlanSku.Tier.byArmName(tierName).filter(t -> t == chosen.tier()).isEmpty()) {
                throw ArmException.badRequest("InvalidSku", "The SKU tier '" + printable(tierName) + "' does not match "
                        + "the SKU '" + chosen + "', whose tier is '" + chosen.tier().armName() + "'.", "sku.tier");
            }
            capacity = ArmJson.integer(skuNode, "capacity", "sku.capacity", 0, Integer.MAX_VALUE);
        } else if (put && body.has("sku")) {
            throw ArmJson.missing("sku", "sku"); // "sku": null
        }
        String kind = ArmJson.plainString(body, "kind", "kind", 64);
        JsonNode properties = ArmJson.object(body, "properties", "properties");
        Boolean reserved = ArmJson.bool(properties, "reserved", "properties.reserved");
        Boolean perSiteScaling = ArmJson.bool(properties, "perSiteScaling", "properties.perSiteScaling");
        Integer elastic = ArmJson.integer(properties, "maximumElasticWorkerCount",
                "properties.maximumElasticWorkerCount", 0, Integer.MAX_VALUE);
        ArmJson.bool(properties, "elasticScaleEnabled", "properties.elasticScaleEnabled");
        ArmJson.integer(properties, "targetWorkerCount", "properties.targetWorkerCount", 0, Integer.MAX_VALUE);
        ArmJson.bool(properties, "zoneRedundant", "properties.zoneRedundant");
        JsonNode environment = ArmJson.object(properties, "hostingEnvironmentProfile",
                "properties.hostingEnvironmentProfile");
        String environmentId = ArmJson.plainString(environment, "id", "properties.hostingEnvironmentProfile.id", 1024);
        if (environmentId != null && !HOSTING_ENVIRONMENT.matcher(environmentId).matches()) {
            throw ArmException.invalidParameter("properties.hostingEnvironmentProfile.id must be the resource id of a "
                    + "Microsoft.Web/hostingEnvironments (an App Service Environment).",
                    "properties.hostingEnvironmentProfile.id");
        }
        Map<String, String> tags = body.has("tags") || put ? ArmTags.read(body) : null;
        return new AppServicePlan.Settings(kind, sku, capacity, reserved, perSiteScaling, elastic, environmentId, tags);
    }

    private void publish(List<AppServicePlan.Event> events) {
        for (AppServicePlan.Event event : events) {
            outbox.append(Topics.APP_SERVICE, CloudEvent.of("app-service", event.type(), event.subject(), event.time(),
                    json.valueToTree(event.data())));
        }
    }

    /** Now, to the database's precision (microseconds), so a plan reads back as it was answered. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** A user's text as shown in a message: without control characters, at most 100 characters. */
    static String printable(String text) {
        if (text == null) {
            return "null";
        }
        String clean = text.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 100 ? clean.substring(0, 100) + "…" : clean;
    }

    static ArmException notFound(String rg, String name) {
        return ArmException.notFound("ResourceNotFound", "The Resource '" + TYPE + "/" + name
                + "' under resource group '" + rg + "' was not found.");
    }
}
