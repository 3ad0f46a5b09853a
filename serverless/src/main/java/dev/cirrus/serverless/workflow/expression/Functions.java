package dev.cirrus.serverless.workflow.expression;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The functions of the expression language, by name (case-insensitive): string, collection, logical, conversion,
 * math, date and time, URI, object manipulation and workflow functions, with their arity and the semantics of the
 * Workflow Definition Language's function reference. Arguments are evaluated before the call.
 */
final class Functions {

    /** One function: its argument count range and its body. */
    record Function(String name, int min, int max, Body body) {
    }

    @FunctionalInterface
    interface Body {
        JsonNode apply(List<JsonNode> args, Scope scope);
    }

    private static final Map<String, Function> ALL = new HashMap<>();
    private static final int MANY = Integer.MAX_VALUE;

    private Functions() {
    }

    static void check(String name, int count) {
        Function f = ALL.get(name.toLowerCase(Locale.ROOT));
        if (f == null) {
            throw new ExpressionException(ExpressionException.Kind.UNKNOWN_FUNCTION, "The template language function '"
                    + name + "' is not defined or not valid.");
        }
        if (count < f.min() || count > f.max()) {
            String expected = f.min() == f.max() ? (f.min() == 0 ? "no parameters" : "exactly " + f.min()
                    + " parameter" + (f.min() == 1 ? "" : "s"))
                    : f.max() == MANY ? "at least " + f.min() + " parameter" + (f.min() == 1 ? "" : "s")
                    : "between " + f.min() + " and " + f.max() + " parameters";
            throw new ExpressionException(ExpressionException.Kind.ARITY, "The template language function '" + name
                    + "' must have " + expected + ".");
        }
    }

    static JsonNode call(String name, List<JsonNode> args, Scope scope) {
        check(name, args.size());
        return ALL.get(name.toLowerCase(Locale.ROOT)).body().apply(args, scope);
    }

    private static void def(String name, int min, int max, Body body) {
        ALL.put(name.toLowerCase(Locale.ROOT), new Function(name, min, max, body));
    }

    static {
        strings();
        collections();
        logic();
        conversions();
        math();
        dates();
        uris();
        objects();
        workflow();
    }

    // ---------------------------------------------------------------- string functions

