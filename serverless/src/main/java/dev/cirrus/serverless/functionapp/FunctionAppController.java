package dev.cirrus.serverless.functionapp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cirrus.contracts.arm.PageRequest;
import dev.cirrus.contracts.arm.Preconditions;
import dev.cirrus.plumbing.arm.ArmPaging;
import org.springframework.http.HttpHeaders;
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

/** Function apps: {@code Microsoft.Web/sites} of kind {@code functionapp}. Thin: {@link FunctionApps} decides. */
@RestController
class FunctionAppController {

    static final String SITE = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{app}";

    private final FunctionApps apps;
    private final SiteViews views;
    private final dev.cirrus.serverless.runtime.FunctionsProperties properties;

    FunctionAppController(FunctionApps apps, SiteViews views, dev.cirrus.serverless.runtime.FunctionsProperties properties) {
        this.apps = apps;
        this.views = views;
        this.properties = properties;
    }

    /** Azure answers 200 to a site PUT, whether it created the app or not (the Python SDK refuses a 201). */
    @PutMapping(SITE)
    ResponseEntity<Map<String, Object>> put(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                            @RequestParam("api-version") String apiVersion, @RequestBody(required = false) JsonNode body,
                                            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        FunctionApps.Saved saved = apps.createOrUpdate(sub, rg, app, body, new Preconditions(ifMatch, ifNoneMatch));
        return ResponseEntity.ok().eTag(saved.app().etag()).body(views.site(saved.app()));
    }

    @PatchMapping(SITE)
    ResponseEntity<Map<String, Object>> patch(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                              @RequestParam("api-version") String apiVersion, @RequestBody(required = false) JsonNode body,
                                              @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        FunctionApp patched = apps.patch(sub, rg, app, body, new Preconditions(ifMatch, null));
        return ResponseEntity.ok().eTag(patched.etag()).body(views.site(patched));
    }

    @GetMapping(SITE)
    ResponseEntity<Map<String, Object>> get(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                            @RequestParam("api-version") String apiVersion) {
        FunctionApp functionApp = apps.get(sub, rg, app);
        return ResponseEntity.ok().eTag(functionApp.etag()).body(views.site(functionApp));
    }

    @DeleteMapping(SITE)
    ResponseEntity<Void> delete(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                @RequestParam("api-version") String apiVersion,
                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return ResponseEntity.status(apps.delete(sub, rg, app, new Preconditions(ifMatch, null)) ? 200 : 204).build();
    }

    /**
     * The function apps of a group or a subscription, in id order, {@code cirrus.functions.list-page-size} a page
     * (or fewer with {@code $top}); {@code nextLink} carries {@code $skiptoken} (the shared scheme, {@link ArmPaging}).
     */
    @GetMapping({"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites",
            "/subscriptions/{sub}/providers/Microsoft.Web/sites"})
    Map<String, Object> list(@PathVariable String sub, @PathVariable(required = false) String rg,
                             @RequestParam("api-version") String apiVersion) {
        PageRequest request = ArmPaging.request(properties.listPageSize());
        FunctionApps.Page page = apps.list(sub, rg, request.after(), request.size());
        List<Map<String, Object>> value = page.apps().stream().map(views::site).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", value);
        if (page.lastKey() != null) {
            body.put("nextLink", ArmPaging.nextLink(page.lastKey()));
        }
        return body;
    }

    @PostMapping(SITE + "/{action:start|stop|restart}")
    ResponseEntity<Void> action(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                @PathVariable String action, @RequestParam("api-version") String apiVersion) {
        apps.powerAction(sub, rg, app, action);
        return ResponseEntity.ok().build();
    }

    @GetMapping(SITE + "/config/web")
    Map<String, Object> getWebConfig(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                     @RequestParam("api-version") String apiVersion) {
        return views.webConfig(apps.get(sub, rg, app));
    }

    @PutMapping(SITE + "/config/web")
    Map<String, Object> putWebConfig(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                     @RequestParam("api-version") String apiVersion, @RequestBody(required = false) JsonNode body) {
        return views.webConfig(apps.writeSiteConfig(sub, rg, app, body, true));
    }

    @PatchMapping(SITE + "/config/web")
    Map<String, Object> patchWebConfig(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                       @RequestParam("api-version") String apiVersion, @RequestBody(required = false) JsonNode body) {
        return views.webConfig(apps.writeSiteConfig(sub, rg, app, body, false));
    }

    @PutMapping(SITE + "/config/appsettings")
    Map<String, Object> putSettings(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                    @RequestParam("api-version") String apiVersion, @RequestBody(required = false) JsonNode body) {
        return SiteViews.settings(apps.replaceSettings(sub, rg, app, body));
    }

    @PostMapping(SITE + "/config/appsettings/list")
    Map<String, Object> listSettings(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                     @RequestParam("api-version") String apiVersion) {
        return SiteViews.settings(apps.get(sub, rg, app));
    }

    @GetMapping(SITE + "/config/slotConfigNames")
    Map<String, Object> slotConfigNames(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                        @RequestParam("api-version") String apiVersion) {
        return SiteViews.slotConfigNames(apps.get(sub, rg, app));
    }

    /** The publishing profile (XML, as Azure answers it, whatever the Accept), whatever {@code format} is asked. */
    @PostMapping(SITE + "/publishxml")
    ResponseEntity<String> publishXml(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                      @RequestParam("api-version") String apiVersion) {
        return ResponseEntity.ok().contentType(org.springframework.http.MediaType.APPLICATION_XML)
                .body(views.publishProfile(apps.get(sub, rg, app)));
    }

    @GetMapping(SITE + "/instances")
    Map<String, Object> instances(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                  @RequestParam("api-version") String apiVersion) {
        return views.instances(apps.get(sub, rg, app));
    }

    @PostMapping(SITE + "/host/default/listkeys")
    Map<String, Object> listHostKeys(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                     @RequestParam("api-version") String apiVersion) {
        return SiteViews.hostKeys(apps.get(sub, rg, app));
    }

    /** Creates (201) or replaces (200) a host key; the body is KeyInfo {@code {name, value}} (value optional). */
    @PutMapping(SITE + "/host/default/{keyType}/{keyName}")
    ResponseEntity<Map<String, Object>> putHostKey(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                                   @PathVariable String keyType, @PathVariable String keyName,
                                                   @RequestParam("api-version") String apiVersion,
                                                   @RequestBody(required = false) JsonNode body) {
        FunctionApps.HostKeyWrite written = apps.putHostKey(sub, rg, app, keyType, keyName, body);
        return ResponseEntity.status(written.created() ? 201 : 200)
                .body(Map.of("name", written.name(), "value", written.value()));
    }

    /** Deletes a host key: 204, also when there was none (as the SDKs expect). */
    @DeleteMapping(SITE + "/host/default/{keyType}/{keyName}")
    ResponseEntity<Void> deleteHostKey(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                       @PathVariable String keyType, @PathVariable String keyName,
                                       @RequestParam("api-version") String apiVersion) {
        apps.deleteHostKey(sub, rg, app, keyType, keyName);
        return ResponseEntity.noContent().build();
    }

    /**
     * {@code syncfunctiontriggers} and {@code host/default/sync}: Azure re-reads the app's triggers; here they are
     * read from the database on every change already, so this checks the app exists and answers 204.
     */
    @PostMapping({SITE + "/syncfunctiontriggers", SITE + "/host/default/sync"})
    ResponseEntity<Void> syncTriggers(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                      @RequestParam("api-version") String apiVersion) {
        apps.changed(apps.get(sub, rg, app).name());
        return ResponseEntity.noContent().build();
    }
}
