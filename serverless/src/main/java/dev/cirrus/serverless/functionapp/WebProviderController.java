package dev.cirrus.serverless.functionapp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.cirrus.contracts.arm.ArmLocations;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.plumbing.arm.Regions;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What {@code Microsoft.Web} tells tools before they create a function app: the regions it runs in
 * ({@code geoRegions}: the placement topology's, {@link Regions}) and the stacks a function app can run
 * ({@code functionAppStacks}): Node, which the host runs in its JavaScript sandbox (see README).
 */
@RestController
class WebProviderController {

    private final Regions regions;

    WebProviderController(Regions regions) {
        this.regions = regions;
    }

    /**
     * {@code GET /subscriptions/{sub}/providers/Microsoft.Web/geoRegions}: every configured region runs every
     * plan, Windows and Linux, so the filters ({@code sku}, {@code linuxWorkersEnabled}, …) keep them all.
     */
    @GetMapping("/subscriptions/{sub}/providers/Microsoft.Web/geoRegions")
    Map<String, Object> geoRegions(@PathVariable String sub, @RequestParam("api-version") String apiVersion) {
        List<Map<String, Object>> value = new ArrayList<>();
        for (String region : regions.names()) {
            String display = displayName(region);
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("name", display);
            props.put("description", null);
            props.put("displayName", display);
            props.put("orgDomain", "PUBLIC;DSERIES;DYNAMIC;LINUX;LINUXDYNAMIC;ELASTICPREMIUM;ELASTICLINUX");
            Map<String, Object> geoRegion = new LinkedHashMap<>();
            geoRegion.put("id", "/subscriptions/" + sub + "/providers/Microsoft.Web/geoRegions/" + display);
            geoRegion.put("name", display);
            geoRegion.put("type", "Microsoft.Web/geoRegions");
            geoRegion.put("properties", props);
            value.add(geoRegion);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", value);
        body.put("nextLink", null);
        return body;
    }

    /** {@code GET /providers/Microsoft.Web/functionAppStacks} (also per location): Node, as the host runs it. */
    @GetMapping({"/providers/Microsoft.Web/functionAppStacks", "/providers/Microsoft.Web/locations/{location}/functionAppStacks"})
    Map<String, Object> functionAppStacks(@PathVariable(required = false) String location,
                                          @RequestParam("api-version") String apiVersion,
                                          @RequestParam(name = "stackOsType", required = false) String stackOsType) {
        String os = stackOsType == null ? "all" : stackOsType.toLowerCase(Locale.ROOT);
        if (!List.of("all", "windows", "linux").contains(os)) {
            throw ArmException.invalidParameter("stackOsType must be Windows, Linux or All; got '" + stackOsType + "'",
                    "stackOsType");
        }
        if (location != null) {
            regions.require(location, "Microsoft.Web/sites", "location");
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        if (!os.equals("linux")) {
            settings.put("windowsRuntimeSettings", runtime("~20", Map.of("use32BitWorkerProcess", true),
                    Map.of("FUNCTIONS_WORKER_RUNTIME", "node", "WEBSITE_NODE_DEFAULT_VERSION", "~20")));
        }
        if (!os.equals("windows")) {
            settings.put("linuxRuntimeSettings", runtime("Node|20",
                    Map.of("use32BitWorkerProcess", false, "linuxFxVersion", "Node|20"),
                    Map.of("FUNCTIONS_WORKER_RUNTIME", "node")));
        }
        Map<String, Object> minor = new LinkedHashMap<>();
        minor.put("displayText", "Node.js 20 LTS");
        minor.put("value", "20 LTS");
        minor.put("stackSettings", settings);
        Map<String, Object> major = new LinkedHashMap<>();
        major.put("displayText", "Node.js 20");
        major.put("value", "20");
        major.put("minorVersions", List.of(minor));
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("displayText", "Node.js");
        props.put("value", "node");
        props.put("majorVersions", List.of(major));
        props.put("preferredOs", "windows");
        Map<String, Object> stack = new LinkedHashMap<>();
        stack.put("id", null);
        stack.put("name", "node");
        stack.put("type", "Microsoft.Web/functionAppStacks");
        stack.put("location", location);
        stack.put("properties", props);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", List.of(stack));
        body.put("nextLink", null);
        return body;
    }

    private static Map<String, Object> runtime(String runtimeVersion, Map<String, Object> siteConfig,
                                               Map<String, String> appSettings) {
        Map<String, Object> runtime = new LinkedHashMap<>();
        runtime.put("runtimeVersion", runtimeVersion);
        runtime.put("isPreview", false);
        runtime.put("isDeprecated", false);
        runtime.put("isHidden", false);
        runtime.put("isDefault", true);
        runtime.put("remoteDebuggingSupported", false);
        runtime.put("appInsightsSettings", Map.of("isSupported", false));
        runtime.put("gitHubActionSettings", Map.of("isSupported", false));
        runtime.put("appSettingsDictionary", appSettings);
        runtime.put("siteConfigPropertiesDictionary", siteConfig);
        runtime.put("supportedFunctionsExtensionVersions", List.of("~4"));
        return runtime;
    }

    static String displayName(String region) {
        return ArmLocations.displayName(region);
    }
}
