package dev.cirrus.appservice.site;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cirrus.appservice.plan.AppServicePlan;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/** The ARM representations of a web app and its configuration resources, in the shapes the SDKs read. */
@Component
class SiteViews {

    private final SiteProperties properties;
    private final Sites sites;
    private final SiteUsage usage;

    SiteViews(SiteProperties properties, Sites sites, SiteUsage usage) {
        this.properties = properties;
        this.sites = sites;
        this.usage = usage;
    }

    /** The site ({@code Site} of the Microsoft.Web API). */
    Map<String, Object> site(Site s) {
        String host = properties.hostName(s.name());
        String scm = properties.scmHostName(s.name());
        AppServicePlan plan = sites.planOf(s).orElse(null);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", s.isSlot() ? s.appName() + "(" + s.slotName() + ")" : s.name());
        boolean exceeded = s.running() && usage.quotaExceeded(s);
        p.put("state", exceeded ? "QuotaExceeded" : s.state());
        p.put("hostNames", List.of(host));
        p.put("repositorySiteName", s.appName());
        p.put("usageState", exceeded ? "Exceeded" : "Normal");
        if (exceeded) {
            p.put("suspendedTill", usage.quotaResetsAt(s).toString());
        }
        p.put("enabled", true);
        p.put("enabledHostNames", List.of(host, scm));
        p.put("availabilityState", "Normal");
        p.put("hostNameSslStates", List.of(
                Map.of("name", host, "sslState", "Disabled", "hostType", "Standard"),
                Map.of("name", scm, "sslState", "Disabled", "hostType", "Repository")));
        p.put("serverFarmId", s.serverFarmId());
        p.put("reserved", s.linux());
        p.put("isXenon", false);
        p.put("hyperV", false);
        p.put("lastModifiedTimeUtc", s.lastModified().toString());
        ObjectNode config = s.siteConfig().deepCopy();
        config.put("numberOfWorkers", plan == null ? 1 : Math.max(plan.capacity(), 1));
        p.put("siteConfig", config);
        p.put("scmSiteAlsoStopped", false);
        p.put("clientAffinityEnabled", s.clientAffinityEnabled());
        p.put("clientCertEnabled", false);
        p.put("clientCertMode", "Required");
        p.put("hostNamesDisabled", false);
        p.put("outboundIpAddresses", "127.0.0.1");
        p.put("possibleOutboundIpAddresses", "127.0.0.1");
        p.put("containerSize", 0);
        p.put("dailyMemoryTimeQuota", 0);
        p.put("resourceGroup", s.resourceGroup());
        p.put("defaultHostName", host);
        p.put("httpsOnly", s.httpsOnly());
        p.put("redundancyMode", "None");
        p.put("publicNetworkAccess", "Enabled");
        p.put("storageAccountRequired", false);
        p.put("keyVaultReferenceIdentity", "SystemAssigned");
        p.put("sku", plan == null ? null : plan.sku().tier().armName());
        p.put("kind", s.kind());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", s.resourceId());
        view.put("name", s.armName());
        view.put("type", s.isSlot() ? Sites.SLOT_TYPE : Sites.TYPE);
        view.put("kind", s.kind());
        view.put("location", s.location());
        view.put("tags", s.tags());
        view.put("etag", s.etag());
        view.put("properties", p);
        return view;
    }

    /** {@code …/config/web}: Microsoft.Web/sites/config named {@code web}. */
    Map<String, Object> webConfig(Site s) {
        ObjectNode config = s.siteConfig().deepCopy();
        AppServicePlan plan = sites.planOf(s).orElse(null);
        config.put("numberOfWorkers", plan == null ? 1 : Math.max(plan.capacity(), 1));
        config.putNull("appSettings");
        config.putNull("connectionStrings");
        return config(s, "web", config);
    }

    /** {@code …/config/appsettings}: a StringDictionary. */
    Map<String, Object> appSettings(Site s) {
        return config(s, "appsettings", s.appSettings());
    }

