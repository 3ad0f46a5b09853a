package dev.cirrus.serverless.functionapp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

import dev.cirrus.plumbing.arm.ArmException;
import tools.jackson.databind.JsonNode;

/**
 * Function and host keys: new values, the names and values a user may set ({@code PUT …/keys/{name}} with
 * {@code {name, value}}, the KeyInfo shape of the SDKs), and comparison in constant time.
 */
public final class Keys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_=-]{32,128}");
    /** The key listing ({@code listkeys}) shows the keys beside {@code properties}; that name is kept for it. */
    static final String RESERVED = "properties";

    private Keys() {
    }

    public static String newKey() {
        byte[] bytes = new byte[30];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static boolean same(String given, String expected) {
        return given != null && expected != null
                && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    /** The key name of the path, checked: 1-128 letters, digits, {@code _ . -}; not {@value #RESERVED}. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.equalsIgnoreCase(RESERVED)) {
            throw ArmException.badRequest("InvalidKeyName", "The key name '" + name + "' is not valid: use 1-128 "
                    + "letters, digits, '_', '.' or '-' (and not '" + RESERVED + "').", "name");
        }
        return name;
    }

    /**
     * The value of a key PUT: {@code value} of the body (or {@code properties.value}), or a new key when there is
     * none; a given value must be 32-128 letters, digits, {@code _ = -}. A {@code name} in the body must be the
     * path's.
     */
    public static String valueOf(JsonNode body, String pathName) {
        JsonNode info = body != null && body.path("properties").isObject() ? body.get("properties") : body;
        if (info != null && !info.isNull() && !info.isMissingNode() && !info.isObject()) {
            throw ArmException.badRequest("InvalidRequestContent", "The body must be {\"name\": …, \"value\": …}", null);
        }
        JsonNode name = info == null ? null : info.get("name");
        if (name != null && !name.isNull() && !(name.isString() && name.asString().equals(pathName))) {
            throw ArmException.invalidParameter("The key name in the body must be the one in the path ('" + pathName + "')",
                    "name");
        }
        JsonNode value = info == null ? null : info.get("value");
        if (value == null || value.isNull()) {
            return newKey();
        }
        if (!value.isString() || !VALUE.matcher(value.asString()).matches()) {
            throw ArmException.invalidParameter("A key value must be 32-128 letters, digits, '_', '=' or '-'", "value");
        }
        return value.asString();
    }
}
