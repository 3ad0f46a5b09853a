package dev.cirrus.serverless.functionapp;

import java.util.List;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Function apps: {@code Microsoft.Web/sites} of kind {@code functionapp}. Thin: {@link FunctionApps} decides. */
@RestController
class FunctionAppController {

    static final String SITE = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{app}";

    private final FunctionApps apps;

    FunctionAppController(FunctionApps apps) {
        this.apps = apps;
    }

    @PutMapping(SITE)
    ResponseEntity<Map<String, Object>> put(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                            @RequestParam("api-version") String apiVersion, @RequestBody JsonNode body) {
        FunctionApps.Saved saved = apps.createOrUpdate(sub, rg, app, body);
        return ResponseEntity.status(saved.created() ? 201 : 200).body(apps.view(saved.app()));
    }

    @PatchMapping(SITE)
    Map<String, Object> patch(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                              @RequestParam("api-version") String apiVersion, @RequestBody JsonNode body) {
        return apps.view(apps.patch(sub, rg, app, body));
    }

    @GetMapping(SITE)
    Map<String, Object> get(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                            @RequestParam("api-version") String apiVersion) {
        return apps.view(apps.get(sub, rg, app));
    }

    @DeleteMapping(SITE)
    ResponseEntity<Void> delete(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                @RequestParam("api-version") String apiVersion) {
        return ResponseEntity.status(apps.delete(sub, rg, app) ? 200 : 204).build();
    }

    @GetMapping({"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites",
            "/subscriptions/{sub}/providers/Microsoft.Web/sites"})
    Map<String, Object> list(@PathVariable String sub, @PathVariable(required = false) String rg,
                             @RequestParam("api-version") String apiVersion) {
        List<Map<String, Object>> value = apps.list(sub, rg).stream().map(apps::view).toList();
        return Map.of("value", value);
    }

    @PostMapping(SITE + "/{action:start|stop|restart}")
    ResponseEntity<Void> action(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                @PathVariable String action, @RequestParam("api-version") String apiVersion) {
        apps.powerAction(sub, rg, app, action);
        return ResponseEntity.ok().build();
    }

    @PutMapping(SITE + "/config/appsettings")
    Map<String, Object> putSettings(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                    @RequestParam("api-version") String apiVersion, @RequestBody JsonNode body) {
        return FunctionApps.settingsView(apps.replaceSettings(sub, rg, app, body));
    }

    @PostMapping(SITE + "/config/appsettings/list")
    Map<String, Object> listSettings(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                     @RequestParam("api-version") String apiVersion) {
        return FunctionApps.settingsView(apps.get(sub, rg, app));
    }

    @GetMapping(SITE + "/instances")
    Map<String, Object> instances(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                  @RequestParam("api-version") String apiVersion) {
        return apps.instancesView(apps.get(sub, rg, app));
    }

    @PostMapping(SITE + "/host/default/listkeys")
    Map<String, Object> listHostKeys(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                     @RequestParam("api-version") String apiVersion) {
        FunctionApp functionApp = apps.get(sub, rg, app);
        return Map.of("masterKey", functionApp.masterKey(), "functionKeys", Map.of("default", functionApp.hostKey()),
                "systemKeys", Map.of());
    }
}
