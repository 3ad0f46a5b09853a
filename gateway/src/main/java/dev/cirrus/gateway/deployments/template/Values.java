package dev.cirrus.gateway.deployments.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The template language's values as plain Java: {@code null}, {@link String}, {@link Long}, {@link Double},
 * {@link Boolean}, {@link List} (array) and {@link Map} with {@link String} keys in insertion order (object).
 * Object property names are matched case-insensitively, as ARM does.
 */
public final class Values {

    private Values() {
    }

    /** ARM's name of a value's type, as its error messages use it. */
    public static String typeName(Object value) {
        if (value == null) {
            return "Null";
        }
        if (value instanceof String) {
            return "String";
        }
        if (value instanceof Long || value instanceof Integer) {
            return "Integer";
        }
        if (value instanceof Number) {
            return "Float";
        }
        if (value instanceof Boolean) {
            return "Boolean";
        }
        if (value instanceof List) {
            return "Array";
        }
        if (value instanceof Map) {
            return "Object";
        }
        return "Lambda";
    }

    /** Turns what a JSON reader gives (Integer, BigInteger, nested collections) into this model. */
    @SuppressWarnings("unchecked")
    public static Object normalize(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof java.math.BigInteger big) {
            return big.bitLength() < 64 ? big.longValue() : big.doubleValue();
        }
        if (value instanceof java.math.BigDecimal decimal) {
            return decimal.doubleValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(normalize(item)));
            return copy;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((key, item) -> copy.put(key, normalize(item)));
            return copy;
        }
        return value;
    }

    /** The value of an object's property, the name matched case-insensitively; {@code null} when absent. */
    public static Object property(Map<String, Object> object, String name) {
        if (object.containsKey(name)) {
            return object.get(name);
        }
        for (Map.Entry<String, Object> entry : object.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    public static boolean hasProperty(Map<String, Object> object, String name) {
        return object.keySet().stream().anyMatch(key -> key.equalsIgnoreCase(name));
    }

    /** Deep equality: strings case-sensitively, integers and floats by numeric value. */
    public static boolean deepEquals(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!deepEquals(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> entry : x.entrySet()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> other = (Map<String, Object>) y;
                if (!hasProperty(other, (String) entry.getKey())
                        || !deepEquals(entry.getValue(), property(other, (String) entry.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    /** How ARM writes a value into a string: .NET's {@code True}/{@code False}, compact JSON for collections. */
    public static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof Double d) {
            return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString(d.longValue()) : d.toString();
        }
        if (value instanceof Number n) {
            return Long.toString(n.longValue());
        }
        return json(value);
    }

    /** Compact JSON, as {@code string()} of an object or array gives. */
    public static String json(Object value) {
        StringBuilder out = new StringBuilder();
        writeJson(value, out);
        return out.toString();
    }

    private static void writeJson(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            out.append('"');
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        } else if (value instanceof Boolean b) {
            out.append(b);
        } else if (value instanceof Number) {
            out.append(text(value));
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                writeJson(list.get(i), out);
            }
            out.append(']');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeJson(entry.getKey().toString(), out);
                out.append(':');
                writeJson(entry.getValue(), out);
            }
            out.append('}');
        } else {
            throw TemplateException.invalid("A lambda expression cannot be converted to a value.");
        }
    }

    /** Copies a value deeply, so evaluated templates never share mutable state with their inputs. */
    public static Object copy(Object value) {
        return normalize(value);
    }
}
