package dev.cirrus.serverless.functionapp;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.cirrus.plumbing.arm.ArmException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A site's configuration ({@code siteConfig} of a site, {@code properties} of {@code …/config/web}): the
 * properties of Azure's SiteConfig a function app keeps, each checked for its type when written (400 naming the
 * property otherwise). {@code functionAppScaleLimit} is the app setting {@code WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT}
 * ({@link FunctionApps}), {@code appSettings} the app's settings; other properties Azure defines are accepted and
 * not kept (they change nothing here).
 */
final class SiteConfig {

    enum Type { BOOLEAN, STRING, INTEGER, STRING_LIST, CORS }

    static final Map<String, Type> KEPT = new LinkedHashMap<>();

    static {
        for (String name : List.of("alwaysOn", "http20Enabled", "use32BitWorkerProcess", "webSocketsEnabled",
                "requestTracingEnabled", "remoteDebuggingEnabled", "httpLoggingEnabled", "detailedErrorLoggingEnabled",
                "functionsRuntimeScaleMonitoringEnabled", "acrUseManagedIdentityCreds", "vnetRouteAllEnabled")) {
            KEPT.put(name, Type.BOOLEAN);
        }
        for (String name : List.of("netFrameworkVersion", "nodeVersion", "phpVersion", "pythonVersion", "javaVersion",
                "powerShellVersion", "linuxFxVersion", "windowsFxVersion", "minTlsVersion", "scmMinTlsVersion",
                "ftpsState", "healthCheckPath", "appCommandLine", "scmType", "managedPipelineMode", "loadBalancing",
                "publicNetworkAccess", "remoteDebuggingVersion")) {
            KEPT.put(name, Type.STRING);
        }
        for (String name : List.of("numberOfWorkers", "minimumElasticInstanceCount", "preWarmedInstanceCount",
                "logsDirectorySizeLimit", "elasticWebAppScaleLimit")) {
            KEPT.put(name, Type.INTEGER);
        }
        KEPT.put("defaultDocuments", Type.STRING_LIST);
        KEPT.put("cors", Type.CORS);
    }

    private static final Map<String, Set<String>> ENUMS = Map.of(
            "minTlsVersion", Set.of("1.0", "1.1", "1.2", "1.3"),
            "scmMinTlsVersion", Set.of("1.0", "1.1", "1.2", "1.3"),
            "ftpsState", Set.of("AllAllowed", "FtpsOnly", "Disabled"),
            "managedPipelineMode", Set.of("Integrated", "Classic"));

    private SiteConfig() {
    }

    /** Azure's values for a new function app's configuration. */
    static ObjectNode defaults(String kind) {
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.put("numberOfWorkers", 1);
        config.put("alwaysOn", false);
        config.put("http20Enabled", false);
        config.put("use32BitWorkerProcess", true);
        config.put("webSocketsEnabled", false);
        config.put("minTlsVersion", "1.2");
        config.put("scmMinTlsVersion", "1.2");
        config.put("ftpsState", "FtpsOnly");
        config.put("netFrameworkVersion", "v4.0");
        config.put("linuxFxVersion", kind != null && kind.toLowerCase(java.util.Locale.ROOT).contains("linux") ? "Node|20" : "");
        config.putNull("cors");
        return config;
    }

    /**
     * {@code current} with the kept properties of {@code given} applied (PATCH: only those given; PUT: the given
     * ones over the defaults). Each value is checked; a null value resets the property to its default.
     */
    static ObjectNode merge(ObjectNode base, JsonNode given, String target, String kind) {
        ObjectNode result = base.deepCopy();
        if (given == null || given.isNull() || given.isMissingNode()) {
            return result;
        }
        if (!given.isObject()) {
            throw ArmException.invalidParameter(target + " must be an object", target);
        }
        ObjectNode defaults = defaults(kind);
        for (Iterator<Map.Entry<String, JsonNode>> it = given.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            Type type = KEPT.get(entry.getKey());
            if (type == null) {
                continue;
            }
            JsonNode value = entry.getValue();
            String at = target + "." + entry.getKey();
            if (value == null || value.isNull()) {
                result.set(entry.getKey(), defaults.get(entry.getKey()));
                continue;
            }
            switch (type) {
                case BOOLEAN -> {
                    if (!value.isBoolean()) {
                        throw ArmException.invalidParameter(at + " must be true or false", at);
                    }
                }
                case STRING -> {
                    if (!value.isString()) {
                        throw ArmException.invalidParameter(at + " must be a string", at);
                    }
                    Set<String> allowed = ENUMS.get(entry.getKey());
                    if (allowed != null && !allowed.contains(value.asString())) {
                        throw ArmException.invalidParameter(at + " must be one of " + allowed + "; got '"
                                + value.asString() + "'", at);
                    }
                }
                case INTEGER -> {
                    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 0) {
                        throw ArmException.invalidParameter(at + " must be a whole number from 0 to " + Integer.MAX_VALUE, at);
                    }
                }
                case STRING_LIST -> {
                    if (!value.isArray() || !allStrings(value)) {
                        throw ArmException.invalidParameter(at + " must be an array of strings", at);
                    }
                }
                case CORS -> {
                    if (!value.isObject()) {
                        throw ArmException.invalidParameter(at + " must be {allowedOrigins: [...], supportCredentials}", at);
                    }
                    JsonNode origins = value.get("allowedOrigins");
                    if (origins != null && !origins.isNull() && (!origins.isArray() || !allStrings(origins))) {
                        throw ArmException.invalidParameter(at + ".allowedOrigins must be an array of strings", at + ".allowedOrigins");
                    }
                    JsonNode credentials = value.get("supportCredentials");
                    if (credentials != null && !credentials.isNull() && !credentials.isBoolean()) {
                        throw ArmException.invalidParameter(at + ".supportCredentials must be true or false", at + ".supportCredentials");
                    }
                    ObjectNode cors = JsonNodeFactory.instance.objectNode();
                    cors.set("allowedOrigins", origins == null ? JsonNodeFactory.instance.arrayNode() : origins);
                    cors.put("supportCredentials", credentials != null && credentials.asBoolean(false));
                    value = cors;
                }
            }
            result.set(entry.getKey(), value);
        }
        return result;
    }

    private static boolean allStrings(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isString()) {
                return false;
            }
        }
        return true;
    }
}
