package dev.cirrus.serverless.functionapp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cirrus.serverless.runtime.InstancePool;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/** The ARM representations of a function app and its sub-resources, in the shapes the SDKs read. */
@Component
public class SiteViews {

    private final InstancePool pool;
    private final AppEndpoints endpoints;

    private final HostingPlans plans;

    SiteViews(InstancePool pool, AppEndpoints endpoints, HostingPlans plans) {
        this.plans = plans;
        this.pool = pool;
        this.endpoints = endpoints;
    }

    /**
     * The site envelope. Beside Azure's properties it shows the app's scale: {@code siteConfig.functionAppScaleLimit}
     * (its maximum instance count) and {@code instanceCount} (instances this service runs for it now; 0 = scaled to
     * zero); {@code GET .../instances} lists them.
     */
    public Map<String, Object> site(FunctionApp app) {
        String host = endpoints.defaultHostName(app);
        String scm = endpoints.scmHostName(app);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("name", app.name());
        properties.put("state", app.state());
        properties.put("provisioningState", "Succeeded");
        properties.put("enabled", true);
        properties.put("usageState", "Normal");
        properties.put("availabilityState", "Normal");
        properties.put("hostNames", List.of(host));
        properties.put("enabledHostNames", List.of(host, scm));
        properties.put("hostNameSslStates", List.of(
                Map.of("name", host, "sslState", "Disabled", "hostType", "Standard"),
                Map.of("name", scm, "sslState", "Disabled", "hostType", "Repository")));
        properties.put("defaultHostName", host);
        properties.put("repositorySiteName", app.name());
        properties.put("serverFarmId", app.serverFarmId());
        properties.put("reserved", app.kind().toLowerCase(java.util.Locale.ROOT).contains("linux"));
        properties.put("httpsOnly", false);
        properties.put("clientAffinityEnabled", false);
        properties.put("lastModifiedTimeUtc", app.lastModified().toString());
        properties.put("sku", plans.consumption(app) ? "Dynamic" : "Dedicated");
        properties.put("kind", app.kind());
        ObjectNode siteConfig = app.siteConfig() != null && app.siteConfig().isObject() && !app.siteConfig().isEmpty()
                ? ((ObjectNode) app.siteConfig()).deepCopy() : SiteConfig.defaults(app.kind());
        siteConfig.put("functionAppScaleLimit", pool.maxInstances(app));
        properties.put("siteConfig", siteConfig);
        properties.put("instanceCount", pool.instanceCount(app.key()));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", app.resourceId());
        view.put("name", app.name());
        view.put("type", "Microsoft.Web/sites");
        view.put("kind", app.kind());
        view.put("location", app.location());
        view.put("etag", app.etag());
        view.put("tags", app.tags());
        view.put("properties", properties);
        return view;
    }

    /** {@code …/config/web}: Microsoft.Web/sites/config named {@code web}. */
    public Map<String, Object> webConfig(FunctionApp app) {
        ObjectNode properties = app.siteConfig() != null && app.siteConfig().isObject() && !app.siteConfig().isEmpty()
                ? ((ObjectNode) app.siteConfig()).deepCopy() : SiteConfig.defaults(app.kind());
        properties.put("functionAppScaleLimit", pool.maxInstances(app));
        properties.putNull("appSettings");
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", app.resourceId() + "/config/web");
        view.put("name", "web");
        view.put("type", "Microsoft.Web/sites/config");
        view.put("location", app.location());
        view.put("properties", properties);
        return view;
    }

    /** {@code …/config/appsettings}: a StringDictionary. */
    public static Map<String, Object> settings(FunctionApp app) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", app.resourceId() + "/config/appsettings");
        view.put("name", "appsettings");
        view.put("type", "Microsoft.Web/sites/config");
        view.put("location", app.location());
        view.put("properties", app.appSettings());
        return view;
    }

    /**
     * {@code …/config/slotConfigNames}: the settings that stay with a deployment slot when slots are swapped. Function
     * apps here have no slots (and the names cannot be set), so the lists are empty, as Azure answers for an app
     * whose sticky names were never set.
     */
    public static Map<String, Object> slotConfigNames(FunctionApp app) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("appSettingNames", List.of());
        properties.put("connectionStringNames", List.of());
        properties.put("azureStorageConfigNames", List.of());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", app.resourceId() + "/config/slotConfigNames");
        view.put("name", "slotConfigNames");
        view.put("type", "Microsoft.Web/sites/config");
        view.put("location", app.location());
        view.put("properties", properties);
        return view;
    }

    /**
     * {@code …/publishxml}: the app's publishing profile. One profile, Zip Deploy, because zip deploy is what the
     * app's Kudu host serves ({@code POST https://{scm host}/api/zipdeploy}, function/KuduController.java), with the
     * credentials it takes: user {@code $app}, password the app's master key. No Web Deploy or FTP profile: Cirrus
     * serves neither.
     */
    public String publishProfile(FunctionApp app) {
        String scm = endpoints.scmHostName(app);
        String publishUrl = scm.contains(":") ? scm : scm + ":443";
        return "<publishData><publishProfile profileName=\"" + xml(app.name()) + " - Zip Deploy\""
                + " publishMethod=\"ZipDeploy\" publishUrl=\"" + xml(publishUrl) + "\""
                + " userName=\"" + xml("$" + app.name()) + "\" userPWD=\"" + xml(app.masterKey()) + "\""
                + " destinationAppUrl=\"" + xml(endpoints.baseUrl(app)) + "\" SQLServerDBConnectionString=\"\""
                + " mySQLDBConnectionString=\"\" hostingProviderForumLink=\"\" controlPanelLink=\"\""
                + " webSystem=\"WebSites\"><databases /></publishProfile></publishData>";
    }

    private static String xml(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }

    /** The app's instances ({@code Microsoft.Web/sites/instances}), oldest first. */
    public Map<String, Object> instances(FunctionApp app) {
        List<Map<String, Object>> value = new ArrayList<>();
        for (InstancePool.InstanceView instance : pool.instances(app.key())) {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("state", instance.state());
            properties.put("startTime", instance.startedAt().toString());
            properties.put("lastInvocationTime", instance.lastUsed().toString());
            properties.put("invocations", instance.invocations());
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", app.resourceId() + "/instances/" + instance.id());
            view.put("name", instance.id());
            view.put("type", "Microsoft.Web/sites/instances");
            view.put("properties", properties);
            value.add(view);
        }
        return Map.of("value", value);
    }

    /** {@code host/default/listkeys}: HostKeys. */
    public static Map<String, Object> hostKeys(FunctionApp app) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("masterKey", app.masterKey());
        view.put("functionKeys", app.hostFunctionKeys());
        view.put("systemKeys", app.systemKeys());
        return view;
    }

    /**
     * A function's keys ({@code …/functions/{f}/listkeys}): Azure answers the keys as a flat object
     * ({@code {"default": "…"}}), which the SDKs read as a StringDictionary's {@code properties}; both are given.
     */
    public static Map<String, Object> functionKeys(Map<String, String> keys) {
        Map<String, Object> view = new LinkedHashMap<>(keys);
        view.put(Keys.RESERVED, keys);
        return view;
    }
}
