package dev.cirrus.appservice.site;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.cirrus.contracts.arm.PageRequest;
import dev.cirrus.contracts.arm.Preconditions;
import dev.cirrus.plumbing.arm.ArmPaging;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code Microsoft.Web/sites} of kind app / api / mobileapp (the gateway routes function apps to serverless by their
 * kind) and their configuration resources, in Azure's shapes. Thin: {@link Sites} decides. A PUT answers 200 whether
 * it created the site or not, as Azure does.
 */
@RestController
class SiteController {

    static final String SITE = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{name}";
    /** A deployment slot: served by the same handlers as its app, on the slot's row ({@link Sites#named}). */
    static final String SLOT = SITE + "/slots/{slot}";

    private final Sites sites;
    private final Slots slots;
    private final SiteViews views;
    private final SiteProperties properties;

    SiteController(Sites sites, Slots slots, SiteViews views, SiteProperties properties) {
        this.sites = sites;
        this.slots = slots;
        this.views = views;
        this.properties = properties;
    }

    @PutMapping(SITE)
    ResponseEntity<Map<String, Object>> put(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                            @RequestParam("api-version") String apiVersion,
                                            @RequestBody(required = false) JsonNode body,
                                            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        Site site = sites.createOrUpdate(sub, rg, name, body, new Preconditions(ifMatch, ifNoneMatch)).site();
        return ResponseEntity.ok().eTag(site.etag()).body(views.site(site));
    }

    @PatchMapping({SITE, SLOT})
    ResponseEntity<Map<String, Object>> patch(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
            @PathVariable(required = false) String slot,
                                              @RequestParam("api-version") String apiVersion,
                                              @RequestBody(required = false) JsonNode body,
                                              @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        Site site = sites.patch(sub, rg, Sites.named(name, slot), body, new Preconditions(ifMatch, null));
        return ResponseEntity.ok().eTag(site.etag()).body(views.site(site));
    }

    @GetMapping({SITE, SLOT})
    ResponseEntity<Map<String, Object>> get(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
            @PathVariable(required = false) String slot,
                                            @RequestParam("api-version") String apiVersion) {
        Site site = sites.get(sub, rg, Sites.named(name, slot));
        return ResponseEntity.ok().eTag(site.etag()).body(views.site(site));
    }

    @DeleteMapping({SITE, SLOT})
    ResponseEntity<Void> delete(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
            @PathVariable(required = false) String slot,
                                @RequestParam("api-version") String apiVersion,
                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        boolean existed = sites.delete(sub, rg, Sites.named(name, slot), new Preconditions(ifMatch, null));
        return ResponseEntity.status(existed ? 200 : 204).build();
    }