    private static void strings() {
        def("concat", 1, MANY, (a, s) -> {
            StringBuilder out = new StringBuilder();
            a.forEach(v -> out.append(Values.text(v)));
            return Values.of(out.toString());
        });
        def("substring", 2, 3, (a, s) -> {
            String text = Values.string("substring", 0, a.get(0));
            long start = Values.integer("substring", 1, a.get(1));
            long length = a.size() > 2 ? Values.integer("substring", 2, a.get(2)) : text.length() - start;
            if (start < 0 || length < 0 || start + length > text.length()) {
                throw Values.invalid("substring", "parameters are out of range: 'start index' and 'length' must be "
                        + "non-negative integers and their sum must be no larger than the length of the string.");
            }
            return Values.of(text.substring((int) start, (int) (start + length)));
        });
        def("slice", 2, 3, (a, s) -> {
            String text = Values.string("slice", 0, a.get(0));
            int n = text.length();
            long start = Values.integer("slice", 1, a.get(1));
            long end = a.size() > 2 ? Values.integer("slice", 2, a.get(2)) : n;
            start = start < 0 ? Math.max(0, n + start) : Math.min(start, n);
            end = end < 0 ? Math.max(0, n + end) : Math.min(end, n);
            return Values.of(start >= end ? "" : text.substring((int) start, (int) end));
        });
        def("replace", 3, 3, (a, s) -> {
            String text = Values.string("replace", 0, a.get(0));
            String old = Values.string("replace", 1, a.get(1));
            if (old.isEmpty()) {
                throw Values.invalid("replace", "expects its second parameter 'old string' to be a non-empty string.");
            }
            return Values.of(text.replace(old, Values.string("replace", 2, a.get(2))));
        });
        def("toLower", 1, 1, (a, s) -> Values.of(Values.string("toLower", 0, a.get(0)).toLowerCase(Locale.ROOT)));
        def("toUpper", 1, 1, (a, s) -> Values.of(Values.string("toUpper", 0, a.get(0)).toUpperCase(Locale.ROOT)));
        def("trim", 1, 1, (a, s) -> Values.of(Values.string("trim", 0, a.get(0)).strip()));
        def("indexOf", 2, 2, (a, s) -> Values.of((long) lower("indexOf", a, 0).indexOf(lower("indexOf", a, 1))));
        def("lastIndexOf", 2, 2, (a, s) -> {
            String text = lower("lastIndexOf", a, 0);
            String find = lower("lastIndexOf", a, 1);
            return Values.of((long) (find.isEmpty() ? text.length() - 1 : text.lastIndexOf(find)));
        });
        def("nthIndexOf", 3, 3, (a, s) -> {
            String text = Values.string("nthIndexOf", 0, a.get(0));
            String find = Values.string("nthIndexOf", 1, a.get(1));
            long nth = Values.integer("nthIndexOf", 2, a.get(2));
            if (nth == 0) {
                throw Values.invalid("nthIndexOf", "expects its third parameter 'occurrence' to be a non-zero integer.");
            }
            int at = nth > 0 ? -1 : text.length() + 1;
            for (long i = 0; i < Math.abs(nth); i++) {
                at = nth > 0 ? text.indexOf(find, at + 1) : text.lastIndexOf(find, at - 1);
                if (at < 0) {
                    return Values.of(-1L);
                }
            }
            return Values.of((long) at);
        });
        def("startsWith", 2, 2, (a, s) -> Values.of(lower("startsWith", a, 0).startsWith(lower("startsWith", a, 1))));
        def("endsWith", 2, 2, (a, s) -> Values.of(lower("endsWith", a, 0).endsWith(lower("endsWith", a, 1))));
        def("split", 2, 2, (a, s) -> {
            String text = Values.string("split", 0, a.get(0));
            String separator = Values.string("split", 1, a.get(1));
            ArrayNode out = Values.NODES.arrayNode();
            if (separator.isEmpty()) {
                out.add(text);
                return out;
            }
            int from = 0;
            int at;
            while ((at = text.indexOf(separator, from)) >= 0) {
                out.add(text.substring(from, at));
                from = at + separator.length();
            }
            out.add(text.substring(from));
            return out;
        });
        def("guid", 0, 1, (a, s) -> {
            String format = a.isEmpty() ? "D" : Values.string("guid", 0, a.get(0));
            String g = UUID.randomUUID().toString();
            return Values.of(switch (format) {
                case "N", "n" -> g.replace("-", "");
                case "D", "d" -> g;
                case "B", "b" -> "{" + g + "}";
                case "P", "p" -> "(" + g + ")";
                default -> throw Values.invalid("guid", "was invoked with a format '" + format + "' that is not "
                        + "valid: use N, D, B or P.");
            });
        });
        def("chunk", 2, 2, (a, s) -> {
            long size = Values.integer("chunk", 1, a.get(1));
            if (size <= 0) {
                throw Values.invalid("chunk", "expects its second parameter 'length' to be a positive integer.");
            }
            ArrayNode out = Values.NODES.arrayNode();
            JsonNode v = a.get(0);
            if (v != null && v.isString()) {
                String text = v.stringValue();
                for (int i = 0; i < text.length(); i += (int) size) {
                    out.add(text.substring(i, (int) Math.min(text.length(), i + size)));
                }
                return out;
            }
            JsonNode array = Values.array("chunk", 0, v);
            ArrayNode chunk = null;
            for (int i = 0; i < array.size(); i++) {
                if (i % size == 0) {
                    chunk = out.addArray();
                }
                chunk.add(array.get(i));
            }
            return out;
        });
        def("formatNumber", 2, 3, (a, s) -> {
            JsonNode n = Values.number("formatNumber", 0, a.get(0));
            String format = Values.string("formatNumber", 1, a.get(1));
            return Values.of(NumberFormats.format(n, format));
        });
        def("isInt", 1, 1, (a, s) -> {
            try {
                Long.parseLong(Values.string("isInt", 0, a.get(0)).strip());
                return Values.of(true);
            } catch (NumberFormatException e) {
                return Values.of(false);
            }
        });
        def("isFloat", 1, 1, (a, s) -> {
            try {
                Double.parseDouble(Values.string("isFloat", 0, a.get(0)).strip());
                return Values.of(true);
            } catch (NumberFormatException e) {
                return Values.of(false);
            }
        });
    }

