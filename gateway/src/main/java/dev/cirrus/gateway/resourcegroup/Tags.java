package dev.cirrus.gateway.resourcegroup;

import java.util.Map;

import dev.cirrus.contracts.arm.ArmTags;

/**
 * A resource group's tags follow the same rules as every resource's: {@link ArmTags} (at most 50 tags; names of 1 to
 * 512 characters without {@code < > % & \ ? /} or control characters; values of at most 256 characters).
 */
final class Tags {

    private Tags() {
    }

    /** Returns the tags unchanged (as an ordered, unmodifiable map) or refuses them with a 400. */
    static Map<String, String> check(Map<String, String> tags) {
        return ArmTags.check(tags);
    }
}
