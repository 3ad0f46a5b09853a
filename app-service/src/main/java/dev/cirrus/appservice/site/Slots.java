package dev.cirrus.appservice.site;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.contracts.arm.Preconditions;
import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.contracts.events.WebAppSwapData;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.plumbing.events.Outbox;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Swapping the slots of a web app ({@code production} is the app itself): {@code slotsswap}, and the swap with
 * preview, {@code applySlotConfig} then {@code slotsswap} or {@code resetSlotConfig}.
 *
 * <p>A swap of a source and a target exchanges their content (the deployment each serves), their site configuration
 * (but {@code alwaysOn}, which stays with its slot) and their app settings and connection strings but the sticky
 * ones, whose names the app's {@code config/slotConfigNames} lists: those stay where they are. For example, with
 * {@code DB} sticky, production {@code {DB: prod, COLOR: blue}} and staging {@code {DB: test, COLOR: green}} become
 * production {@code {DB: prod, COLOR: green}} and staging {@code {DB: test, COLOR: blue}}.
 *
 * <p>The processes each side will run are started (with the settings they will have) and listen before anything is
 * stored or routed ({@link SiteRuntime#swap}); then both sites are saved in one transaction with the
 * {@code WebAppSlotsSwapped} event, the front end routes to the new processes, and the old ones stop after the
 * requests they serve ended. So a request to either host name never finds no process.
 *
 * <p>{@code applySlotConfig} ({@code targetSlot}) gives the source the target's sticky settings now (its processes
 * restart with them: the source can be tried as it will run in the target), keeping what it had; {@code slotsswap}
 * then completes the swap (as if from the kept settings), {@code resetSlotConfig} gives the kept settings back.
 */
@Service
public class Slots {

    public static final String PRODUCTION = "production";
    private static final TypeReference<LinkedHashMap<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final TypeReference<LinkedHashMap<String, Site.ConnectionString>> CONNECTION_STRINGS =
            new TypeReference<>() { };

    private final SiteRepository repository;
    private final Sites sites;
    private final SiteRuntime runtime;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final TransactionTemplate tx;

    Slots(SiteRepository repository, Sites sites, SiteRuntime runtime, Outbox outbox, ObjectMapper json,
          PlatformTransactionManager transactions) {
        this.repository = repository;
        this.sites = sites;
        this.runtime = runtime;
        this.outbox = outbox;
        this.json = json;
        this.tx = new TransactionTemplate(transactions);
    }

    /** {@code POST …/sites/{app}[/slots/{slot}]/slotsswap {targetSlot}}: the swap, done when this returns. */
    public void swap(String sub, String rg, String app, String sourceSlot, JsonNode body) {
        Site source = member(sub, rg, app, sourceSlot);
        Site target = member(sub, rg, app, targetSlot(body, source));
        Site production = source.isSlot() ? (target.isSlot() ? member(sub, rg, app, null) : target) : source;
        Site.SlotConfigNames sticky = production.slotConfigNames();
        Own s = own(source, target);
        Own t = own(target, source);
        java.time.Instant now = sites.now();
        Site nextSource = source.exchanged(target.activeDeployment(), config(target.siteConfig(), source.siteConfig()),
                merge(t.settings, s.settings, sticky.appSettingNames()),
                merge(t.strings, s.strings, sticky.connectionStringNames()), now, Preconditions.newEtag());
        Site nextTarget = target.exchanged(source.activeDeployment(), config(source.siteConfig(), target.siteConfig()),
                merge(s.settings, t.settings, sticky.appSettingNames()),
                merge(s.strings, t.strings, sticky.connectionStringNames()), now, Preconditions.newEtag());
        runtime.swap(nextSource, nextTarget, () -> tx.executeWithoutResult(status -> {
            // both rows locked in key order; a change since they were read makes the swap start over (409)
            List<Site> locked = java.util.stream.Stream.of(source, target)
                    .sorted(java.util.Comparator.comparing(Site::key))
                    .map(x -> repository.findForUpdate(x.resourceId()).orElse(null)).toList();
            for (Site x : locked) {
                Site was = x == null ? null : x.key().equals(source.key()) ? source : target;
                if (x == null || !x.etag().equals(was.etag())) {
                    throw ArmException.conflict("Conflict", "The slots of '" + app + "' changed during the swap: "
                            + "nothing was swapped; try again.");
                }
            }
            repository.update(nextSource);
            repository.update(nextTarget);
            repository.putSwapPreview(source.key(), null);
            repository.putSwapPreview(target.key(), null);
            outbox.append(Topics.APP_SERVICE, CloudEvent.of("app-service", EventTypes.WEB_APP_SLOTS_SWAPPED,
                    production.resourceId(), now, json.valueToTree(new WebAppSwapData(source.subscriptionId(),
                            source.resourceGroup(), production.name(), source.slotName(), target.slotName(),
                            nextSource.activeDeployment(), nextTarget.activeDeployment()))));
        }));
    }

    /**
     * {@code POST …/sites/{app}[/slots/{slot}]/applySlotConfig {targetSlot}}: the source gets the target's sticky
     * settings (its own non-sticky ones stay), and keeps what it had for {@link #reset} or the swap.
     */
    public Site applySlotConfig(String sub, String rg, String app, String sourceSlot, JsonNode body) {
        Site source = member(sub, rg, app, sourceSlot);
        Site target = member(sub, rg, app, targetSlot(body, source));
        Site.SlotConfigNames sticky = (source.isSlot() ? target.isSlot() ? member(sub, rg, app, null) : target
                : source).slotConfigNames();
        Own s = own(source, target);
        return tx.execute(status -> {
            Site old = repository.findForUpdate(source.resourceId()).orElseThrow(
                    () -> Sites.notFound(rg, Sites.named(app, sourceSlot)));
            JsonNode preview = repository.swapPreview(old.key());
            if (preview == null) {
                ObjectNode kept = json.createObjectNode();
                kept.put("targetSlot", target.slotName());
                kept.set("appSettings", json.valueToTree(old.appSettings()));
                kept.set("connectionStrings", json.valueToTree(old.connectionStrings()));
                repository.putSwapPreview(old.key(), kept);
            }
            Site.Desired d = old.desired();
            return save(old, old.update(null, new Site.Desired(d.kind(), d.serverFarmId(), d.httpsOnly(),
                    d.clientAffinityEnabled(), d.siteConfig(),
                    merge(s.settings, target.appSettings(), sticky.appSettingNames()),
                    merge(s.strings, target.connectionStrings(), sticky.connectionStringNames()),
                    d.slotConfigNames(), d.scmBasicAuth(), d.ftpBasicAuth(), d.tags()), sites.now(),
                    Preconditions.newEtag()));
        });
    }

    /** {@code POST …/sites/{app}[/slots/{slot}]/resetSlotConfig}: the settings kept by applySlotConfig back. */
    public Site reset(String sub, String rg, String app, String slot) {
        Site site = member(sub, rg, app, slot);
        return tx.execute(status -> {
            Site old = repository.findForUpdate(site.resourceId()).orElseThrow(
                    () -> Sites.notFound(rg, Sites.named(app, slot)));
            JsonNode preview = repository.swapPreview(old.key());
            if (preview == null) {
                return old;
            }
            repository.putSwapPreview(old.key(), null);
            Site.Desired d = old.desired();
            return save(old, old.update(null, new Site.Desired(d.kind(), d.serverFarmId(), d.httpsOnly(),
                    d.clientAffinityEnabled(), d.siteConfig(), json.convertValue(preview.get("appSettings"),
                    STRING_MAP), json.convertValue(preview.get("connectionStrings"), CONNECTION_STRINGS),
                    d.slotConfigNames(), d.scmBasicAuth(), d.ftpBasicAuth(), d.tags()), sites.now(),
                    Preconditions.newEtag()));
        });
    }

    private Site save(Site old, Site.Transition t) {
        if (t.events().isEmpty()) {
            return old;
        }
        Site next = t.site();
        repository.update(next);
        sites.publish(t.events());
        Sites.afterCommit(() -> runtime.changed(next));
        return next;
    }

    /** A site's own settings: those it had before an applySlotConfig towards {@code other}, else its current ones. */
    private record Own(Map<String, String> settings, Map<String, Site.ConnectionString> strings) {
    }

    private Own own(Site site, Site other) {
        JsonNode preview = repository.swapPreview(site.key());
        if (preview != null && other.slotName().equalsIgnoreCase(preview.path("targetSlot").asString(""))) {
            return new Own(json.convertValue(preview.get("appSettings"), STRING_MAP),
                    json.convertValue(preview.get("connectionStrings"), CONNECTION_STRINGS));
        }
        return new Own(site.appSettings(), site.connectionStrings());
    }

    /** What comes from {@code moving} but the sticky names, and the sticky names from {@code staying}. */
    static <V> Map<String, V> merge(Map<String, V> moving, Map<String, V> staying, List<String> sticky) {
        Map<String, V> result = new LinkedHashMap<>();
        moving.forEach((k, v) -> {
            if (!sticky.contains(k)) {
                result.put(k, v);
            }
        });
        staying.forEach((k, v) -> {
            if (sticky.contains(k)) {
                result.put(k, v);
            }
        });
        return result;
    }

    /** The configuration that moves, with the {@code alwaysOn} of the site it moves to (which stays with a slot). */
    private static ObjectNode config(ObjectNode moving, ObjectNode staying) {
        ObjectNode config = moving.deepCopy();
        if (staying.has("alwaysOn")) {
            config.set("alwaysOn", staying.get("alwaysOn"));
        } else {
            config.remove("alwaysOn");
        }
        return config;
    }

    /** The body's {@code targetSlot} (required), not the source itself. */
    private static String targetSlot(JsonNode body, Site source) {
        ArmJson.requireObject(body);
        String target = ArmJson.string(body, "targetSlot", "targetSlot");
        ArmJson.bool(body, "preserveVnet", "preserveVnet");
        if (target == null || target.isBlank()) {
            throw ArmJson.missing("targetSlot", "targetSlot");
        }
        if (target.equalsIgnoreCase(source.slotName())) {
            throw ArmException.badRequest("BadRequest", "The slot '" + Sites.printable(target) + "' cannot be "
                    + "swapped with itself.", "targetSlot");
        }
        return target.equalsIgnoreCase(PRODUCTION) ? null : target;
    }

    /** The app ({@code slot} null or {@code production}) or one of its slots; 404 when there is none. */
    private Site member(String sub, String rg, String app, String slot) {
        String s = slot == null || slot.equalsIgnoreCase(PRODUCTION) ? null : slot;
        return repository.find(Sites.resourceId(sub, rg, Sites.named(app, s))).orElseThrow(
                () -> Sites.notFound(rg, Sites.named(app, s)));
    }
}
