package dev.cirrus.gateway.resourcegroup;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.cirrus.plumbing.arm.ArmException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads PUT and PATCH bodies of resource groups. Every fault is a 400 that names the offending property: malformed
 * JSON, a body that is not an object, a property of the wrong type, a missing location. Read-only properties a
 * client may echo back ({@code id}, {@code name}, {@code type}, {@code properties}) are ignored, as ARM does.
 */
final class ResourceGroupRequests {

    private final ObjectMapper json;

    ResourceGroupRequests(ObjectMapper json) {
        this.json = json;
    }

    ResourceGroupDefinition definition(byte[] body) {
        JsonNode root = object(body);
        JsonNode location = root.get("location");
        if (location == null || location.isNull() || location.isString() && location.asString().isBlank()) {
            throw ArmException.badRequest("LocationRequired",
                    "The location property is required for this definition.", "location");
        }
        if (!location.isString()) {
            throw wrongType("location", "a string");
        }
        return new ResourceGroupDefinition(location.asString(), tags(root.get("tags")), managedBy(root.get("managedBy")));
    }

    ResourceGroupPatch patch(byte[] body) {
        JsonNode root = object(body);
        JsonNode location = root.get("location");
        if (location != null && !location.isNull() && !location.isString()) {
            throw wrongType("location", "a string");
        }
        JsonNode tags = root.get("tags");
        return new ResourceGroupPatch(
                location == null || location.isNull() ? null : location.asString(),
                tags == null ? null : tags(tags),
                root.has("managedBy"),
                managedBy(root.get("managedBy")));
    }

    /** The body of an exportTemplate POST ({@link ResourceGroupExporter.Request}). */
    ResourceGroupExporter.Request exportRequest(byte[] body) {
        return ResourceGroupExporter.Request.parse(object(body));
    }

    private JsonNode object(byte[] body) {
        if (body == null || body.length == 0) {
            throw ArmException.badRequest("InvalidRequestContent",
                    "The request content was invalid and could not be deserialized: the body is missing.", null);
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw ArmException.badRequest("InvalidRequestContent",
                    "The request content was invalid and could not be deserialized: malformed JSON" + where + ".", null);
        }
        if (root == null || !root.isObject()) {
            throw ArmException.badRequest("InvalidRequestContent",
                    "The request content was invalid and could not be deserialized: the body must be a JSON object.",
                    null);
        }
        return root;
    }

    private static Map<String, String> tags(JsonNode tags) {
        if (tags == null || tags.isNull()) {
            return Map.of();
        }
        if (!tags.isObject()) {
            throw wrongType("tags", "an object of string values");
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> tag : tags.properties()) {
            if (!tag.getValue().isString()) {
                throw wrongType("tags." + tag.getKey(), "a string");
            }
            result.put(tag.getKey(), tag.getValue().asString());
        }
        return result;
    }

    private static String managedBy(JsonNode managedBy) {
        if (managedBy == null || managedBy.isNull()) {
            return null;
        }
        if (!managedBy.isString()) {
            throw wrongType("managedBy", "a string");
        }
        return managedBy.asString();
    }

    private static ArmException wrongType(String property, String expected) {
        return ArmException.badRequest("InvalidRequestContent", "The request content was invalid and could not be "
                + "deserialized: property '" + property + "' must be " + expected + ".", property);
    }
}
