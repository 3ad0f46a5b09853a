package dev.cirrus.appservice.site;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.cirrus.appservice.plan.AppServicePlan;
import dev.cirrus.appservice.plan.AppServicePlans;
import dev.cirrus.appservice.plan.PlanSku;
import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.ArmTags;
import dev.cirrus.contracts.arm.Preconditions;
import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.plumbing.arm.Regions;
import dev.cirrus.plumbing.events.Outbox;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The use cases of web apps: read a request, load, apply a {@link Site} transition, save the site with its events
 * (outbox, {@code cirrus.appservice}) in one transaction, and tell the {@link SiteRuntime} once it committed.
 *
 * <p>A site must name an existing plan of this service in its subscription and region, with room for one more app
 * under the plan's tier ({@link AppServicePlans#placeSite}); its name is global (its host name is
 * {@code {name}.azurewebsites.…}): a name another site has, in any subscription, is 409 {@code Conflict} "Website with
 * given name … already exists.", Azure's answer.
 */
@Service
public class Sites {

    static final String TYPE = "Microsoft.Web/sites";
    static final String SLOT_TYPE = "Microsoft.Web/sites/slots";
    /** 2-60 letters, digits and hyphens, not starting or ending with a hyphen: a host label. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,58}[A-Za-z0-9]");
    /** app, api or mobileapp, then linux / container / windows / xenon qualifiers (Azure's kinds of web apps). */
    private static final Pattern KIND = Pattern.compile("(?i)(app|api|mobileapp)(,(linux|container|windows|xenon))*");
    private static final Pattern SERVER_FARM = Pattern.compile(
            "(?i)/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.Web/serverfarms/[^/]+");
    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,1024}");
    /** The stacks {@code linuxFxVersion} may name (the first part, before '|'); what runs here: {@code runtime/Stack}. */
    static final Set<String> KNOWN_STACKS = Set.of("java", "tomcat", "jbosseap", "node", "python", "php",
            "dotnetcore", "dotnet", "docker", "compose", "static");
    static final List<String> CONNECTION_STRING_TYPES = List.of("MySql", "SQLServer", "SQLAzure", "Custom",
            "NotificationHub", "ServiceBus", "EventHub", "ApiHub", "DocDb", "RedisCache", "PostgreSQL");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A saved site and whether the write created it. */
    public record Saved(Site site, boolean created) {
    }

    /** A page of a list: the sites and the key the next page starts after (null on the last page). */
    public record Page(List<Site> sites, String lastKey) {
    }

    private final SiteRepository repository;
    private final AppServicePlans plans;
    private final Regions regions;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final Clock clock;
    private final SiteRuntime runtime;

    Sites(SiteRepository repository, AppServicePlans plans, Regions regions, Outbox outbox, ObjectMapper json,
          Clock clock, SiteRuntime runtime) {
        this.repository = repository;
        this.plans = plans;
        this.regions = regions;
        this.outbox = outbox;
        this.json = json;
        this.clock = clock;
        this.runtime = runtime;
    }

    public static String resourceId(String sub, String rg, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/" + TYPE + "/" + name;
    }

    /** PUT: creates the site, or applies the body to the existing one. */
    @Transactional
    public Saved createOrUpdate(String sub, String rg, String name, JsonNode body, Preconditions preconditions) {
        checkName(name);
        ArmJson.requireObject(body);
        String locationText = ArmJson.string(body, "location", "location");
        if (locationText == null || locationText.isBlank()) {
            throw ArmException.badRequest("LocationRequired", "The location property is required for this definition.",
                    "location");
        }
        String location = regions.require(locationText, TYPE, "location");
        String id = resourceId(sub, rg, name);
        Optional<Site> existing = repository.findForUpdate(id);
        preconditions.checkPut(existing.map(Site::etag).orElse(null));
        Site.Desired desired = desired(body, existing.orElse(null), true);
        Instant now = now();
        if (existing.isPresent()) {
            Site old = existing.get();
            Site.Transition t = old.update(location, desired, now, Preconditions.newEtag());
            return new Saved(save(old, t), false);
        }
        if (repository.nameTaken(name, id.toLowerCase(Locale.ROOT))) {
            throw taken(name);
        }
        checkTierAllows(desired.siteConfig(), plans.placeSite(id, sub, location, desired.serverFarmId()));
        Site.Transition t = Site.create(id, sub, rg, name, location, desired, newPassword(), now,
                Preconditions.newEtag());
        try {
            repository.insert(t.site());
        } catch (DuplicateKeyException e) {
            throw taken(name); // another subscription took the name since the check
        }
        publish(t.events());
        afterCommit(() -> runtime.changed(t.site()));
        return new Saved(t.site(), true);
    }

    /**
     * PUT of a deployment slot {@code …/sites/{app}/slots/{slot}}: created on the app's plan (its
     * {@code serverFarmId} may be left out; another plan is 400), in the app's region, with its own settings and the
     * host name {@code {app}-{slot}.azurewebsites.…} (global like an app's name: 409 when taken); the plan's tier
     * limits the slots of an app ({@link PlanSku.Tier#maxSlots()}: 409 {@code Conflict}, Azure's answer).
     */
    @Transactional
    public Saved createOrUpdateSlot(String sub, String rg, String app, String slot, JsonNode body,
                                    Preconditions preconditions) {
        ArmJson.requireObject(body);
        Site parent = repository.findForUpdate(resourceId(sub, rg, app)).orElseThrow(() -> notFound(rg, app));
        checkSlotName(parent, slot);
        String locationText = ArmJson.string(body, "location", "location");
        String location = locationText == null || locationText.isBlank() ? parent.location()
                : regions.require(locationText, TYPE, "location");
        if (!location.equals(parent.location())) {
            throw ArmException.badRequest("BadRequest", "The slot '" + slot + "' must be in its app's location '"
                    + parent.location() + "'.", "location");
        }
        ObjectNode given = ((ObjectNode) body).deepCopy();
        JsonNode props = ArmJson.object(given, "properties", "properties");
        ObjectNode properties = props == null ? given.putObject("properties") : (ObjectNode) props;
        String farm = ArmJson.plainString(properties, "serverFarmId", "properties.serverFarmId", 1024);
        if (farm != null && !farm.equalsIgnoreCase(parent.serverFarmId())) {
            throw ArmException.badRequest("BadRequest", "A slot runs on its app's App Service plan ("
                    + parent.serverFarmId() + ").", "properties.serverFarmId");
        }
        properties.put("serverFarmId", parent.serverFarmId());
        if (!given.has("kind")) {
            given.put("kind", parent.kind());
        }
        String id = resourceId(sub, rg, app + "/slots/" + slot);
        Optional<Site> existing = repository.findForUpdate(id);
        preconditions.checkPut(existing.map(Site::etag).orElse(null));
        Site.Desired desired = desired(given, existing.orElse(null), true);
        Instant now = now();
        if (existing.isPresent()) {
            Site old = existing.get();
            return new Saved(save(old, old.update(location, desired, now, Preconditions.newEtag())), false);
        }
        AppServicePlan plan = plans.find(parent.serverFarmId()).orElseThrow(() -> ArmException.notFound("NotFound",
                "Cannot find ServerFarm with name " + parent.serverFarmId().substring(
                        parent.serverFarmId().lastIndexOf('/') + 1) + "."));
        int slots = repository.slots(parent.key()).size();
        if (slots >= plan.sku().tier().maxSlots()) {
            throw ArmException.conflict("Conflict", "Cannot complete the operation because the site will exceed the "
                    + "number of slots allowed for the '" + plan.sku().tier().armName() + "' SKU.");
        }
        String hostLabel = parent.name() + "-" + slot;
        if (repository.nameTaken(hostLabel, id.toLowerCase(Locale.ROOT))) {
            throw taken(hostLabel);
        }
        checkTierAllows(desired.siteConfig(), plan);
        Site.Transition t = Site.create(id, sub, rg, hostLabel, location, desired, newPassword(), now,
                Preconditions.newEtag());
        try {
            repository.insert(t.site());
        } catch (DuplicateKeyException e) {
            throw taken(hostLabel);
        }
        publish(t.events());
        afterCommit(() -> runtime.changed(t.site()));
        return new Saved(t.site(), true);
    }

    /** The slots of an app, in name order (404 when the app does not exist). */
    public List<Site> slots(String sub, String rg, String app) {
        return repository.slots(get(sub, rg, app).key());
    }

    /** The name of a site's resource under {@code …/sites/}: {@code app}, or {@code app/slots/slot} for a slot. */
    public static String named(String app, String slotOrNull) {
        return slotOrNull == null ? app : app + "/slots/" + slotOrNull;
    }

    /**
     * A slot's name: letters, digits and hyphens, not at either end, not {@code production} (the app itself), and
     * short enough for the host label {@code {app}-{slot}} (at most 60 characters): 400 {@code InvalidResourceName}.
     */
    static void checkSlotName(Site parent, String slot) {
        if (slot == null || !NAME.matcher(slot).matches() && !slot.matches("[A-Za-z0-9]")
                || slot.equalsIgnoreCase("production") || parent.name().length() + 1 + slot.length() > 60) {
            throw ArmException.badRequest("InvalidResourceName", "The slot name '" + printable(slot) + "' is not "
                    + "valid: it must have letters, digits and hyphens only, start and end with a letter or a digit, "
                    + "not be 'production', and '" + parent.name() + "-{slot}' must have at most 60 characters.",
                    "name");
        }
    }

    /** PATCH: the given members applied (kind, tags, properties); the location may not change. */
    @Transactional
    public Site patch(String sub, String rg, String name, JsonNode body, Preconditions preconditions) {
        ArmJson.requireObject(body);
        String locationText = ArmJson.string(body, "location", "location");
        String location = locationText == null ? null : regions.require(locationText, TYPE, "location");
        return change(sub, rg, name, preconditions, old -> old.update(location, desired(body, old, false), now(),
                Preconditions.newEtag()));
    }

    public Site get(String sub, String rg, String name) {
        return repository.find(resourceId(sub, rg, name)).orElseThrow(() -> notFound(rg, name));
    }

    public Page list(String sub, String rg, String after, int size) {
        List<Site> rows = repository.list(sub, rg, after, size + 1);
        boolean more = rows.size() > size;
        List<Site> shown = more ? rows.subList(0, size) : rows;
        return new Page(shown, more ? shown.getLast().key() : null);
    }

    /** DELETE: true when the site existed (200), false when there was none (204). */
    @Transactional
    public boolean delete(String sub, String rg, String name, Preconditions preconditions) {
        Optional<Site> existing = repository.findForUpdate(resourceId(sub, rg, name));
        if (existing.isEmpty()) {
            return false;
        }
        Site site = existing.get();
        preconditions.checkDelete(site.etag());
        List<Site> slots = site.isSlot() ? List.of() : repository.slots(site.key());
        for (Site slot : slots) {
            repository.delete(slot.key());
            publish(slot.delete(now()));
        }
        repository.delete(site.key());
        plans.removeSite(site.resourceId());
        publish(site.delete(now()));
        afterCommit(() -> {
            slots.forEach(runtime::removed);
            runtime.removed(site);
        });
        return true;
    }

    /** {@code start}, {@code stop} or {@code restart}. */
    @Transactional
    public Site action(String sub, String rg, String name, String action) {
        String a = action.toLowerCase(Locale.ROOT);
        if (a.equals("restart")) {
            Site site = get(sub, rg, name);
            afterCommit(() -> runtime.restart(site));
            return site;
        }
        return change(sub, rg, name, Preconditions.NONE, old -> a.equals("stop")
                ? old.stop(now(), Preconditions.newEtag()) : old.start(now(), Preconditions.newEtag()));
    }

    /** {@code PUT …/config/web} (replace: what is not given returns to its default) or PATCH (merge). */
    @Transactional
    public Site writeSiteConfig(String sub, String rg, String name, JsonNode body, boolean replace) {
        ArmJson.requireObject(body);
        JsonNode given = ArmJson.object(body, "properties", "properties");
        return change(sub, rg, name, Preconditions.NONE, old -> {
            ObjectNode base = replace ? SiteConfigs.defaults(old.linux()) : old.siteConfig();
            ObjectNode config = SiteConfigs.merge(base, given, "properties", old.linux());
            checkStack(config, "properties.linuxFxVersion");
            Site.Desired d = old.desired();
            Map<String, String> settings = given != null && given.hasNonNull("appSettings")
                    ? settingsFromList(given.get("appSettings"), "properties.appSettings") : d.appSettings();
            Map<String, Site.ConnectionString> strings = given != null && given.hasNonNull("connectionStrings")
                    ? connectionStringsFromList(given.get("connectionStrings"), "properties.connectionStrings")
                    : d.connectionStrings();
            return old.update(null, new Site.Desired(d.kind(), d.serverFarmId(), d.httpsOnly(),
                    d.clientAffinityEnabled(), config, settings, strings, d.slotConfigNames(), d.scmBasicAuth(),
                    d.ftpBasicAuth(), d.tags()), now(), Preconditions.newEtag());
        });
    }

    /** {@code PUT …/config/appsettings}: the settings replaced by a StringDictionary's {@code properties}. */
    @Transactional
    public Site replaceAppSettings(String sub, String rg, String name, JsonNode body) {
        Map<String, String> settings = dictionary(body);
        return change(sub, rg, name, Preconditions.NONE, old -> {
            Site.Desired d = old.desired();
            return old.update(null, new Site.Desired(d.kind(), d.serverFarmId(), d.httpsOnly(),
                    d.clientAffinityEnabled(), d.siteConfig(), settings, d.connectionStrings(), d.slotConfigNames(),
                    d.scmBasicAuth(), d.ftpBasicAuth(), d.tags()), now(), Preconditions.newEtag());
        });
    }

    /** {@code PUT …/config/connectionstrings}: {@code properties: {name: {value, type}}}. */
    @Transactional
    public Site replaceConnectionStrings(String sub, String rg, String name, JsonNode body) {
        ArmJson.requireObject(body);
        JsonNode properties = ArmJson.object(body, "properties", "properties");
        if (properties == null) {
            throw ArmJson.missing("properties", "properties");
        }
        Map<String, Site.ConnectionString> strings = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : properties.properties()) {
            String at = "properties." + printable(e.getKey());
            checkSettingName(e.getKey(), at);
            if (!e.getValue().isObject()) {
                throw ArmJson.wrongType(at, "an object {value, type}");
            }
            String value = ArmJson.string(e.getValue(), "value", at + ".value");
            String type = ArmJson.oneOf(e.getValue(), "type", at + ".type",
                    CONNECTION_STRING_TYPES.toArray(String[]::new));
            strings.put(e.getKey(), new Site.ConnectionString(value == null ? "" : value, type == null ? "Custom" : type));
        }
        return change(sub, rg, name, Preconditions.NONE, old -> {
            Site.Desired d = old.desired();
            return old.update(null, new Site.Desired(d.kind(), d.serverFarmId(), d.httpsOnly(),
                    d.clientAffinityEnabled(), d.siteConfig(), d.appSettings(), strings, d.slotConfigNames(),
                    d.scmBasicAuth(), d.ftpBasicAuth(), d.tags()), now(), Preconditions.newEtag());
        });
    }

    /** {@code config/metadata}: a StringDictionary the SDKs keep stack hints in ({@code CURRENT_STACK}). */
    public Map<String, String> metadata(String sub, String rg, String name) {
        return repository.metadata(get(sub, rg, name).key());
    }

    /** {@code PUT …/config/metadata}: replaced; it changes nothing the site runs with, so it publishes nothing. */
    @Transactional
    public Map<String, String> replaceMetadata(String sub, String rg, String name, JsonNode body) {
        Map<String, String> metadata = dictionary(body);
        Site site = repository.findForUpdate(resourceId(sub, rg, name)).orElseThrow(() -> notFound(rg, name));
        repository.putMetadata(site.key(), metadata);
        return metadata;
    }

    /**
     * {@code config/logs} (SiteLogsConfig): what was written, else Azure's defaults for a new site (every log off,
     * the file system's HTTP logs kept 35 MB). Kept as data: the processes' output goes to the log stream anyway.
     */
    public ObjectNode logsConfig(String sub, String rg, String name) {
        JsonNode stored = repository.logsConfig(get(sub, rg, name).key());
        return stored != null && stored.isObject() ? (ObjectNode) stored : defaultLogsConfig();
    }

    /** {@code PUT …/config/logs}: the members given replace the current ones; publishes nothing. */
    @Transactional
    public ObjectNode replaceLogsConfig(String sub, String rg, String name, JsonNode body) {
        ArmJson.requireObject(body);
        JsonNode given = ArmJson.object(body, "properties", "properties");
        Site site = repository.findForUpdate(resourceId(sub, rg, name)).orElseThrow(() -> notFound(rg, name));
        JsonNode stored = repository.logsConfig(site.key());
        ObjectNode logs = stored != null && stored.isObject() ? (ObjectNode) stored : defaultLogsConfig();
        if (given != null) {
            for (String member : List.of("applicationLogs", "httpLogs", "failedRequestsTracing",
                    "detailedErrorMessages")) {
                JsonNode value = ArmJson.object(given, member, "properties." + member);
                if (value != null) {
                    logs.set(member, value);
                }
            }
        }
        repository.putLogsConfig(site.key(), logs);
        return logs;
    }

    private ObjectNode defaultLogsConfig() {
        ObjectNode logs = json.createObjectNode();
        ObjectNode application = logs.putObject("applicationLogs");
        application.putObject("fileSystem").put("level", "Off");
        application.putNull("azureTableStorage");
        application.putNull("azureBlobStorage");
        ObjectNode http = logs.putObject("httpLogs");
        http.putObject("fileSystem").put("retentionInMb", 35).putNull("retentionInDays").put("enabled", false);
        http.putNull("azureBlobStorage");
        logs.putObject("failedRequestsTracing").put("enabled", false);
        logs.putObject("detailedErrorMessages").put("enabled", false);
        return logs;
    }

    /** {@code PUT …/config/slotConfigNames}: the sticky settings' names. */
    @Transactional
    public Site replaceSlotConfigNames(String sub, String rg, String name, JsonNode body) {
        ArmJson.requireObject(body);
        JsonNode properties = ArmJson.object(body, "properties", "properties");
        List<String> settings = names(properties, "appSettingNames");
        List<String> strings = names(properties, "connectionStringNames");
        names(properties, "azureStorageConfigNames");
        return change(sub, rg, name, Preconditions.NONE, old -> {
            Site.Desired d = old.desired();
            return old.update(null, new Site.Desired(d.kind(), d.serverFarmId(), d.httpsOnly(),
                    d.clientAffinityEnabled(), d.siteConfig(), d.appSettings(), d.connectionStrings(),
                    new Site.SlotConfigNames(settings, strings), d.scmBasicAuth(), d.ftpBasicAuth(), d.tags()),
                    now(), Preconditions.newEtag());
        });
    }

    /** {@code PUT …/basicPublishingCredentialsPolicies/{ftp|scm}}: {@code properties.allow}. */
    @Transactional
    public Site writeBasicAuthPolicy(String sub, String rg, String name, String policy, JsonNode body) {
        String which = policy(policy);
        ArmJson.requireObject(body);
        JsonNode properties = ArmJson.object(body, "properties", "properties");
        Boolean allow = ArmJson.bool(properties, "allow", "properties.allow");
        if (allow == null) {
            throw ArmJson.missing("properties.allow", "properties.allow");
        }
        return change(sub, rg, name, Preconditions.NONE, old -> {
            Site.Desired d = old.desired();
            return old.update(null, new Site.Desired(d.kind(), d.serverFarmId(), d.httpsOnly(),
                    d.clientAffinityEnabled(), d.siteConfig(), d.appSettings(), d.connectionStrings(),
                    d.slotConfigNames(), which.equals("scm") ? allow : d.scmBasicAuth(),
                    which.equals("ftp") ? allow : d.ftpBasicAuth(), d.tags()), now(), Preconditions.newEtag());
        });
    }

    /** {@code ftp} or {@code scm} (any casing); another name is 404, as Azure answers an unknown policy. */
    static String policy(String policy) {
        String p = policy.toLowerCase(Locale.ROOT);
        if (!p.equals("ftp") && !p.equals("scm")) {
            throw ArmException.notFound("NotFound", "There is no basic publishing credentials policy named '"
                    + printable(policy) + "': use ftp or scm.");
        }
        return p;
    }

    /** Records a deployment's end and publishes it; on success the site serves its content from now on. */
    @Transactional
    public Site deployed(Site site, SiteRepository.Deployment deployment) {
        Site current = repository.findForUpdate(site.resourceId()).orElseThrow(
                () -> ArmException.notFound("ResourceNotFound", "The web app '" + site.name() + "' was deleted."));
        repository.insertDeployment(deployment);
        Site.Transition t = current.deployed(deployment.id(), deployment.status().equals("Success"), now());
        if (t.site() != current) {
            repository.update(t.site());
        }
        publish(t.events());
        return t.site();
    }

    private Site change(String sub, String rg, String name, Preconditions preconditions,
                        Function<Site, Site.Transition> transition) {
        Site old = repository.findForUpdate(resourceId(sub, rg, name)).orElseThrow(() -> notFound(rg, name));
        preconditions.checkExisting(old.etag());
        return save(old, transition.apply(old));
    }

    private Site save(Site old, Site.Transition t) {
        if (t.events().isEmpty()) {
            return old;
        }
        Site site = t.site();
        if (site.isSlot() && !site.serverFarmId().equalsIgnoreCase(old.serverFarmId())) {
            throw ArmException.badRequest("BadRequest", "A slot runs on its app's App Service plan ("
                    + old.serverFarmId() + ").", "properties.serverFarmId");
        }
        if (!site.serverFarmId().equalsIgnoreCase(old.serverFarmId())) {
            checkTierAllows(site.siteConfig(), plans.placeSite(site.resourceId(), site.subscriptionId(),
                    site.location(), site.serverFarmId()));
        } else {
            plans.find(site.serverFarmId()).ifPresent(plan -> checkTierAllows(site.siteConfig(), plan));
        }
        repository.update(site);
        publish(t.events());
        afterCommit(() -> runtime.changed(site));
        return site;
    }

    /**
     * What a PUT ({@code put}) or PATCH asks for over {@code old} (null when creating): the members given, checked;
     * the others from {@code old} or Azure's defaults.
     */
    private Site.Desired desired(JsonNode body, Site old, boolean put) {
        String kind = ArmJson.plainString(body, "kind", "kind", 64);
        if (kind != null && !KIND.matcher(kind).matches()) {
            throw ArmException.badRequest("BadRequest", "The kind '" + printable(kind) + "' is not a kind of web app: "
                    + "use app, api or mobileapp, optionally with ',linux' (function apps are kind functionapp).",
                    "kind");
        }
        kind = kind != null ? kind.toLowerCase(Locale.ROOT) : old != null ? old.kind() : "app";
        JsonNode properties = ArmJson.object(body, "properties", "properties");
        String farm = ArmJson.plainString(properties, "serverFarmId", "properties.serverFarmId", 1024);
        if (farm != null && !SERVER_FARM.matcher(farm).matches()) {
            throw ArmException.invalidParameter("properties.serverFarmId must be the resource id of a "
                    + "Microsoft.Web/serverfarms (an App Service plan).", "properties.serverFarmId");
        }
        if (farm == null && old == null) {
            throw ArmJson.missing("properties.serverFarmId", "properties.serverFarmId");
        }
        String serverFarmId = farm != null ? farm : old.serverFarmId();
        Boolean reserved = ArmJson.bool(properties, "reserved", "properties.reserved");
        if (reserved != null && reserved && !kind.contains("linux")) {
            kind = kind + ",linux"; // Azure's clients create Linux apps with reserved: true and kind "app"
        }
        boolean linux = kind.contains("linux");
        Boolean httpsOnly = ArmJson.bool(properties, "httpsOnly", "properties.httpsOnly");
        Boolean affinity = ArmJson.bool(properties, "clientAffinityEnabled", "properties.clientAffinityEnabled");
        ArmJson.bool(properties, "enabled", "properties.enabled");
        JsonNode siteConfigNode = ArmJson.object(properties, "siteConfig", "properties.siteConfig");
        ObjectNode base = old != null ? old.siteConfig() : SiteConfigs.defaults(linux);
        ObjectNode config = SiteConfigs.merge(base, siteConfigNode, "properties.siteConfig", linux);
        checkStack(config, "properties.siteConfig.linuxFxVersion");
        Map<String, String> settings = siteConfigNode != null && siteConfigNode.hasNonNull("appSettings")
                ? settingsFromList(siteConfigNode.get("appSettings"), "properties.siteConfig.appSettings")
                : old != null ? old.appSettings() : Map.of();
        Map<String, Site.ConnectionString> strings = siteConfigNode != null
                && siteConfigNode.hasNonNull("connectionStrings")
                ? connectionStringsFromList(siteConfigNode.get("connectionStrings"),
                "properties.siteConfig.connectionStrings")
                : old != null ? old.connectionStrings() : Map.of();
        Map<String, String> tags = put || body.has("tags") ? ArmTags.read(body) : old.tags();
        return new Site.Desired(kind, serverFarmId,
                httpsOnly != null ? httpsOnly : old != null && old.httpsOnly(),
                affinity != null ? affinity : old == null || old.clientAffinityEnabled(), config, settings, strings,
                old != null ? old.slotConfigNames() : Site.SlotConfigNames.NONE,
                old == null || old.scmBasicAuth(), old == null || old.ftpBasicAuth(), tags);
    }

    /** Always On is not available on the Free and Shared tiers: 409, Azure's answer. */
    private static void checkTierAllows(JsonNode siteConfig, AppServicePlan plan) {
        JsonNode alwaysOn = siteConfig.get("alwaysOn");
        PlanSku.Tier tier = plan.sku().tier();
        if (alwaysOn != null && alwaysOn.asBoolean(false)
                && (tier == PlanSku.Tier.FREE || tier == PlanSku.Tier.SHARED)) {
            throw ArmException.conflict("Conflict", "There was a conflict. AlwaysOn cannot be set for this site as the "
                    + "plan does not allow it (" + plan.name() + " is on the " + tier.armName() + " tier).");
        }
    }

    /** A stack {@code linuxFxVersion} names must be one Azure knows (400 otherwise, nothing stored). */
    private static void checkStack(JsonNode config, String target) {
        String stack = SiteConfigs.stackOf(config);
        if (stack != null && !KNOWN_STACKS.contains(stack)) {
            throw ArmException.badRequest("BadRequest", "The parameter LinuxFxVersion has an invalid value: '"
                    + printable(SiteConfigs.text(config, "linuxFxVersion")) + "' names no stack; use e.g. "
                    + "JAVA|17-java17, NODE|20-lts, PYTHON|3.12 or STATIC.", target);
        }
    }

    /** {@code [{name, value}]}: Azure's NameValuePair list. */
    private static Map<String, String> settingsFromList(JsonNode list, String target) {
        if (!list.isArray()) {
            throw ArmJson.wrongType(target, "an array of {name, value}");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode item : list) {
            String at = target + "[" + i++ + "]";
            if (!item.isObject()) {
                throw ArmJson.wrongType(at, "an object {name, value}");
            }
            String settingName = ArmJson.string(item, "name", at + ".name");
            if (settingName == null) {
                throw ArmJson.missing(at + ".name", at + ".name");
            }
            checkSettingName(settingName, at + ".name");
            String value = ArmJson.string(item, "value", at + ".value");
            settings.put(settingName, value == null ? "" : value);
        }
        return settings;
    }

    /** {@code [{name, connectionString, type}]}: Azure's ConnStringInfo list. */
    private static Map<String, Site.ConnectionString> connectionStringsFromList(JsonNode list, String target) {
        if (!list.isArray()) {
            throw ArmJson.wrongType(target, "an array of {name, connectionString, type}");
        }
        Map<String, Site.ConnectionString> strings = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode item : list) {
            String at = target + "[" + i++ + "]";
            if (!item.isObject()) {
                throw ArmJson.wrongType(at, "an object {name, connectionString, type}");
            }
            String stringName = ArmJson.string(item, "name", at + ".name");
            if (stringName == null) {
                throw ArmJson.missing(at + ".name", at + ".name");
            }
            checkSettingName(stringName, at + ".name");
            String value = ArmJson.string(item, "connectionString", at + ".connectionString");
            String type = ArmJson.oneOf(item, "type", at + ".type", CONNECTION_STRING_TYPES.toArray(String[]::new));
            strings.put(stringName, new Site.ConnectionString(value == null ? "" : value,
                    type == null ? "Custom" : type));
        }
        return strings;
    }

    /** A StringDictionary body: {@code {properties: {name: "value"}}}. */
    private static Map<String, String> dictionary(JsonNode body) {
        ArmJson.requireObject(body);
        JsonNode properties = ArmJson.object(body, "properties", "properties");
        if (properties == null) {
            throw ArmJson.missing("properties", "properties");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : properties.properties()) {
            String at = "properties." + printable(e.getKey());
            checkSettingName(e.getKey(), at);
            if (e.getValue().isNull()) {
                settings.put(e.getKey(), "");
            } else if (!e.getValue().isString()) {
                throw ArmJson.wrongType(at, "a string");
            } else {
                settings.put(e.getKey(), e.getValue().stringValue());
            }
        }
        return settings;
    }

    private static List<String> names(JsonNode properties, String member) {
        JsonNode list = ArmJson.array(properties, member, "properties." + member);
        List<String> names = new ArrayList<>();
        if (list == null) {
            return names;
        }
        for (JsonNode item : list) {
            if (!item.isString()) {
                throw ArmJson.wrongType("properties." + member, "an array of strings");
            }
            checkSettingName(item.stringValue(), "properties." + member);
            names.add(item.stringValue());
        }
        return names;
    }

    private static void checkSettingName(String settingName, String target) {
        if (!SETTING_NAME.matcher(settingName).matches()) {
            throw ArmException.invalidParameter("The name '" + printable(settingName) + "' is not valid for a setting: "
                    + "use letters, digits, '_', '.', ':' and '-' (1 to 1024 characters).", target);
        }
    }

    /** 400 {@code InvalidResourceName} unless 2-60 letters, digits and hyphens, not at either end. */
    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ArmException.badRequest("InvalidResourceName", "The web app name '" + printable(name) + "' is not "
                    + "valid: it must have 2 to 60 characters, letters, digits and hyphens only, and start and end "
                    + "with a letter or a digit.", "name");
        }
    }

    private static ArmException taken(String name) {
        return ArmException.conflict("Conflict", "Website with given name " + name + " already exists.");
    }

    void publish(List<Site.Event> events) {
        for (Site.Event event : events) {
            outbox.append(Topics.APP_SERVICE, CloudEvent.of("app-service", event.type(), event.subject(), event.time(),
                    json.valueToTree(event.data())));
        }
    }

    static void afterCommit(Runnable action) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            action.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }

    private static String newPassword() {
        byte[] bytes = new byte[36];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Now, to the database's precision (microseconds), so a site reads back as it was answered. */
    Instant now() {
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

    /** The plan of a site, for its views ({@code reserved}, {@code sku}) and its instances. */
    public Optional<AppServicePlan> planOf(Site site) {
        return plans.find(site.serverFarmId());
    }
}
