package dev.cirrus.contracts.arm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * ARM's tag rules, the same for every resource and resource group: at most {@value #MAX_TAGS} tags; names of 1 to
 * {@value #MAX_NAME} characters without {@code < > % & \ ? /} or control characters; values strings of at most
 * {@value #MAX_VALUE} characters. Limits refuse with 400 {@code InvalidTag}, reserved characters with 400
 * {@code InvalidTagNameCharacters} (ARM's own code for them), a tag value that is not a string with 400
 * {@code InvalidRequestContent} naming the tag.
 */
public final class ArmTags {

    public static final int MAX_TAGS = 50;
    public static final int MAX_NAME = 512;
    public static final int MAX_VALUE = 256;
    private static final String RESERVED = "<>%&\\?/";

    private ArmTags() {
    }

    /** Returns the tags unchanged (ordered, unmodifiable) or refuses them. */
    public static Map<String, String> check(Map<String, String> tags) {
        if (tags == null) {
            return Map.of();
        }
        if (tags.size() > MAX_TAGS) {
            throw ArmErrorException.badRequest("InvalidTag",
                    "A resource can have at most " + MAX_TAGS + " tags; " + tags.size() + " were given.", "tags");
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            String name = tag.getKey();
            if (name == null || name.isBlank() || name.length() > MAX_NAME) {
                throw ArmErrorException.badRequest("InvalidTag", "The tag name '" + printable(name)
                        + "' is invalid: a tag name has 1 to " + MAX_NAME + " characters.", "tags");
            }
            if (name.chars().anyMatch(c -> RESERVED.indexOf(c) >= 0 || Character.isISOControl(c))) {
                throw ArmErrorException.badRequest("InvalidTagNameCharacters", "The tag name '" + printable(name)
                        + "' has reserved characters '<,>,%,&,\\,?,/' or control characters.", "tags");
            }
            String value = tag.getValue();
            if (value == null || value.length() > MAX_VALUE) {
                throw ArmErrorException.badRequest("InvalidTag", "The value of tag '" + printable(name)
                        + "' is invalid: a tag value is a string of at most " + MAX_VALUE + " characters.",
                        "tags." + printable(name));
            }
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /**
     * Reads and checks the {@code tags} member of a request body: absent or null is no tags; anything but an object
     * of strings is refused with the offending tag as target.
     */
    public static Map<String, String> read(JsonNode body) {
        JsonNode tags = ArmJson.object(body, "tags", "tags");
        Map<String, String> map = new LinkedHashMap<>();
        if (tags == null) {
            return Collections.unmodifiableMap(map);
        }
        for (var entry : tags.properties()) {
            if (!entry.getValue().isString()) {
                throw ArmJson.wrongType("tags." + printable(entry.getKey()), "a string");
            }
            map.put(entry.getKey(), entry.getValue().stringValue());
        }
        return check(map);
    }

    /** A name shown in a message: control characters as {@code \\uXXXX}, so the message stays one readable line. */
    static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), 600));
        s.codePoints().limit(600).forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
