package dev.cirrus.serverless.function;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import dev.cirrus.plumbing.arm.ArmException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A zip deploy package, read and checked: {@code host.json} at the root and one folder per function holding its
 * {@code function.json} and files (a folder without function.json, e.g. {@code lib/}, is shared code and ignored;
 * files at the root other than host.json are ignored too). Every problem is a 400 naming it: {@code InvalidZip}
 * (not a zip, no host.json, an entry leaving the package or over 4 MB, more than 1000 entries, JSON that does not
 * parse), {@code InvalidFunctionConfig} (a function.json, with the binding at fault, or a missing script file).
 *
 * @param hostJson  the parsed host.json (checked against the plan by the caller)
 * @param functions the functions, in package order
 */
public record ZipPackage(JsonNode hostJson, List<Function> functions) {

    /** One function folder: its validated function.json and its files (paths relative to the folder). */
    public record Function(String name, FunctionConfig config, Map<String, String> files) {
    }

    static final long MAX_ENTRY_BYTES = 4L * 1024 * 1024;
    static final int MAX_ENTRIES = 1000;

    public static ZipPackage read(byte[] zip, ObjectMapper json) {
        if (zip == null || zip.length == 0) {
            throw ArmException.badRequest("InvalidZip", "the body is empty: send the zip package as the request body", null);
        }
        Map<String, Map<String, String>> folders = new LinkedHashMap<>();
        JsonNode hostJson = null;
        int count = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (++count > MAX_ENTRIES) {
                    throw ArmException.badRequest("InvalidZip", "the package has more than " + MAX_ENTRIES + " entries", null);
                }
                if (entry.isDirectory()) {
                    continue;
                }
                String name = entry.getName().replace('\\', '/');
                if (name.startsWith("/") || name.matches("^[A-Za-z]:.*") || ("/" + name + "/").contains("/../")) {
                    throw ArmException.badRequest("InvalidZip", "the entry '" + name + "' leaves the package", name);
                }
                name = FilePaths.check(name, "InvalidZip", name);
                byte[] content = in.readNBytes((int) MAX_ENTRY_BYTES + 1);
                if (content.length > MAX_ENTRY_BYTES) {
                    throw ArmException.badRequest("InvalidZip", "the entry '" + name + "' is larger than 4 MB", name);
                }
                String text = new String(content, StandardCharsets.UTF_8);
                if (name.equals("host.json")) {
                    hostJson = readJson(json, text, "host.json");
                } else if (name.contains("/")) {
                    String folder = name.substring(0, name.indexOf('/'));
                    folders.computeIfAbsent(folder, f -> new LinkedHashMap<>()).put(name.substring(folder.length() + 1), text);
                }
            }
        } catch (IOException e) {
            throw ArmException.badRequest("InvalidZip", "the body is not a readable zip package: " + e.getMessage(), null);
        }
        if (count == 0) {
            throw ArmException.badRequest("InvalidZip", "the body is not a zip package (no entries could be read)", null);
        }
        if (hostJson == null) {
            String hint = folders.size() == 1 ? " (the package has one top-level folder '" + folders.keySet().iterator().next()
                    + "': zip the folder's contents, not the folder)" : "";
            throw ArmException.badRequest("InvalidZip", "the package has no host.json at its root" + hint, "host.json");
        }
        if (!hostJson.isObject()) {
            throw ArmException.badRequest("InvalidHostJson", "host.json must be a JSON object", "host.json");
        }
        List<Function> functions = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> folder : folders.entrySet()) {
            Map<String, String> files = new LinkedHashMap<>(folder.getValue());
            String configText = files.remove("function.json");
            if (configText == null) {
                continue;
            }
            String fn = folder.getKey();
            if (!FunctionController.VALID_NAME.matcher(fn).matches()) {
                throw ArmException.badRequest("InvalidZip", "the folder '" + fn + "' is not a function name: it must start"
                        + " with a letter and hold only letters, digits, '_' and '-'", fn);
            }
            FunctionConfig config;
            try {
                config = FunctionConfig.parse(readJson(json, configText, fn + "/function.json"));
            } catch (ArmException e) {
                if (!e.error().code().equals("InvalidFunctionConfig")) {
                    throw e;
                }
                String target = e.error().target() == null ? fn + "/function.json"
                        : e.error().target().replace("properties.config", fn + "/function.json");
                throw ArmException.badRequest("InvalidFunctionConfig", fn + "/function.json: " + e.error().message(), target);
            }
            if (!files.containsKey(config.scriptFile())) {
                throw ArmException.badRequest("InvalidFunctionConfig", fn + ": the script file '" + config.scriptFile()
                        + "' is not in the package", fn + "/" + config.scriptFile());
            }
            functions.add(new Function(fn, config, files));
        }
        return new ZipPackage(hostJson, List.copyOf(functions));
    }

    private static JsonNode readJson(ObjectMapper json, String text, String what) {
        try {
            return json.readTree(text);
        } catch (RuntimeException e) {
            throw ArmException.badRequest("InvalidZip", what + " is not valid JSON", what);
        }
    }
}
