package dev.cirrus.gateway.resourcegroup;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.cirrus.plumbing.arm.ArmException;

/**
 * ARM's tag limits: at most 50 tags; names of 1 to 512 characters without {@code < > % & \ ? /} or control
 * characters; values of at most 256 characters.
 */
final class Tags {

    static final int MAX_TAGS = 50;
    static final int MAX_NAME = 512;
    static final int MAX_VALUE = 256;

    private Tags() {
    }

    /** Returns the tags unchanged (as an ordered, unmodifiable map) or refuses them with a 400. */
    static Map<String, String> check(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw ArmException.badRequest("InvalidTag",
                    "A resource can have at most " + MAX_TAGS + " tags; " + tags.size() + " were given.", "tags");
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            String name = tag.getKey();
            if (name.isBlank() || name.length() > MAX_NAME) {
                throw ArmException.badRequest("InvalidTag", "The tag name '" + name
                        + "' is invalid: a tag name has 1 to " + MAX_NAME + " characters.", "tags");
            }
            if (name.chars().anyMatch(c -> "<>%&\\?/".indexOf(c) >= 0 || Character.isISOControl(c))) {
                throw ArmException.badRequest("InvalidTagNameCharacters", "The tag name '" + name
                        + "' has reserved characters '<,>,%,&,\\,?,/' or control characters.", "tags");
            }
            String value = tag.getValue();
            if (value == null || value.length() > MAX_VALUE) {
                throw ArmException.badRequest("InvalidTag", "The value of tag '" + name
                        + "' is invalid: a tag value is a string of at most " + MAX_VALUE + " characters.",
                        "tags." + name);
            }
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }
}
