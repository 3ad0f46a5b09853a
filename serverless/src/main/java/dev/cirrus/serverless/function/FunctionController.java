package dev.cirrus.serverless.function;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.serverless.functionapp.FunctionApp;
import dev.cirrus.serverless.functionapp.FunctionApps;
import dev.cirrus.serverless.functionapp.AppEndpoints;
import dev.cirrus.serverless.functionapp.Keys;
import dev.cirrus.serverless.functionapp.SiteViews;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Functions of an app ({@code Microsoft.Web/sites/functions}), their keys, and zip deploy of a whole app. */
@RestController
class FunctionController {

    static final String SITE = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{app}";

    private final FunctionApps apps;
    private final FunctionRepository functions;
    private final ZipDeploy zipDeploy;
    private final AppEndpoints endpoints;

    FunctionController(FunctionApps apps, FunctionRepository functions, ZipDeploy zipDeploy, AppEndpoints endpoints) {
        this.apps = apps;
        this.functions = functions;
        this.zipDeploy = zipDeploy;
        this.endpoints = endpoints;
    }

    @PutMapping(SITE + "/functions/{fn}")
    @Transactional
    ResponseEntity<Map<String, Object>> put(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                            @PathVariable String fn, @RequestParam("api-version") String apiVersion,
                                            @RequestBody JsonNode body) {
        FunctionApp functionApp = apps.get(sub, rg, app);
        checkName(fn);
        JsonNode properties = body == null ? null : body.get("properties");
        if (properties == null || !properties.isObject()) {
            throw ArmException.badRequest("InvalidRequestContent", "The body must have 'properties' with 'config' and 'files'", "properties");
        }
        FunctionConfig config = FunctionConfig.parse(properties.get("config"));
        Map<String, String> files = new LinkedHashMap<>();
        JsonNode filesNode = properties.get("files");
        if (filesNode == null || !filesNode.isObject()) {
            throw ArmException.badRequest("InvalidRequestContent", "properties.files must map file names to their content", "properties.files");
        }
        for (Map.Entry<String, JsonNode> file : filesNode.properties()) {
            if (!file.getValue().isString()) {
                throw ArmException.invalidParameter("the file '" + file.getKey() + "' must be a string", "properties.files." + file.getKey());
            }
            files.put(FilePaths.check(file.getKey(), "InvalidParameter", "properties.files"), file.getValue().asString());
        }
        if (!files.containsKey(config.scriptFile())) {
            throw ArmException.badRequest("InvalidFunctionConfig", "the script file '" + config.scriptFile()
                    + "' is not among properties.files", "properties.files");
        }
        Map<String, String> keys = functions.find(functionApp.key(), fn).map(FunctionDefinition::keys)
                .orElseGet(() -> Map.of("default", FunctionApps.newKey()));
        functions.save(new FunctionDefinition(functionApp.key(), fn, config, files, keys));
        apps.changed(functionApp.name());
        // 201 whether it created or replaced the function: the Python SDK accepts nothing else (the JavaScript one 200-202)
        return ResponseEntity.status(201).body(view(functionApp, functions.find(functionApp.key(), fn).orElseThrow()));
    }

    @GetMapping(SITE + "/functions/{fn}")
    Map<String, Object> get(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                            @PathVariable String fn, @RequestParam("api-version") String apiVersion) {
        FunctionApp functionApp = apps.get(sub, rg, app);
        return view(functionApp, find(functionApp, fn));
    }

    @GetMapping(SITE + "/functions")
    Map<String, Object> list(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                             @RequestParam("api-version") String apiVersion) {
        FunctionApp functionApp = apps.get(sub, rg, app);
        return Map.of("value", functions.list(functionApp.key()).stream().map(f -> view(functionApp, f)).toList());
    }

    /** Deletes a function: 204 (the SDKs expect it whether or not there was one). */
    @DeleteMapping(SITE + "/functions/{fn}")
    @Transactional
    ResponseEntity<Void> delete(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                @PathVariable String fn, @RequestParam("api-version") String apiVersion) {
        FunctionApp functionApp = apps.get(sub, rg, app);
        functions.delete(functionApp.key(), fn);
        apps.changed(functionApp.name());
        return ResponseEntity.noContent().build();
    }

    /** The function's keys by name ({@link SiteViews#functionKeys}). */
    @PostMapping(SITE + "/functions/{fn}/listkeys")
    Map<String, Object> listKeys(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                 @PathVariable String fn, @RequestParam("api-version") String apiVersion) {
        FunctionApp functionApp = apps.get(sub, rg, app);
        return SiteViews.functionKeys(find(functionApp, fn).keys());
    }