    private static String lower(String function, List<JsonNode> a, int i) {
        return Values.string(function, i, a.get(i)).toLowerCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------- collection functions

    private static void collections() {
        def("contains", 2, 2, (a, s) -> {
            JsonNode c = a.get(0);
            JsonNode v = a.get(1);
            if (c != null && c.isString()) {
                return Values.of(c.stringValue().contains(Values.string("contains", 1, v)));
            }
            if (c != null && c.isArray()) {
                for (JsonNode e : c) {
                    if (Values.same(e, v)) {
                        return Values.of(true);
                    }
                }
                return Values.of(false);
            }
            if (c != null && c.isObject()) {
                return Values.of(c.has(Values.string("contains", 1, v)));
            }
            throw Values.argument("contains", 0, c, "a string, an array or an object");
        });
        def("empty", 1, 1, (a, s) -> {
            JsonNode v = a.get(0);
            if (Values.isNull(v)) {
                return Values.of(true);
            }
            if (v.isString()) {
                return Values.of(v.stringValue().isEmpty());
            }
            if (v.isContainer()) {
                return Values.of(v.isEmpty());
            }
            throw Values.argument("empty", 0, v, "a string, an array or an object");
        });
        def("length", 1, 1, (a, s) -> {
            JsonNode v = a.get(0);
            if (v != null && v.isString()) {
                return Values.of((long) v.stringValue().length());
            }
            return Values.of((long) Values.array("length", 0, v).size());
        });
        def("first", 1, 1, (a, s) -> {
            JsonNode v = a.get(0);
            if (v != null && v.isString()) {
                return v.stringValue().isEmpty() ? Values.NODES.nullNode() : Values.of(v.stringValue().substring(0, 1));
            }
            JsonNode array = Values.array("first", 0, v);
            return array.isEmpty() ? Values.NODES.nullNode() : array.get(0);
        });
        def("last", 1, 1, (a, s) -> {
            JsonNode v = a.get(0);
            if (v != null && v.isString()) {
                String t = v.stringValue();
                return t.isEmpty() ? Values.NODES.nullNode() : Values.of(t.substring(t.length() - 1));
            }
            JsonNode array = Values.array("last", 0, v);
            return array.isEmpty() ? Values.NODES.nullNode() : array.get(array.size() - 1);
        });
        def("skip", 2, 2, (a, s) -> {
            JsonNode array = Values.array("skip", 0, a.get(0));
            long n = Math.max(0, Values.integer("skip", 1, a.get(1)));
            ArrayNode out = Values.NODES.arrayNode();
            for (int i = (int) Math.min(n, array.size()); i < array.size(); i++) {
                out.add(array.get(i));
            }
            return out;
        });
        def("take", 2, 2, (a, s) -> {
            long n = Math.max(0, Values.integer("take", 1, a.get(1)));
            JsonNode v = a.get(0);
            if (v != null && v.isString()) {
                return Values.of(v.stringValue().substring(0, (int) Math.min(n, v.stringValue().length())));
            }
            JsonNode array = Values.array("take", 0, v);
            ArrayNode out = Values.NODES.arrayNode();
            for (int i = 0; i < Math.min(n, array.size()); i++) {
                out.add(array.get(i));
            }
            return out;
        });
        def("join", 2, 2, (a, s) -> {
            JsonNode array = Values.array("join", 0, a.get(0));
            String separator = Values.string("join", 1, a.get(1));
            List<String> parts = new ArrayList<>();
            array.forEach(e -> parts.add(Values.text(e)));
            return Values.of(String.join(separator, parts));
        });
        def("union", 2, MANY, (a, s) -> {
            if (a.get(0) != null && a.get(0).isObject()) {
                ObjectNode out = Values.NODES.objectNode();
                for (int i = 0; i < a.size(); i++) {
                    out.setAll((ObjectNode) Values.object("union", i, a.get(i)));
                }
                return out;
            }
            ArrayNode out = Values.NODES.arrayNode();
            for (int i = 0; i < a.size(); i++) {
                for (JsonNode e : Values.array("union", i, a.get(i))) {
                    if (!containsValue(out, e)) {
                        out.add(e);
                    }
                }
            }
            return out;
        });
        def("intersection", 2, MANY, (a, s) -> {
            if (a.get(0) != null && a.get(0).isObject()) {
                ObjectNode out = Values.NODES.objectNode();
                JsonNode first = a.get(0);
                for (String name : first.propertyNames()) {
                    boolean everywhere = true;
                    for (int i = 1; i < a.size(); i++) {
                        JsonNode other = Values.object("intersection", i, a.get(i));
                        everywhere &= other.has(name) && Values.same(other.get(name), first.get(name));
                    }
                    if (everywhere) {
                        out.set(name, first.get(name));
                    }
                }
                return out;
            }
            ArrayNode out = Values.NODES.arrayNode();
            for (JsonNode e : Values.array("intersection", 0, a.get(0))) {
                boolean everywhere = true;
                for (int i = 1; i < a.size(); i++) {
                    everywhere &= containsValue(Values.array("intersection", i, a.get(i)), e);
                }
                if (everywhere && !containsValue(out, e)) {
                    out.add(e);
                }
            }
            return out;
        });
        def("createArray", 0, MANY, (a, s) -> {
            ArrayNode out = Values.NODES.arrayNode();
            a.forEach(out::add);
            return out;
        });
        def("reverse", 1, 1, (a, s) -> {
            JsonNode array = Values.array("reverse", 0, a.get(0));
            ArrayNode out = Values.NODES.arrayNode();
            for (int i = array.size() - 1; i >= 0; i--) {
                out.add(array.get(i));
            }
            return out;
        });
        def("sort", 1, 2, (a, s) -> {
            JsonNode array = Values.array("sort", 0, a.get(0));
            String key = a.size() > 1 ? Values.string("sort", 1, a.get(1)) : null;
            List<JsonNode> items = new ArrayList<>();
            array.forEach(items::add);
            Comparator<JsonNode> order = (x, y) -> compare("sort", key == null ? x : x.path(key),
                    key == null ? y : y.path(key));
            items.sort(order);
            ArrayNode out = Values.NODES.arrayNode();
            items.forEach(out::add);
            return out;
        });
    }

    private static boolean containsValue(JsonNode array, JsonNode value) {
        for (JsonNode e : array) {
            if (Values.same(e, value)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- logical comparison functions

    private static void logic() {
        def("and", 1, MANY, (a, s) -> {
            boolean all = true;
            for (int i = 0; i < a.size(); i++) {
                all &= Values.bool("and", i, a.get(i));
            }
            return Values.of(all);
        });
        def("or", 1, MANY, (a, s) -> {
            boolean any = false;
            for (int i = 0; i < a.size(); i++) {
                any |= Values.bool("or", i, a.get(i));
            }
            return Values.of(any);
        });
        def("not", 1, 1, (a, s) -> Values.of(!Values.bool("not", 0, a.get(0))));
        def("if", 3, 3, (a, s) -> Values.bool("if", 0, a.get(0)) ? a.get(1) : a.get(2));
        def("equals", 2, 2, (a, s) -> Values.of(Values.same(a.get(0), a.get(1))));
        def("greater", 2, 2, (a, s) -> Values.of(compare("greater", a.get(0), a.get(1)) > 0));
        def("greaterOrEquals", 2, 2, (a, s) -> Values.of(compare("greaterOrEquals", a.get(0), a.get(1)) >= 0));
        def("less", 2, 2, (a, s) -> Values.of(compare("less", a.get(0), a.get(1)) < 0));
        def("lessOrEquals", 2, 2, (a, s) -> Values.of(compare("lessOrEquals", a.get(0), a.get(1)) <= 0));
    }

    private static int compare(String function, JsonNode x, JsonNode y) {
        if (x != null && y != null && x.isNumber() && y.isNumber()) {
            return x.decimalValue().compareTo(y.decimalValue());
        }
        if (x != null && y != null && x.isString() && y.isString()) {
            return x.stringValue().compareTo(y.stringValue());
        }
        if (x != null && y != null && x.isBoolean() && y.isBoolean()) {
            return Boolean.compare(x.booleanValue(), y.booleanValue());
        }
        throw Values.invalid(function, "expects two parameters of the same type: integers, decimal numbers, strings "
                + "or booleans. The provided values are of types '" + Values.typeName(x) + "' and '"
                + Values.typeName(y) + "'.");
    }

    // ---------------------------------------------------------------- conversion functions

    private static void conversions() {
        def("array", 1, 1, (a, s) -> Values.NODES.arrayNode().add(a.get(0)));
        def("bool", 1, 1, (a, s) -> {
            JsonNode v = a.get(0);
            if (v != null && v.isBoolean()) {
                return v;
            }
            if (v != null && v.isNumber()) {
                return Values.of(v.doubleValue() != 0);
            }
            if (v != null && v.isString()) {
                String t = v.stringValue().strip();
                if (t.equalsIgnoreCase("true")) {
                    return Values.of(true);
                }
                if (t.equalsIgnoreCase("false")) {
                    return Values.of(false);
                }
            }
            throw Values.invalid("bool", "was invoked with a parameter that is not valid. The value cannot be "
                    + "converted to the target type.");
        });
        def("int", 1, 1, (a, s) -> {
            JsonNode v = a.get(0);
            if (v != null && v.isIntegralNumber()) {
                return v;
            }
            if (v != null && v.isNumber()) {
                return Values.of((long) v.doubleValue());
            }
            if (v != null && v.isString()) {
                try {
                    return Values.of(Long.parseLong(v.stringValue().strip()));
                } catch (NumberFormatException e) {
                    // falls through to the error
                }
            }
            throw Values.invalid("int", "was invoked with a parameter that is not valid. The value cannot be "
                    + "converted to the target type.");
        });
        def("float", 1, 2, (a, s) -> {
            JsonNode v = a.get(0);
            if (v != null && v.isNumber()) {
                return Values.of(v.doubleValue());
            }
            if (v != null && v.isString()) {
                try {
                    return Values.of(Double.parseDouble(v.stringValue().strip()));
                } catch (NumberFormatException e) {
                    // falls through to the error
                }
            }
            throw Values.invalid("float", "was invoked with a parameter that is not valid. The value cannot be "
                    + "converted to the target type.");
        });
        def("string", 1, 1, (a, s) -> Values.of(Values.isNull(a.get(0)) ? "" : Values.text(a.get(0))));
        def("json", 1, 1, (a, s) -> {
            JsonNode v = a.get(0);
            if (v != null && v.isString()) {
                try {
                    return Values.JSON.readTree(v.stringValue());
                } catch (JacksonException e) {
                    throw Values.invalid("json", "parameter is not valid. The provided value '" + v.stringValue()
                            + "' cannot be parsed: '" + e.getOriginalMessage() + "'.");
                }
            }
            if (v != null && v.isContainer()) {
                return v;
            }
            throw Values.argument("json", 0, v, "a string");
        });
        def("base64", 1, 1, (a, s) -> Values.of(Base64.getEncoder().encodeToString(
                Values.text(a.get(0)).getBytes(StandardCharsets.UTF_8))));
        def("base64ToString", 1, 1, (a, s) -> Values.of(fromBase64("base64ToString", a.get(0))));
        def("decodeBase64", 1, 1, (a, s) -> Values.of(fromBase64("decodeBase64", a.get(0))));
        def("encodeUriComponent", 1, 1, (a, s) -> Values.of(escape(Values.text(a.get(0)))));
        def("uriComponent", 1, 1, (a, s) -> Values.of(escape(Values.text(a.get(0)))));
        def("decodeUriComponent", 1, 1, (a, s) -> Values.of(unescape("decodeUriComponent",
                Values.string("decodeUriComponent", 0, a.get(0)))));
        def("uriComponentToString", 1, 1, (a, s) -> Values.of(unescape("uriComponentToString",
                Values.string("uriComponentToString", 0, a.get(0)))));
        def("dataUri", 1, 1, (a, s) -> Values.of("data:text/plain;charset=utf-8;base64,"
                + Base64.getEncoder().encodeToString(Values.text(a.get(0)).getBytes(StandardCharsets.UTF_8))));
        def("dataUriToString", 1, 1, (a, s) -> {
            String uri = Values.string("dataUriToString", 0, a.get(0));
            int comma = uri.indexOf(',');
            if (!uri.startsWith("data:") || comma < 0) {
                throw Values.invalid("dataUriToString", "was invoked with a parameter that is not a data URI.");
            }
            String payload = uri.substring(comma + 1);
            if (uri.substring(0, comma).endsWith(";base64")) {
                return Values.of(fromBase64("dataUriToString", Values.of(payload)));
            }
            return Values.of(unescape("dataUriToString", payload));
        });
        def("coalesce", 1, MANY, (a, s) -> a.stream().filter(v -> !Values.isNull(v)).findFirst()
                .orElse(Values.NODES.nullNode()));
    }

    private static String fromBase64(String function, JsonNode v) {
        try {
            return new String(Base64.getDecoder().decode(Values.string(function, 0, v)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Values.invalid(function, "was invoked with a parameter that is not valid base64.");
        }
    }

    /** RFC 3986 escaping of everything but the unreserved characters, as .NET's Uri.EscapeDataString does. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String unescape(String function, String text) {
        try {
            return java.net.URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Values.invalid(function, "was invoked with a parameter that is not a valid escaped string.");
        }
    }

    // ---------------------------------------------------------------- math functions

    private static void math() {
        def("add", 2, 2, (a, s) -> arithmetic("add", a, Math::addExact, Double::sum));
        def("sub", 2, 2, (a, s) -> arithmetic("sub", a, Math::subtractExact, (x, y) -> x - y));
        def("mul", 2, 2, (a, s) -> arithmetic("mul", a, Math::multiplyExact, (x, y) -> x * y));
        def("div", 2, 2, (a, s) -> {
            if (Values.number("div", 1, a.get(1)).doubleValue() == 0) {
                throw Values.invalid("div", "cannot divide by zero: its second parameter is 0.");
            }
            return arithmetic("div", a, (x, y) -> x / y, (x, y) -> x / y);
        });
        def("mod", 2, 2, (a, s) -> {
            if (Values.number("mod", 1, a.get(1)).doubleValue() == 0) {
                throw Values.invalid("mod", "cannot divide by zero: its second parameter is 0.");
            }
            return arithmetic("mod", a, (x, y) -> x % y, (x, y) -> x % y);
        });
        def("min", 1, MANY, (a, s) -> extreme("min", a, -1));
        def("max", 1, MANY, (a, s) -> extreme("max", a, 1));
        def("range", 2, 2, (a, s) -> {
            long start = Values.integer("range", 0, a.get(0));
            long count = Values.integer("range", 1, a.get(1));
            if (count < 0 || count > 100_000) {
                throw Values.invalid("range", "expects its second parameter 'count' to be between 0 and 100000.");
            }
            ArrayNode out = Values.NODES.arrayNode();
            for (long i = 0; i < count; i++) {
                out.add(start + i);
            }
            return out;
        });
        def("rand", 2, 2, (a, s) -> {
            long min = Values.integer("rand", 0, a.get(0));
            long max = Values.integer("rand", 1, a.get(1));
            if (max <= min) {
                throw Values.invalid("rand", "expects its 'maxValue' to be larger than its 'minValue'.");
            }
            return Values.of(ThreadLocalRandom.current().nextLong(min, max));
        });
    }

    private interface LongOp {
        long apply(long x, long y);
    }

    private interface DoubleOp {
        double apply(double x, double y);
    }

    private static JsonNode arithmetic(String function, List<JsonNode> a, LongOp longs, DoubleOp doubles) {
        JsonNode x = Values.number(function, 0, a.get(0));
        JsonNode y = Values.number(function, 1, a.get(1));
        if (x.isIntegralNumber() && y.isIntegralNumber()) {
            try {
                return Values.of(longs.apply(x.longValue(), y.longValue()));
            } catch (ArithmeticException e) {
                return Values.of(doubles.apply(x.doubleValue(), y.doubleValue()));
            }
        }
        return Values.of(doubles.apply(x.doubleValue(), y.doubleValue()));
    }

    private static JsonNode extreme(String function, List<JsonNode> a, int sign) {
        List<JsonNode> values = new ArrayList<>();
        if (a.size() == 1 && a.get(0) != null && a.get(0).isArray()) {
            a.get(0).forEach(values::add);
        } else {
            values.addAll(a);
        }
        if (values.isEmpty()) {
            throw Values.invalid(function, "expects a non-empty array or at least one number.");
        }
        JsonNode best = null;
        for (int i = 0; i < values.size(); i++) {
            JsonNode v = Values.number(function, i, values.get(i));
            if (best == null || v.decimalValue().compareTo(best.decimalValue()) * sign > 0) {
                best = v;
            }
        }
        return best;
    }

    // ---------------------------------------------------------------- date and time functions

    private static void dates() {
        def("utcNow", 0, 1, (a, s) -> {
            DateTimes.Stamp now = new DateTimes.Stamp(LocalDateTime.ofInstant(s.clock().instant(), ZoneOffset.UTC), true);
            return Values.of(DateTimes.format("utcNow", now, a.isEmpty() ? null : Values.string("utcNow", 0, a.get(0))));
        });
        def("formatDateTime", 1, 3, (a, s) -> Values.of(DateTimes.format("formatDateTime",
                DateTimes.parse("formatDateTime", Values.string("formatDateTime", 0, a.get(0))), format(a, 1))));
        shift("addDays", ChronoUnit.DAYS);
        shift("addHours", ChronoUnit.HOURS);
        shift("addMinutes", ChronoUnit.MINUTES);
        shift("addSeconds", ChronoUnit.SECONDS);
        def("addToTime", 3, 4, (a, s) -> {
            DateTimes.Stamp t = DateTimes.parse("addToTime", Values.string("addToTime", 0, a.get(0)));
            long n = Values.integer("addToTime", 1, a.get(1));
            ChronoUnit unit = unit("addToTime", Values.string("addToTime", 2, a.get(2)));
            return Values.of(DateTimes.format("addToTime", new DateTimes.Stamp(t.time().plus(n, unit), t.utc()),
                    format(a, 3)));
        });
        def("subtractFromTime", 3, 4, (a, s) -> {
            DateTimes.Stamp t = DateTimes.parse("subtractFromTime", Values.string("subtractFromTime", 0, a.get(0)));
            long n = Values.integer("subtractFromTime", 1, a.get(1));
            ChronoUnit unit = unit("subtractFromTime", Values.string("subtractFromTime", 2, a.get(2)));
            return Values.of(DateTimes.format("subtractFromTime", new DateTimes.Stamp(t.time().minus(n, unit),
                    t.utc()), format(a, 3)));
        });
        def("getFutureTime", 2, 3, (a, s) -> relative("getFutureTime", a, s, 1));
        def("getPastTime", 2, 3, (a, s) -> relative("getPastTime", a, s, -1));
        def("startOfDay", 1, 2, (a, s) -> truncated("startOfDay", a, ChronoUnit.DAYS));
        def("startOfHour", 1, 2, (a, s) -> truncated("startOfHour", a, ChronoUnit.HOURS));
        def("startOfMonth", 1, 2, (a, s) -> {
            DateTimes.Stamp t = DateTimes.parse("startOfMonth", Values.string("startOfMonth", 0, a.get(0)));
            return Values.of(DateTimes.format("startOfMonth", new DateTimes.Stamp(t.time().withDayOfMonth(1)
                    .truncatedTo(ChronoUnit.DAYS), t.utc()), format(a, 1)));
        });
        def("dayOfMonth", 1, 1, (a, s) -> Values.of((long) stamp("dayOfMonth", a).time().getDayOfMonth()));
        def("dayOfWeek", 1, 1, (a, s) -> Values.of((long) (stamp("dayOfWeek", a).time().getDayOfWeek().getValue() % 7)));
        def("dayOfYear", 1, 1, (a, s) -> Values.of((long) stamp("dayOfYear", a).time().getDayOfYear()));
        def("ticks", 1, 1, (a, s) -> {
            Instant i = stamp("ticks", a).time().toInstant(ZoneOffset.UTC);
            return Values.of((i.getEpochSecond() + 62_135_596_800L) * 10_000_000L + i.getNano() / 100);
        });
        def("convertFromUtc", 2, 3, (a, s) -> {
            DateTimes.Stamp t = stamp("convertFromUtc", a);
            ZoneId zone = DateTimes.requireZone("convertFromUtc", Values.string("convertFromUtc", 1, a.get(1)));
            LocalDateTime local = t.time().atOffset(ZoneOffset.UTC).atZoneSameInstant(zone).toLocalDateTime();
            return Values.of(DateTimes.format("convertFromUtc", new DateTimes.Stamp(local, false), format(a, 2)));
        });
        def("convertToUtc", 2, 3, (a, s) -> {
            DateTimes.Stamp t = stamp("convertToUtc", a);
            ZoneId zone = DateTimes.requireZone("convertToUtc", Values.string("convertToUtc", 1, a.get(1)));
            LocalDateTime utc = t.utc() ? t.time()
                    : t.time().atZone(zone).withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
            return Values.of(DateTimes.format("convertToUtc", new DateTimes.Stamp(utc, true), format(a, 2)));
        });
        def("convertTimeZone", 3, 4, (a, s) -> {
            DateTimes.Stamp t = stamp("convertTimeZone", a);
            ZoneId from = DateTimes.requireZone("convertTimeZone", Values.string("convertTimeZone", 1, a.get(1)));
            ZoneId to = DateTimes.requireZone("convertTimeZone", Values.string("convertTimeZone", 2, a.get(2)));
            LocalDateTime local = (t.utc() ? t.time().atZone(ZoneOffset.UTC) : t.time().atZone(from))
                    .withZoneSameInstant(to).toLocalDateTime();
            return Values.of(DateTimes.format("convertTimeZone", new DateTimes.Stamp(local, false), format(a, 3)));
        });
    }

    private static DateTimes.Stamp stamp(String function, List<JsonNode> a) {
        return DateTimes.parse(function, Values.string(function, 0, a.get(0)));
    }

    private static String format(List<JsonNode> a, int index) {
        return a.size() > index && !Values.isNull(a.get(index)) ? Values.string("format", index, a.get(index)) : null;
    }

    private static void shift(String name, ChronoUnit unit) {
        def(name, 2, 3, (a, s) -> {
            DateTimes.Stamp t = stamp(name, a);
            long n = Values.integer(name, 1, a.get(1));
            return Values.of(DateTimes.format(name, new DateTimes.Stamp(t.time().plus(n, unit), t.utc()), format(a, 2)));
        });
    }

    private static JsonNode truncated(String name, List<JsonNode> a, ChronoUnit unit) {
        DateTimes.Stamp t = stamp(name, a);
        return Values.of(DateTimes.format(name, new DateTimes.Stamp(t.time().truncatedTo(unit), t.utc()), format(a, 1)));
    }

    private static JsonNode relative(String name, List<JsonNode> a, Scope s, int sign) {
        long n = Values.integer(name, 0, a.get(0));
        ChronoUnit unit = unit(name, Values.string(name, 1, a.get(1)));
        LocalDateTime now = LocalDateTime.ofInstant(s.clock().instant(), ZoneOffset.UTC);
        return Values.of(DateTimes.format(name, new DateTimes.Stamp(now.plus(sign * n, unit), true), format(a, 2)));
    }

    private static ChronoUnit unit(String function, String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "second" -> ChronoUnit.SECONDS;
            case "minute" -> ChronoUnit.MINUTES;
            case "hour" -> ChronoUnit.HOURS;
            case "day" -> ChronoUnit.DAYS;
            case "week" -> ChronoUnit.WEEKS;
            case "month" -> ChronoUnit.MONTHS;
            case "year" -> ChronoUnit.YEARS;
            default -> throw Values.invalid(function, "was invoked with a time unit '" + unit + "' that is not "
                    + "valid: use Second, Minute, Hour, Day, Week, Month or Year.");
        };
    }

    // ---------------------------------------------------------------- URI parsing functions

    private static void uris() {
        def("uriHost", 1, 1, (a, s) -> Values.of(uri("uriHost", a).getHost()));
        def("uriPath", 1, 1, (a, s) -> {
            String path = uri("uriPath", a).getRawPath();
            return Values.of(path == null || path.isEmpty() ? "/" : path);
        });
        def("uriPathAndQuery", 1, 1, (a, s) -> {
            URI u = uri("uriPathAndQuery", a);
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            return Values.of(path + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
        });
        def("uriPort", 1, 1, (a, s) -> {
            URI u = uri("uriPort", a);
            int port = u.getPort();
            if (port < 0) {
                port = switch (u.getScheme().toLowerCase(Locale.ROOT)) {
                    case "https" -> 443;
                    case "http" -> 80;
                    case "ftp" -> 21;
                    default -> -1;
                };
            }
            return Values.of((long) port);
        });
        def("uriQuery", 1, 1, (a, s) -> {
            String q = uri("uriQuery", a).getRawQuery();
            return Values.of(q == null ? "" : "?" + q);
        });
        def("uriScheme", 1, 1, (a, s) -> Values.of(uri("uriScheme", a).getScheme()));
    }

    private static URI uri(String function, List<JsonNode> a) {
        String text = Values.string(function, 0, a.get(0));
        try {
            URI u = new URI(text);
            if (!u.isAbsolute() || u.getHost() == null) {
                throw new URISyntaxException(text, "not absolute");
            }
            return u;
        } catch (URISyntaxException e) {
            throw Values.invalid(function, "was invoked with a parameter that is not valid. The value '" + text
                    + "' is not an absolute URI.");
        }
    }

    // ---------------------------------------------------------------- object manipulation functions

    private static void objects() {
        def("addProperty", 3, 3, (a, s) -> {
            ObjectNode o = ((ObjectNode) Values.object("addProperty", 0, a.get(0))).deepCopy();
            String name = Values.string("addProperty", 1, a.get(1));
            if (o.has(name)) {
                throw Values.invalid("addProperty", "cannot add the property '" + name + "': the object already has "
                        + "it. Use 'setProperty' to change it.");
            }
            o.set(name, a.get(2));
            return o;
        });
        def("setProperty", 3, 3, (a, s) -> {
            ObjectNode o = ((ObjectNode) Values.object("setProperty", 0, a.get(0))).deepCopy();
            o.set(Values.string("setProperty", 1, a.get(1)), a.get(2));
            return o;
        });
        def("removeProperty", 2, 2, (a, s) -> {
            ObjectNode o = ((ObjectNode) Values.object("removeProperty", 0, a.get(0))).deepCopy();
            o.remove(Values.string("removeProperty", 1, a.get(1)));
            return o;
        });
    }

    // ---------------------------------------------------------------- workflow functions

    private static void workflow() {
        def("trigger", 0, 0, (a, s) -> trigger(s));
        def("triggerOutputs", 0, 0, (a, s) -> trigger(s).path("outputs"));
        def("triggerBody", 0, 0, (a, s) -> orNull(trigger(s).path("outputs").path("body")));
        def("actions", 1, 1, (a, s) -> action("actions", a, s));
        def("outputs", 1, 1, (a, s) -> orNull(action("outputs", a, s).path("outputs")));
        def("actionOutputs", 1, 1, (a, s) -> orNull(action("actionOutputs", a, s).path("outputs")));
        def("body", 1, 1, (a, s) -> orNull(action("body", a, s).path("outputs").path("body")));
        def("actionBody", 1, 1, (a, s) -> orNull(action("actionBody", a, s).path("outputs").path("body")));
        def("variables", 1, 1, (a, s) -> {
            String name = Values.string("variables", 0, a.get(0));
            JsonNode v = s.variable(name);
            if (v == null) {
                throw new ExpressionException(ExpressionException.Kind.EVALUATION, "The variable '" + name
                        + "' does not exist: initialize it with an InitializeVariable action first.");
            }
            return v;
        });
        def("parameters", 1, 1, (a, s) -> {
            String name = Values.string("parameters", 0, a.get(0));
            JsonNode v = s.parameter(name);
            if (v == null) {
                throw new ExpressionException(ExpressionException.Kind.EVALUATION, "The workflow parameter '" + name
                        + "' is not found.");
            }
            return v;
        });
        def("item", 0, 0, (a, s) -> {
            JsonNode v = s.currentItem();
            if (v == null) {
                throw new ExpressionException(ExpressionException.Kind.EVALUATION, "The template language function "
                        + "'item' must be used inside a 'foreach' loop.");
            }
            return v;
        });
        def("items", 1, 1, (a, s) -> {
            String loop = Values.string("items", 0, a.get(0));
            JsonNode v = s.item(loop);
            if (v == null) {
                throw new ExpressionException(ExpressionException.Kind.EVALUATION, "The template language function "
                        + "'items' must reference an enclosing 'foreach' action: '" + loop + "' is not one.");
            }
            return v;
        });
        def("iterationIndexes", 1, 1, (a, s) -> {
            String loop = Values.string("iterationIndexes", 0, a.get(0));
            JsonNode v = s.iterationIndex(loop);
            if (v == null) {
                throw new ExpressionException(ExpressionException.Kind.EVALUATION, "The template language function "
                        + "'iterationIndexes' must reference an enclosing 'until' action: '" + loop + "' is not one.");
            }
            return v;
        });
        def("result", 1, 1, (a, s) -> {
            String scope = Values.string("result", 0, a.get(0));
            JsonNode v = s.result(scope);
            if (v == null) {
                throw new ExpressionException(ExpressionException.Kind.EVALUATION, "The template language function "
                        + "'result' must reference a scoped action ('Scope', 'Foreach' or 'Until'): '" + scope
                        + "' is not one that has run.");
            }
            return v;
        });
        def("workflow", 0, 0, (a, s) -> s.workflow());
    }

    private static JsonNode orNull(JsonNode v) {
        return v == null || v.isMissingNode() ? Values.NODES.nullNode() : v;
    }

    private static JsonNode trigger(Scope s) {
        JsonNode t = s.trigger();
        if (t == null) {
            throw new ExpressionException(ExpressionException.Kind.EVALUATION, "The template language function "
                    + "'trigger' cannot be used here: the workflow has no trigger outputs.");
        }
        return t;
    }

    private static JsonNode action(String function, List<JsonNode> a, Scope s) {
        String name = Values.string(function, 0, a.get(0));
        JsonNode v = s.action(name);
        if (v == null) {
            throw new ExpressionException(ExpressionException.Kind.EVALUATION, "The template language expression '"
                    + function + "('" + name + "')' cannot be evaluated because the action '" + name
                    + "' has not run or is not defined in the template.");
        }
        return v;
    }
}
