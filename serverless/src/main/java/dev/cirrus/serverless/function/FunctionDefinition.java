package dev.cirrus.serverless.function;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.cirrus.serverless.functionapp.Keys;

/**
 * A function of an app: its validated function.json, its files, and its keys by name (a new function gets one,
 * {@code default}; {@code …/keys/{name}} adds, replaces or deletes them).
 */
public record FunctionDefinition(String appKey, String name, FunctionConfig config, Map<String, String> files,
                                 Map<String, String> keys) {

    public FunctionDefinition {
        keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }

    public String resourceId(String appResourceId) {
        return appResourceId + "/functions/" + name;
    }

    /** The key named {@code default}, or null when it was deleted. */
    public String functionKey() {
        return keys.get("default");
    }

    public boolean acceptsKey(String key) {
        return keys.values().stream().anyMatch(k -> Keys.same(key, k));
    }

    public FunctionDefinition withKeys(Map<String, String> newKeys) {
        return new FunctionDefinition(appKey, name, config, files, newKeys);
    }
}