    /**
     * FunctionSecrets: the function's {@code default} key (else its first, else the host's default key) and
     * {@code trigger_url}, the function's URL with that key ({@code null} for a function not triggered by HTTP).
     */
    @PostMapping(SITE + "/functions/{fn}/listsecrets")
    Map<String, Object> listSecrets(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                    @PathVariable String fn, @RequestParam("api-version") String apiVersion) {
        FunctionApp functionApp = apps.get(sub, rg, app);
        FunctionDefinition function = find(functionApp, fn);
        String key = function.functionKey() != null ? function.functionKey()
                : function.keys().values().stream().findFirst().orElse(functionApp.hostKey());
        String url = endpoints.invokeUrl(functionApp, function.name(), function.config());
        Map<String, Object> secrets = new LinkedHashMap<>();
        secrets.put("key", key);
        secrets.put("trigger_url", url == null ? null : key == null ? url
                : url + "?code=" + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8));
        return secrets;
    }

    /** Creates (201) or replaces (200) a function key; the body is KeyInfo {@code {name, value}} (value optional). */
    @PutMapping(SITE + "/functions/{fn}/keys/{keyName}")
    @Transactional
    ResponseEntity<Map<String, Object>> putKey(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                               @PathVariable String fn, @PathVariable String keyName,
                                               @RequestParam("api-version") String apiVersion,
                                               @RequestBody(required = false) JsonNode body) {
        FunctionApp functionApp = apps.get(sub, rg, app);
        FunctionDefinition function = find(functionApp, fn);
        Keys.checkName(keyName);
        String value = Keys.valueOf(body, keyName);
        Map<String, String> keys = new LinkedHashMap<>(function.keys());
        boolean created = keys.put(keyName, value) == null;
        functions.saveKeys(function.withKeys(keys));
        apps.changed(functionApp.name());
        return ResponseEntity.status(created ? 201 : 200).body(Map.of("name", keyName, "value", value));
    }

    /** Deletes a function key: 204, also when there was none. */
    @DeleteMapping(SITE + "/functions/{fn}/keys/{keyName}")
    @Transactional
    ResponseEntity<Void> deleteKey(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                   @PathVariable String fn, @PathVariable String keyName,
                                   @RequestParam("api-version") String apiVersion) {
        FunctionApp functionApp = apps.get(sub, rg, app);
        FunctionDefinition function = find(functionApp, fn);
        Map<String, String> keys = new LinkedHashMap<>(function.keys());
        if (keys.remove(keyName) != null) {
            functions.saveKeys(function.withKeys(keys));
            apps.changed(functionApp.name());
        }
        return ResponseEntity.noContent().build();
    }

    /** Zip deploy (ARM-shaped): see {@link ZipDeploy}; the Kudu-shaped endpoint is {@link KuduController}. */
    @PostMapping(SITE + "/extensions/zipdeploy")
    Map<String, Object> zipDeploy(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                                  @RequestParam("api-version") String apiVersion, @RequestBody(required = false) byte[] zip) {
        return zipDeploy.deploy(apps.get(sub, rg, app), zip);
    }

    private FunctionDefinition find(FunctionApp app, String fn) {
        return functions.find(app.key(), fn).orElseThrow(() -> ArmException.notFound("ResourceNotFound",
                "The function '" + fn + "' of function app '" + app.name() + "' was not found."));
    }

    static final java.util.regex.Pattern VALID_NAME = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,127}");

    private static void checkName(String fn) {
        if (!VALID_NAME.matcher(fn).matches()) {
            throw ArmException.badRequest("InvalidResourceName", "The function name '" + fn
                    + "' must start with a letter and contain only letters, digits, '_' and '-'", "name");
        }
    }

    private Map<String, Object> view(FunctionApp app, FunctionDefinition function) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("name", function.name());
        properties.put("function_app_id", app.resourceId());
        properties.put("config", function.config().raw());
        properties.put("files", function.files());
        properties.put("isDisabled", function.config().disabled());
        properties.put("language", "node");
        String url = endpoints.invokeUrl(app, function.name(), function.config());
        if (url != null) {
            properties.put("invoke_url_template", url);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", function.resourceId(app.resourceId()));
        view.put("name", app.name() + "/" + function.name());
        view.put("type", "Microsoft.Web/sites/functions");
        view.put("location", app.location());
        view.put("properties", properties);
        return view;
    }
}