    @PutMapping(SLOT)
    ResponseEntity<Map<String, Object>> putSlot(@PathVariable String sub, @PathVariable String rg,
                                                @PathVariable String name, @PathVariable String slot,
                                                @RequestParam("api-version") String apiVersion,
                                                @RequestBody(required = false) JsonNode body,
                                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false)
                                                String ifNoneMatch) {
        Site site = sites.createOrUpdateSlot(sub, rg, name, slot, body, new Preconditions(ifMatch, ifNoneMatch)).site();
        return ResponseEntity.ok().eTag(site.etag()).body(views.site(site));
    }

    /** The slots of an app ({@code Microsoft.Web/sites/slots}), in name order, on one page. */
    @GetMapping(SITE + "/slots")
    Map<String, Object> listSlots(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                  @RequestParam("api-version") String apiVersion) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", sites.slots(sub, rg, name).stream().map(views::site).toList());
        body.put("nextLink", null);
        return body;
    }

    /** Swap: the app ({@code …/sites/{app}/slotsswap}) or a slot with the body's {@code targetSlot}; 200 when done. */
    @PostMapping({SITE + "/slotsswap", SLOT + "/slotsswap"})
    ResponseEntity<Void> swap(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                              @PathVariable(required = false) String slot,
                              @RequestParam("api-version") String apiVersion,
                              @RequestBody(required = false) JsonNode body) {
        slots.swap(sub, rg, name, slot, body);
        return ResponseEntity.ok().build();
    }

    /** Swap with preview, its first phase: the target's sticky settings applied to the source. */
    @PostMapping({SITE + "/applySlotConfig", SLOT + "/applySlotConfig"})
    ResponseEntity<Void> applySlotConfig(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                         @PathVariable(required = false) String slot,
                                         @RequestParam("api-version") String apiVersion,
                                         @RequestBody(required = false) JsonNode body) {
        slots.applySlotConfig(sub, rg, name, slot, body);
        return ResponseEntity.ok().build();
    }

    /** Swap with preview cancelled: the settings the source had before applySlotConfig back. */
    @PostMapping({SITE + "/resetSlotConfig", SLOT + "/resetSlotConfig"})
    ResponseEntity<Void> resetSlotConfig(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
                                         @PathVariable(required = false) String slot,
                                         @RequestParam("api-version") String apiVersion) {
        slots.reset(sub, rg, name, slot);
        return ResponseEntity.ok().build();
    }

    /** The web apps of a group or a subscription, in id order, paged with {@code $top} / {@code $skiptoken}. */
    @GetMapping({"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites",
            "/subscriptions/{sub}/providers/Microsoft.Web/sites"})
    Map<String, Object> list(@PathVariable String sub, @PathVariable(required = false) String rg,
                             @RequestParam("api-version") String apiVersion) {
        PageRequest request = ArmPaging.request(properties.listPageSize());
        Sites.Page page = sites.list(sub, rg, request.after(), request.size());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", page.sites().stream().map(views::site).toList());
        if (page.lastKey() != null) {
            body.put("nextLink", ArmPaging.nextLink(page.lastKey()));
        }
        return body;
    }

    @PostMapping({SITE + "/{action:start|stop|restart}", SLOT + "/{action:start|stop|restart}"})
    ResponseEntity<Void> action(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
            @PathVariable(required = false) String slot,
                                @PathVariable String action, @RequestParam("api-version") String apiVersion) {
        sites.action(sub, rg, Sites.named(name, slot), action);
        return ResponseEntity.ok().build();
    }

    @GetMapping({SITE + "/config/web", SLOT + "/config/web"})
    Map<String, Object> getWebConfig(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
            @PathVariable(required = false) String slot,
                                     @RequestParam("api-version") String apiVersion) {
        return views.webConfig(sites.get(sub, rg, Sites.named(name, slot)));
    }

    @PutMapping({SITE + "/config/web", SLOT + "/config/web"})
    Map<String, Object> putWebConfig(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
            @PathVariable(required = false) String slot,
                                     @RequestParam("api-version") String apiVersion,
                                     @RequestBody(required = false) JsonNode body) {
        return views.webConfig(sites.writeSiteConfig(sub, rg, Sites.named(name, slot), body, true));
    }

    @PatchMapping({SITE + "/config/web", SLOT + "/config/web"})
    Map<String, Object> patchWebConfig(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
            @PathVariable(required = false) String slot,
                                       @RequestParam("api-version") String apiVersion,
                                       @RequestBody(required = false) JsonNode body) {
        return views.webConfig(sites.writeSiteConfig(sub, rg, Sites.named(name, slot), body, false));
    }

    @PutMapping({SITE + "/config/appsettings", SLOT + "/config/appsettings"})
    Map<String, Object> putAppSettings(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
            @PathVariable(required = false) String slot,
                                       @RequestParam("api-version") String apiVersion,
                                       @RequestBody(required = false) JsonNode body) {
        return views.appSettings(sites.replaceAppSettings(sub, rg, Sites.named(name, slot), body));
    }

    @PostMapping({SITE + "/config/appsettings/list", SLOT + "/config/appsettings/list"})
    Map<String, Object> listAppSettings(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
            @PathVariable(required = false) String slot,
                                        @RequestParam("api-version") String apiVersion) {
        return views.appSettings(sites.get(sub, rg, Sites.named(name, slot)));
    }

    @PutMapping({SITE + "/config/connectionstrings", SLOT + "/config/connectionstrings"})
    Map<String, Object> putConnectionStrings(@PathVariable String sub, @PathVariable String rg,
                                             @PathVariable String name,
            @PathVariable(required = false) String slot, @RequestParam("api-version") String apiVersion,
                                             @RequestBody(required = false) JsonNode body) {
        return views.connectionStrings(sites.replaceConnectionStrings(sub, rg, Sites.named(name, slot), body));
    }

    @PostMapping({SITE + "/config/connectionstrings/list", SLOT + "/config/connectionstrings/list"})
    Map<String, Object> listConnectionStrings(@PathVariable String sub, @PathVariable String rg,
                                              @PathVariable String name,
            @PathVariable(required = false) String slot,
                                              @RequestParam("api-version") String apiVersion) {
        return views.connectionStrings(sites.get(sub, rg, Sites.named(name, slot)));
    }

    @PostMapping({SITE + "/config/metadata/list", SLOT + "/config/metadata/list"})
    Map<String, Object> listMetadata(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
            @PathVariable(required = false) String slot,
                                     @RequestParam("api-version") String apiVersion) {
        String site = Sites.named(name, slot);
        return views.metadata(sites.get(sub, rg, site), sites.metadata(sub, rg, site));
    }

    @PutMapping({SITE + "/config/metadata", SLOT + "/config/metadata"})
    Map<String, Object> putMetadata(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
            @PathVariable(required = false) String slot,
                                    @RequestParam("api-version") String apiVersion,
                                    @RequestBody(required = false) JsonNode body) {
        Map<String, String> metadata = sites.replaceMetadata(sub, rg, Sites.named(name, slot), body);
        return views.metadata(sites.get(sub, rg, Sites.named(name, slot)), metadata);
    }

    @GetMapping({SITE + "/config/logs", SLOT + "/config/logs"})
    Map<String, Object> getLogsConfig(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
            @PathVariable(required = false) String slot,
                                      @RequestParam("api-version") String apiVersion) {
        String site = Sites.named(name, slot);
        return views.logs(sites.get(sub, rg, site), sites.logsConfig(sub, rg, site));
    }

    @PutMapping({SITE + "/config/logs", SLOT + "/config/logs"})
    Map<String, Object> putLogsConfig(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
            @PathVariable(required = false) String slot,
                                      @RequestParam("api-version") String apiVersion,
                                      @RequestBody(required = false) JsonNode body) {
        tools.jackson.databind.node.ObjectNode logs = sites.replaceLogsConfig(sub, rg, Sites.named(name, slot),
                body);
        return views.logs(sites.get(sub, rg, Sites.named(name, slot)), logs);
    }

    @GetMapping(SITE + "/config/slotConfigNames")
    Map<String, Object> getSlotConfigNames(@PathVariable String sub, @PathVariable String rg,
                                           @PathVariable String name,
            @RequestParam("api-version") String apiVersion) {
        return views.slotConfigNames(sites.get(sub, rg, name));
    }

    @PutMapping(SITE + "/config/slotConfigNames")
    Map<String, Object> putSlotConfigNames(@PathVariable String sub, @PathVariable String rg,
                                           @PathVariable String name,
            @RequestParam("api-version") String apiVersion,
                                           @RequestBody(required = false) JsonNode body) {
        return views.slotConfigNames(sites.replaceSlotConfigNames(sub, rg, name, body));
    }

    @GetMapping({SITE + "/basicPublishingCredentialsPolicies", SLOT + "/basicPublishingCredentialsPolicies"})
    Map<String, Object> policies(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
            @PathVariable(required = false) String slot,
                                 @RequestParam("api-version") String apiVersion) {
        return views.policies(sites.get(sub, rg, Sites.named(name, slot)));
    }

    @GetMapping({SITE + "/basicPublishingCredentialsPolicies/{policy}",
            SLOT + "/basicPublishingCredentialsPolicies/{policy}"})
    Map<String, Object> policy(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
            @PathVariable(required = false) String slot,
                               @PathVariable String policy, @RequestParam("api-version") String apiVersion) {
        Site site = sites.get(sub, rg, Sites.named(name, slot));
        return views.policy(site, Sites.policy(policy));
    }

    @PutMapping({SITE + "/basicPublishingCredentialsPolicies/{policy}",
            SLOT + "/basicPublishingCredentialsPolicies/{policy}"})
    Map<String, Object> putPolicy(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
            @PathVariable(required = false) String slot,
                                  @PathVariable String policy, @RequestParam("api-version") String apiVersion,
                                  @RequestBody(required = false) JsonNode body) {
        return views.policy(sites.writeBasicAuthPolicy(sub, rg, Sites.named(name, slot), policy, body),
                Sites.policy(policy));
    }

    /** The publishing profiles as XML ({@code format} in the body is accepted and ignored: all are given). */
    @PostMapping({SITE + "/publishxml", SLOT + "/publishxml"})
    ResponseEntity<String> publishXml(@PathVariable String sub, @PathVariable String rg, @PathVariable String name,
            @PathVariable(required = false) String slot,
                                      @RequestParam("api-version") String apiVersion) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_XML)
                .body(views.publishXml(sites.get(sub, rg, Sites.named(name, slot))));
    }
}