    /** {@code …/config/connectionstrings}: a ConnectionStringDictionary. */
    Map<String, Object> connectionStrings(Site s) {
        Map<String, Object> strings = new LinkedHashMap<>();
        s.connectionStrings().forEach((name, cs) -> strings.put(name, Map.of("value", cs.value(), "type", cs.type())));
        return config(s, "connectionstrings", strings);
    }

    /** {@code …/config/logs}: a SiteLogsConfig. */
    Map<String, Object> logs(Site s, ObjectNode logs) {
        return config(s, "logs", logs);
    }

    /** {@code …/config/metadata}: a StringDictionary. */
    Map<String, Object> metadata(Site s, Map<String, String> metadata) {
        return config(s, "metadata", metadata);
    }

    /** {@code …/config/slotConfigNames}: the sticky settings' names. */
    Map<String, Object> slotConfigNames(Site s) {
        Map<String, Object> names = new LinkedHashMap<>();
        names.put("connectionStringNames", s.slotConfigNames().connectionStringNames());
        names.put("appSettingNames", s.slotConfigNames().appSettingNames());
        names.put("azureStorageConfigNames", List.of());
        Map<String, Object> view = config(s, "slotConfigNames", names);
        view.remove("location");
        return view;
    }

    /** One basic publishing credentials policy ({@code ftp} or {@code scm}). */
    Map<String, Object> policy(Site s, String which) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", s.resourceId() + "/basicPublishingCredentialsPolicies/" + which);
        view.put("name", which);
        view.put("type", s.isSlot() ? "Microsoft.Web/sites/slots/basicPublishingCredentialsPolicies"
                : "Microsoft.Web/sites/basicPublishingCredentialsPolicies");
        view.put("location", s.location());
        view.put("properties", Map.of("allow", which.equals("scm") ? s.scmBasicAuth() : s.ftpBasicAuth()));
        return view;
    }

    Map<String, Object> policies(Site s) {
        List<Map<String, Object>> value = new ArrayList<>();
        value.add(policy(s, "ftp"));
        value.add(policy(s, "scm"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", value);
        body.put("nextLink", null);
        return body;
    }

    /**
     * {@code …/publishxml}: the publishing profiles (Web Deploy, FTP, Zip Deploy) with the site's publishing user
     * {@code $name} and password, as the portal's "Download publish profile" gives them.
     */
    String publishXml(Site s) {
        String scm = properties.scmHostName(s.name());
        String app = properties.publicScheme() + "://" + properties.hostName(s.name());
        String user = "$" + s.name();
        StringBuilder xml = new StringBuilder("<publishData>");
        profile(xml, s.name() + " - Web Deploy", "MSDeploy", scm, s, user, app);
        // the FTP user is "{app}\$app", as Azure names it (the SDKs read it in that form)
        profile(xml, s.name() + " - FTP", "FTP", "ftp://" + scm + "/site/wwwroot", s, s.name() + "\\" + user, app);
        profile(xml, s.name() + " - Zip Deploy", "ZipDeploy", scm, s, user, app);
        return xml.append("</publishData>").toString();
    }

    private static void profile(StringBuilder xml, String profileName, String method, String url, Site s, String user,
                                String app) {
        xml.append("<publishProfile profileName=\"").append(attr(profileName)).append("\" publishMethod=\"")
                .append(method).append("\" publishUrl=\"").append(attr(url)).append("\" msdeploySite=\"")
                .append(attr(s.name())).append("\" userName=\"").append(attr(user)).append("\" userPWD=\"")
                .append(attr(s.publishingPassword())).append("\" destinationAppUrl=\"").append(attr(app))
                .append("\" SQLServerDBConnectionString=\"\" mySQLDBConnectionString=\"\" hostingProviderForumLink=\"\""
                        + " controlPanelLink=\"\" webSystem=\"WebSites\"><databases /></publishProfile>");
    }

    private static String attr(String text) {
        return text.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static Map<String, Object> config(Site s, String name, Object properties) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", s.resourceId() + "/config/" + name);
        view.put("name", name);
        view.put("type", s.isSlot() ? "Microsoft.Web/sites/slots/config" : "Microsoft.Web/sites/config");
        view.put("location", s.location());
        view.put("properties", properties);
        return view;
    }
}
