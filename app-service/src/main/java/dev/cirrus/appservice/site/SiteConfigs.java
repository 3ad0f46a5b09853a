package dev.cirrus.appservice.site;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.cirrus.contracts.arm.ArmErrorException;
import dev.cirrus.contracts.arm.ArmJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code siteConfig} ({@code SiteConfig} of the Microsoft.Web API) kept as data: the properties listed here are
 * checked and stored; the others a client sends (the SDKs send many, e.g. {@code ipSecurityRestrictions}) are ignored.
 * {@code appSettings} and {@code connectionStrings} are read apart ({@link Sites}). Which of them change how an app
 * runs: {@code linuxFxVersion} / {@code javaVersion} / {@code nodeVersion} / {@code pythonVersion} (the stack,
 * {@code runtime/Stack}), {@code appCommandLine} (the start command), {@code healthCheckPath}.
 */
final class SiteConfigs {

    enum Type { BOOLEAN, STRING, INTEGER, STRING_LIST }

    static final Map<String, Type> KEPT = new LinkedHashMap<>();

    static {
        for (String name : List.of("alwaysOn", "http20Enabled", "use32BitWorkerProcess", "webSocketsEnabled",
                "requestTracingEnabled", "remoteDebuggingEnabled", "httpLoggingEnabled", "detailedErrorLoggingEnabled",
                "autoHealEnabled", "localMySqlEnabled", "vnetRouteAllEnabled", "acrUseManagedIdentityCreds")) {
            KEPT.put(name, Type.BOOLEAN);
        }
        for (String name : List.of("netFrameworkVersion", "nodeVersion", "phpVersion", "pythonVersion", "javaVersion",
                "javaContainer", "javaContainerVersion", "powerShellVersion", "linuxFxVersion", "windowsFxVersion",
                "minTlsVersion", "scmMinTlsVersion", "ftpsState", "healthCheckPath", "appCommandLine", "scmType",
                "managedPipelineMode", "loadBalancing", "publicNetworkAccess", "remoteDebuggingVersion")) {
            KEPT.put(name, Type.STRING);
        }
        for (String name : List.of("numberOfWorkers", "logsDirectorySizeLimit", "preWarmedInstanceCount")) {
            KEPT.put(name, Type.INTEGER);
        }
        KEPT.put("defaultDocuments", Type.STRING_LIST);
    }

    private static final Map<String, Set<String>> ENUMS = Map.of(
            "minTlsVersion", Set.of("1.0", "1.1", "1.2", "1.3"),
            "scmMinTlsVersion", Set.of("1.0", "1.1", "1.2", "1.3"),
            "ftpsState", Set.of("AllAllowed", "FtpsOnly", "Disabled"),
            "managedPipelineMode", Set.of("Integrated", "Classic"),
            "loadBalancing", Set.of("WeightedRoundRobin", "LeastRequests", "LeastResponseTime", "WeightedTotalTraffic",
                    "RequestHash", "PerSiteRoundRobin", "LeastRequestsWithTieBreaker"),
            "publicNetworkAccess", Set.of("Enabled", "Disabled"));

    /** Azure's default documents, in its order. */
    static final List<String> DEFAULT_DOCUMENTS = List.of("Default.htm", "Default.html", "Default.asp", "index.htm",
            "index.html", "iisstart.htm", "default.aspx", "index.php", "hostingstart.html");

    private SiteConfigs() {
    }

    /** Azure's values for a new web app's configuration. */
    static ObjectNode defaults(boolean linux) {
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.put("numberOfWorkers", 1);
        config.put("alwaysOn", false);
        config.put("http20Enabled", false);
        config.put("use32BitWorkerProcess", !linux);
        config.put("webSocketsEnabled", false);
        config.put("minTlsVersion", "1.2");
        config.put("scmMinTlsVersion", "1.2");
        config.put("ftpsState", "FtpsOnly");
        config.put("netFrameworkVersion", "v4.0");
        config.put("linuxFxVersion", "");
        config.put("javaVersion", (String) null);
        config.put("appCommandLine", "");
        config.put("healthCheckPath", (String) null);
        config.put("loadBalancing", "LeastRequests");
        config.put("managedPipelineMode", "Integrated");
        config.put("localMySqlEnabled", false);
        config.put("autoHealEnabled", false);
        config.put("scmType", "None");
        var documents = config.putArray("defaultDocuments");
        DEFAULT_DOCUMENTS.forEach(documents::add);
        return config;
    }

    /**
     * {@code base} with the kept properties of {@code given} applied, each checked; a null value resets the property
     * to its default. {@code target} names {@code given} in errors ({@code properties.siteConfig}).
     */
    static ObjectNode merge(ObjectNode base, JsonNode given, String target, boolean linux) {
        ObjectNode result = base.deepCopy();
        if (given == null || given.isNull() || given.isMissingNode()) {
            return result;
        }
        if (!given.isObject()) {
            throw ArmJson.wrongType(target, "an object");
        }
        ObjectNode defaults = defaults(linux);
        for (Map.Entry<String, JsonNode> entry : given.properties()) {
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
                        throw ArmJson.wrongType(at, "a boolean");
                    }
                }
                case STRING -> {
                    if (!value.isString()) {
                        throw ArmJson.wrongType(at, "a string");
                    }
                    String text = value.stringValue();
                    if (text.length() > 1024 || text.chars().anyMatch(Character::isISOControl)) {
                        throw ArmErrorException.invalidParameter("The value of '" + at + "' is not valid: it must have "
                                + "at most 1024 characters and no control characters.", at);
                    }
                    Set<String> allowed = ENUMS.get(entry.getKey());
                    if (allowed != null && !allowed.contains(text)) {
                        throw ArmErrorException.invalidParameter("The value '" + Sites.printable(text) + "' of '" + at
                                + "' is not valid. Allowed values: " + String.join(", ", allowed.stream().sorted()
                                .toList()) + ".", at);
                    }
                    if (entry.getKey().equals("healthCheckPath") && !text.isEmpty() && !text.startsWith("/")) {
                        throw ArmErrorException.invalidParameter("The value '" + Sites.printable(text) + "' of '" + at
                                + "' is not valid: a health check path starts with '/'.", at);
                    }
                }
                case INTEGER -> ArmJson.integer(given, entry.getKey(), at, 0, Integer.MAX_VALUE);
                case STRING_LIST -> {
                    if (!value.isArray()) {
                        throw ArmJson.wrongType(at, "an array of strings");
                    }
                    for (JsonNode item : value) {
                        if (!item.isString()) {
                            throw ArmJson.wrongType(at, "an array of strings");
                        }
                    }
                }
            }
            result.set(entry.getKey(), value);
        }
        return result;
    }

    /** The stack a configuration names, lower case ({@code java}, {@code node}, …), or null when it names none. */
    static String stackOf(JsonNode config) {
        String fx = text(config, "linuxFxVersion");
        if (fx != null && !fx.isBlank()) {
            int bar = fx.indexOf('|');
            return (bar < 0 ? fx : fx.substring(0, bar)).trim().toLowerCase(Locale.ROOT);
        }
        if (text(config, "javaVersion") != null && !text(config, "javaVersion").isBlank()) {
            return "java";
        }
        if (text(config, "nodeVersion") != null && !text(config, "nodeVersion").isBlank()) {
            return "node";
        }
        if (text(config, "pythonVersion") != null && !text(config, "pythonVersion").isBlank()) {
            return "python";
        }
        return null;
    }

    static String text(JsonNode config, String name) {
        JsonNode v = config == null ? null : config.get(name);
        return v == null || v.isNull() ? null : v.asString();
    }
}
