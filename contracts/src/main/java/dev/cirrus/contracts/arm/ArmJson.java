package dev.cirrus.contracts.arm;

import java.math.BigDecimal;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reading ARM request bodies so that every refusal names the property it is about ({@code target}, a JSON path such
 * as {@code properties.storageProfile.dataDisks[0].lun}) and says what is wrong with it:
 * <ul>
 *   <li>a value of the wrong JSON type: 400 {@code InvalidRequestContent};</li>
 *   <li>a number outside what the property takes (a count of {@code 99999999999999999999999}, an amount of
 *       {@code 1e400}): 400 {@code InvalidParameter} saying "out of range" — it is well-formed JSON;</li>
 *   <li>text that is not JSON, content after the value, nesting deeper than the parser allows: 400
 *       {@code InvalidRequestContent} with the line and column.</li>
 * </ul>
 * Field access works on a parsed tree: absent and JSON {@code null} are "not given", anything else must have the
 * right type. {@link #describe} turns the parser's and the binder's exceptions into the same errors, for bodies bound
 * to records.
 */
public final class ArmJson {

    private ArmJson() {
    }

    private static JsonNode field(JsonNode parent, String name) {
        JsonNode v = parent == null ? null : parent.get(name);
        return v == null || v.isNull() ? null : v;
    }

    /** The body itself must be a JSON object. */
    public static ObjectNode requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ArmErrorException.invalidContent("the body must be a JSON object.", null);
        }
        return (ObjectNode) body;
    }

    public static String string(JsonNode parent, String name, String path) {
        JsonNode v = field(parent, name);
        if (v == null) {
            return null;
        }
        if (!v.isString()) {
            throw wrongType(path, "a string");
        }
        return v.stringValue();
    }

    /** A string of at most {@code maxLength} characters without control characters (an identifier, a name). */
    public static String plainString(JsonNode parent, String name, String path, int maxLength) {
        String v = string(parent, name, path);
        if (v != null && (v.length() > maxLength || v.chars().anyMatch(Character::isISOControl))) {
            throw ArmErrorException.invalidParameter("The value of '" + path + "' is not valid: it must have at most "
                    + maxLength + " characters and no control characters.", path);
        }
        return v;
    }

    public static ObjectNode object(JsonNode parent, String name, String path) {
        JsonNode v = field(parent, name);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw wrongType(path, "an object");
        }
        return (ObjectNode) v;
    }

    public static JsonNode array(JsonNode parent, String name, String path) {
        JsonNode v = field(parent, name);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw wrongType(path, "an array");
        }
        return v;
    }

    public static Boolean bool(JsonNode parent, String name, String path) {
        JsonNode v = field(parent, name);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw wrongType(path, "a boolean");
        }
        return v.booleanValue();
    }

    /** A whole number from {@code min} to {@code max}; a larger or smaller one is "out of range". */
    public static Integer integer(JsonNode parent, String name, String path, int min, int max) {
        Long n = longValue(parent, name, path, min, max);
        return n == null ? null : n.intValue();
    }

    /** A whole number from {@code min} to {@code max}; a larger or smaller one is "out of range". */
    public static Long longValue(JsonNode parent, String name, String path, long min, long max) {
        JsonNode v = field(parent, name);
        if (v == null) {
            return null;
        }
        if (!v.isNumber()) {
            throw wrongType(path, "a whole number");
        }
        BigDecimal n = exact(v, path, String.valueOf(min), String.valueOf(max));
        if (n.signum() != 0 && n.stripTrailingZeros().scale() > 0) {
            throw wrongType(path, "a whole number");
        }
        if (n.compareTo(BigDecimal.valueOf(min)) < 0 || n.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw outOfRange(path, shown(n), String.valueOf(min), String.valueOf(max));
        }
        return n.longValueExact();
    }

    /**
     * A decimal number from {@code min} to {@code max}, exact (never a double: {@code 1e400} is out of range, not
     * infinity, and {@code 0.1} stays 0.1).
     */
    public static BigDecimal decimal(JsonNode parent, String name, String path, BigDecimal min, BigDecimal max) {
        JsonNode v = field(parent, name);
        if (v == null) {
            return null;
        }
        if (!v.isNumber()) {
            throw wrongType(path, "a number");
        }
        return checkRange(exact(v, path, min == null ? null : min.toPlainString(),
                max == null ? null : max.toPlainString()), path, min, max);
    }

    /** A number node's exact value; a double that overflowed to infinity (e.g. {@code 1e400}) is out of range. */
    private static BigDecimal exact(JsonNode v, String path, String min, String max) {
        if (v.isFloatingPointNumber() && !v.isBigDecimal() && !Double.isFinite(v.doubleValue())) {
            throw outOfRange(path, "beyond any finite number", min, max);
        }
        return v.decimalValue();
    }

    /** {@code value} within {@code min} to {@code max} (either bound null: open), or 400 "out of range". */
    public static BigDecimal checkRange(BigDecimal value, String path, BigDecimal min, BigDecimal max) {
        if (value == null) {
            return null;
        }
        if ((min != null && value.compareTo(min) < 0) || (max != null && value.compareTo(max) > 0)) {
            throw outOfRange(path, shown(value), min == null ? null : min.toPlainString(),
                    max == null ? null : max.toPlainString());
        }
        return value;
    }

    /** A string from a fixed set, matched case-insensitively and returned in its canonical casing. */
    public static String oneOf(JsonNode parent, String name, String path, String... allowed) {
        String v = string(parent, name, path);
        if (v == null) {
            return null;
        }
        for (String a : allowed) {
            if (a.equalsIgnoreCase(v)) {
                return a;
            }
        }
        throw ArmErrorException.invalidParameter("The value '" + ArmTags.printable(shortened(v)) + "' of '" + path
                + "' is not valid. Allowed values: " + String.join(", ", allowed) + ".", path);
    }

    public static ArmErrorException wrongType(String path, String expected) {
        return ArmErrorException.invalidContent("property '" + path + "' must be " + expected + ".", path);
    }

    public static ArmErrorException missing(String parameter, String path) {
        return ArmErrorException.invalidParameter("Required parameter '" + parameter + "' is missing (null).", path);
    }

    public static ArmErrorException outOfRange(String path, String value, String min, String max) {
        String range = min != null && max != null ? "between " + min + " and " + max
                : min != null ? "at least " + min : max != null ? "at most " + max : "a finite number";
        return ArmErrorException.invalidParameter("The value " + value + " of '" + path + "' is out of range: it must be "
                + range + ".", path);
    }

    /**
     * The ARM error for a body the JSON parser or the binder refused: out-of-range numbers as such, wrong types and
     * malformed JSON as {@code InvalidRequestContent}; the target is the JSON path where one is known.
     */
    public static ArmError describe(JacksonException e) {
        String path = path(e);
        String target = path.isEmpty() ? null : path;
        InputCoercionException coercion = find(e, InputCoercionException.class);
        if (coercion != null) {
            return new ArmError("InvalidParameter", "The value of '" + (target == null ? "the body" : target)
                    + "' is out of range: it does not fit a " + typeName(coercion.getTargetType()) + ".", target);
        }
        StreamConstraintsException limit = find(e, StreamConstraintsException.class);
        if (limit != null) {
            String what = limit.getMessage() == null ? "" : limit.getMessage().toLowerCase(java.util.Locale.ROOT);
            if (what.contains("number")) {
                return new ArmError("InvalidParameter", "The value of '" + (target == null ? "the body" : target)
                        + "' is out of range: the number has too many digits.", target);
            }
            return new ArmError("InvalidRequestContent", "The request content was invalid and could not be "
                    + "deserialized: " + (what.contains("nesting") ? "the JSON is nested too deeply"
                    : what.contains("string") ? "a string is too long" : "the JSON exceeds a size limit")
                    + where(e) + ".", target);
        }
        InvalidFormatException format = find(e, InvalidFormatException.class);
        if (format != null) {
            Class<?> type = format.getTargetType();
            boolean numeric = type != null && (Number.class.isAssignableFrom(type) || type.isPrimitive());
            if (numeric && format.getValue() instanceof Number) {
                return new ArmError("InvalidParameter", "The value of '" + (target == null ? "the body" : target)
                        + "' is out of range: it does not fit a " + typeName(type) + ".", target);
            }
            return wrongTypeError(target, type);
        }
        MismatchedInputException mismatch = find(e, MismatchedInputException.class);
        if (mismatch != null) {
            String message = mismatch.getOriginalMessage() == null ? "" : mismatch.getOriginalMessage();
            if (message.startsWith("Trailing token")) {
                return new ArmError("InvalidRequestContent", "The request content was invalid and could not be "
                        + "deserialized: unexpected content after the JSON value" + where(e) + ".", null);
            }
            if (message.startsWith("Cannot map `null`") && target != null) {
                return new ArmError("InvalidParameter", "Required parameter '" + target + "' is missing (null).",
                        target);
            }
            if (message.startsWith("No content to map")) {
                return new ArmError("InvalidRequestContent",
                        "The request content was invalid and could not be deserialized: the body is missing.", null);
            }
            return wrongTypeError(target, mismatch.getTargetType());
        }
        if (find(e, StreamReadException.class) == null && e instanceof DatabindException) {
            return wrongTypeError(target, null);
        }
        return new ArmError("InvalidRequestContent", "The request content was invalid and could not be deserialized: "
                + "malformed JSON" + where(e) + ".", null);
    }

    private static ArmError wrongTypeError(String target, Class<?> type) {
        String expected = type == null ? null : typeName(type);
        return new ArmError("InvalidRequestContent", "The request content was invalid and could not be deserialized: "
                + (target == null ? "the body has the wrong type" : "property '" + target + "' has the wrong type")
                + (expected == null ? "" : " (expected " + expected + ")") + ".", target);
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "value";
        }
        return switch (type.getSimpleName()) {
            case "int", "Integer" -> "32-bit whole number";
            case "long", "Long" -> "64-bit whole number";
            case "short", "Short", "byte", "Byte" -> "small whole number";
            case "double", "Double", "float", "Float", "BigDecimal" -> "number";
            case "boolean", "Boolean" -> "boolean";
            case "String" -> "string";
            default -> List.class.isAssignableFrom(type) || type.isArray() ? "array" : "object";
        };
    }

    private static String where(JacksonException e) {
        var location = e.getLocation();
        return location == null || location.getLineNr() < 0 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** {@code properties.dataDisks[0].lun}, from the first exception in the chain that knows its path. */
    static String path(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof JacksonException j && j.getPath() != null && !j.getPath().isEmpty()) {
                StringBuilder b = new StringBuilder();
                for (JacksonException.Reference r : j.getPath()) {
                    if (r.getPropertyName() != null) {
                        if (!b.isEmpty()) {
                            b.append('.');
                        }
                        b.append(r.getPropertyName());
                    } else if (r.getIndex() >= 0) {
                        b.append('[').append(r.getIndex()).append(']');
                    }
                }
                return b.toString();
            }
        }
        return "";
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static String shown(BigDecimal n) {
        String s = n.abs().compareTo(new BigDecimal("1e15")) >= 0 || n.scale() > 20 ? n.toString() : n.toPlainString();
        return shortened(s);
    }

    private static String shortened(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
