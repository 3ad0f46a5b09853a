package dev.cirrus.serverless.workflow.engine;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * The subset of JSON Schema the Request trigger's {@code schema} and ParseJson's {@code schema} use in practice:
 * {@code type} (one or several), {@code properties}, {@code required}, {@code additionalProperties: false},
 * {@code items}, {@code enum}, {@code minimum}/{@code maximum}, {@code minLength}/{@code maxLength},
 * {@code minItems}/{@code maxItems}. Returns the violations, each with the JSON path it was found at.
 */
public final class JsonSchemas {

    private JsonSchemas() {
    }

    public static List<String> validate(JsonNode schema, JsonNode value) {
        List<String> errors = new ArrayList<>();
        check(schema, value, "", errors);
        return errors;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> errors) {
        if (schema == null || !schema.isObject()) {
            return;
        }
        String where = path.isEmpty() ? "the body" : "'" + path + "'";
        JsonNode type = schema.get("type");
        if (type != null) {
            boolean ok = false;
            List<String> names = new ArrayList<>();
            if (type.isArray()) {
                type.forEach(t -> names.add(t.asString("")));
            } else {
                names.add(type.asString(""));
            }
            for (String t : names) {
                ok |= matches(t, value);
            }
            if (!ok) {
                errors.add("Invalid type. Expected " + String.join(", ", names) + " but got " + typeOf(value)
                        + " at " + where + ".");
                return;
            }
        }
        JsonNode allowed = schema.get("enum");
        if (allowed != null && allowed.isArray()) {
            boolean found = false;
            for (JsonNode a : allowed) {
                found |= a.equals(value);
            }
            if (!found) {
                errors.add("Value " + value + " is not defined in enum at " + where + ".");
            }
        }
        if (value != null && value.isObject()) {
            JsonNode required = schema.get("required");
            if (required != null && required.isArray()) {
                for (JsonNode r : required) {
                    if (!value.has(r.asString(""))) {
                        errors.add("Required properties are missing from object: " + r.asString("") + " at " + where
                                + ".");
                    }
                }
            }
            JsonNode properties = schema.path("properties");
            for (String name : value.propertyNames()) {
                String child = path.isEmpty() ? name : path + "." + name;
                if (properties.has(name)) {
                    check(properties.get(name), value.get(name), child, errors);
                } else if (schema.path("additionalProperties").isBoolean()
                        && !schema.path("additionalProperties").booleanValue()) {
                    errors.add("Property '" + name + "' has not been defined and the schema does not allow "
                            + "additional properties at " + where + ".");
                }
            }
        }
        if (value != null && value.isArray()) {
            if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
                errors.add("Array item count " + value.size() + " is less than minimum count of "
                        + schema.get("minItems").asInt() + " at " + where + ".");
            }
            if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
                errors.add("Array item count " + value.size() + " exceeds maximum count of "
                        + schema.get("maxItems").asInt() + " at " + where + ".");
            }
            JsonNode items = schema.get("items");
            for (int i = 0; i < value.size(); i++) {
                check(items, value.get(i), path + "[" + i + "]", errors);
            }
        }
        if (value != null && value.isString()) {
            int length = value.stringValue().length();
            if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
                errors.add("String is shorter than the minimum length of " + schema.get("minLength").asInt() + " at "
                        + where + ".");
            }
            if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
                errors.add("String exceeds the maximum length of " + schema.get("maxLength").asInt() + " at " + where
                        + ".");
            }
        }
        if (value != null && value.isNumber()) {
            if (schema.has("minimum") && value.doubleValue() < schema.get("minimum").asDouble()) {
                errors.add("Value " + value + " is less than minimum " + schema.get("minimum") + " at " + where + ".");
            }
            if (schema.has("maximum") && value.doubleValue() > schema.get("maximum").asDouble()) {
                errors.add("Value " + value + " exceeds maximum " + schema.get("maximum") + " at " + where + ".");
            }
        }
    }

    private static boolean matches(String type, JsonNode v) {
        boolean isNull = v == null || v.isNull() || v.isMissingNode();
        return switch (type) {
            case "object" -> !isNull && v.isObject();
            case "array" -> !isNull && v.isArray();
            case "string" -> !isNull && v.isString();
            case "integer" -> !isNull && (v.isIntegralNumber() || v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()));
            case "number" -> !isNull && v.isNumber();
            case "boolean" -> !isNull && v.isBoolean();
            case "null" -> isNull;
            default -> true;
        };
    }

    private static String typeOf(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "Null";
        }
        if (v.isObject()) {
            return "Object";
        }
        if (v.isArray()) {
            return "Array";
        }
        if (v.isString()) {
            return "String";
        }
        if (v.isIntegralNumber()) {
            return "Integer";
        }
        if (v.isNumber()) {
            return "Float";
        }
        return "Boolean";
    }
}
