package dev.cirrus.serverless.runtime;

import java.util.Map;

/** The code of an app's functions, by function name. */
public record AppCode(Map<String, FunctionCode> functions) {

    /** @param files file name (relative to the function folder) → content; @param scriptFile the entry file */
    public record FunctionCode(String name, Map<String, String> files, String scriptFile, String entryPoint) {
    }
}
