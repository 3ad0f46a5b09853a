package dev.cirrus.serverless.workflow.expression;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** The conversions every function shares: JSON values to Java types and back, with the language's error messages. */
final class Values {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final JsonMapper JSON = JsonMapper.builder().build();

    private Values() {
    }

    static JsonNode of(String s) {
        return s == null ? NODES.nullNode() : NODES.stringNode(s);
    }

    static JsonNode of(long n) {
        return NODES.numberNode(n);
    }

    static JsonNode of(double d) {
        return NODES.numberNode(d);
    }

    static JsonNode of(boolean b) {
        return NODES.booleanNode(b);
    }

    static boolean isNull(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode();
    }

    static String typeName(JsonNode v) {
        if (isNull(v)) {
            return "Null";
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
        if (v.isBoolean()) {
            return "Boolean";
        }
        if (v.isArray()) {
            return "Array";
        }
        return "Object";
    }

    static ExpressionException argument(String function, int index, JsonNode given, String expected) {
        return new ExpressionException(ExpressionException.Kind.ARGUMENT, "The template language function '"
                + function + "' expects its parameter " + ordinal(index) + " to be " + expected
                + ". The provided value is of type '" + typeName(given) + "'.");
    }

    static ExpressionException invalid(String function, String why) {
        return new ExpressionException(ExpressionException.Kind.ARGUMENT, "The template language function '"
                + function + "' " + why);
    }

    static String ordinal(int index) {
        return switch (index) {
            case 0 -> "'1'";
            case 1 -> "'2'";
            case 2 -> "'3'";
            default -> "'" + (index + 1) + "'";
        };
    }

    static String string(String function, int index, JsonNode v) {
        if (v == null || !v.isString()) {
            throw argument(function, index, v, "a string");
        }
        return v.stringValue();
    }

    static long integer(String function, int index, JsonNode v) {
        if (v != null && v.isIntegralNumber()) {
            return v.longValue();
        }
        if (v != null && v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue())) {
            return (long) v.doubleValue();
        }
        throw argument(function, index, v, "an integer");
    }

    static JsonNode number(String function, int index, JsonNode v) {
        if (v == null || !v.isNumber()) {
            throw argument(function, index, v, "an integer or a decimal number");
        }
        return v;
    }

    static boolean bool(String function, int index, JsonNode v) {
        if (v == null || !v.isBoolean()) {
            throw argument(function, index, v, "a boolean");
        }
        return v.booleanValue();
    }

    static JsonNode array(String function, int index, JsonNode v) {
        if (v == null || !v.isArray()) {
            throw argument(function, index, v, "an array");
        }
        return v;
    }

    static JsonNode object(String function, int index, JsonNode v) {
        if (v == null || !v.isObject()) {
            throw argument(function, index, v, "an object");
        }
        return v;
    }

    /** A value as text the way string interpolation and {@code string()} write it. */
    static String text(JsonNode v) {
        if (isNull(v)) {
            return "";
        }
        if (v.isString()) {
            return v.stringValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? "True" : "False";
        }
        if (v.isIntegralNumber()) {
            return v.bigIntegerValue().toString();
        }
        if (v.isNumber()) {
            return decimalText(v.doubleValue());
        }
        return JSON.writeValueAsString(v);
    }

    static String decimalText(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Double.toString(d);
        }
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        return exact.scale() <= 0 ? exact.toBigInteger().toString() : exact.toPlainString();
    }

    /** Deep equality with numbers compared by value (1 equals 1.0) and strings exactly. */
    static boolean same(JsonNode a, JsonNode b) {
        if (isNull(a) || isNull(b)) {
            return isNull(a) && isNull(b);
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> it = a.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!b.has(e.getKey()) || !same(e.getValue(), b.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}
