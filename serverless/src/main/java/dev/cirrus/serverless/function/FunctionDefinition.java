package dev.cirrus.serverless.function;

import java.util.Map;

/** A function of an app: its validated function.json, its files, and its function key. */
public record FunctionDefinition(String appKey, String name, FunctionConfig config, Map<String, String> files,
                                 String functionKey) {

    public String resourceId(String appResourceId) {
        return appResourceId + "/functions/" + name;
    }
}
