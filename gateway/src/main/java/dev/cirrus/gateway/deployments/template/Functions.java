package dev.cirrus.gateway.deployments.template;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * ARM's template function library (string, array and object, numeric, comparison and logical, deployment and
 * resource functions). Each is a pure function of its evaluated arguments and the {@link TemplateContext}; the
 * refusals use ARM's wording ("The template function 'substring' expects …").
 */
final class Functions {

    private Functions() {
    }

    static TemplateException arityError(String function, int min, int max) {
        String expected = min == max ? "exactly " + min + " parameter" + (min == 1 ? "" : "s")
                : max == Integer.MAX_VALUE ? "at least " + min + " parameter" + (min == 1 ? "" : "s")
                : "between " + min + " and " + max + " parameters";
        if (min == 0 && max == 0) {
            expected = "no parameters";
        }
        return TemplateException.invalid("The template function '" + function + "' expects " + expected + ".");
    }

    @SuppressWarnings("unchecked")
    static Object apply(Evaluator evaluator, String function, String name, List<Object> a) {
        TemplateContext context = evaluator.context();
        int n = a.size();
        switch (name) {
            // ---- string ----
            case "concat": {
                atLeast(function, a, 1);
                if (a.stream().allMatch(v -> v instanceof List || v == null)
                        && a.stream().anyMatch(v -> v instanceof List)) {
                    List<Object> out = new ArrayList<>();
                    a.forEach(v -> {
                        if (v != null) {
                            out.addAll((List<Object>) v);
                        }
                    });
                    return out;
                }
                StringBuilder out = new StringBuilder();
                for (Object value : a) {
                    if (value instanceof List || value instanceof Map) {
                        throw TemplateException.invalid("The template function 'concat' expects its parameters to "
                                + "be either all arrays or all strings, integers and booleans. The provided value is "
                                + "of type '" + Values.typeName(value) + "'.");
                    }
                    out.append(Values.text(value));
                }
                return out.toString();
            }
            case "format": {
                atLeast(function, a, 1);
                return Formats.format(str(function, a, 0), a.subList(1, n));
            }
            case "substring": {
                between(function, a, 2, 3);
                String s = str(function, a, 0);
                long start = integer(function, a, 1);
                long length = n == 3 ? integer(function, a, 2) : s.length() - start;
                if (start < 0 || length < 0 || start > s.length() || start + length > s.length()) {
                    throw TemplateException.invalid("The index and length parameters must refer to a location "
                            + "within the string. The index parameter: '" + start + "', the length parameter: '"
                            + length + "', the length of the string parameter: '" + s.length() + "'.");
                }
                return s.substring((int) start, (int) (start + length));
            }
            case "tolower":
                exactly(function, a, 1);
                return str(function, a, 0).toLowerCase(Locale.ROOT);
            case "toupper":
                exactly(function, a, 1);
                return str(function, a, 0).toUpperCase(Locale.ROOT);
            case "trim":
                exactly(function, a, 1);
                return str(function, a, 0).strip();
            case "replace":
                exactly(function, a, 3);
                return str(function, a, 0).replace(str(function, a, 1), str(function, a, 2));
            case "split": {
                exactly(function, a, 2);
                String s = str(function, a, 0);
                List<String> delimiters = a.get(1) instanceof List<?> list
                        ? list.stream().map(d -> Evaluator.string(function, d)).toList()
                        : List.of(str(function, a, 1));
                List<Object> parts = new ArrayList<>();
                int from = 0;
                int i = 0;
                while (i <= s.length()) {
                    String hit = null;
                    for (String delimiter : delimiters) {
                        if (!delimiter.isEmpty() && s.startsWith(delimiter, i)) {
                            hit = delimiter;
                            break;
                        }
                    }
                    if (hit != null) {
                        parts.add(s.substring(from, i));
                        i += hit.length();
                        from = i;
                    } else {
                        i++;
                    }
                }
                parts.add(s.substring(from));
                return parts;
            }
            case "startswith":
                exactly(function, a, 2);
                return str(function, a, 0).toLowerCase(Locale.ROOT)
                        .startsWith(str(function, a, 1).toLowerCase(Locale.ROOT));
            case "endswith":
                exactly(function, a, 2);
                return str(function, a, 0).toLowerCase(Locale.ROOT)
                        .endsWith(str(function, a, 1).toLowerCase(Locale.ROOT));
            case "indexof":
            case "lastindexof": {
                exactly(function, a, 2);
                boolean last = name.equals("lastindexof");
                if (a.get(0) instanceof List<?> list) {
                    for (int i = 0; i < list.size(); i++) {
                        int at = last ? list.size() - 1 - i : i;
                        if (Values.deepEquals(list.get(at), a.get(1))) {
                            return (long) at;
                        }
                    }
                    return -1L;
                }
                String s = str(function, a, 0).toLowerCase(Locale.ROOT);
                String part = str(function, a, 1).toLowerCase(Locale.ROOT);
                return (long) (last ? s.lastIndexOf(part) : s.indexOf(part));
            }
            case "padleft": {
                between(function, a, 2, 3);
                String s = a.get(0) instanceof Long l ? Long.toString(l) : str(function, a, 0);
                long total = integer(function, a, 1);
                String pad = n == 3 ? str(function, a, 2) : " ";
                if (pad.length() != 1) {
                    throw TemplateException.invalid("The template function 'padLeft' expects its third parameter to "
                            + "be a single character. The provided value is '" + pad + "'.");
                }
                if (total > 16 * 1024) {
                    throw TemplateException.invalid("The template function 'padLeft' expects its second parameter to "
                            + "be at most 16384. The provided value is '" + total + "'.");
                }
                return pad.repeat((int) Math.max(0, total - s.length())) + s;
            }
            case "base64":
                exactly(function, a, 1);
                return Evaluator.base64(str(function, a, 0));
            case "base64tostring":
                exactly(function, a, 1);
                return Evaluator.fromBase64(function, str(function, a, 0));
            case "base64tojson":
                exactly(function, a, 1);
                return Evaluator.parseJson(function, Evaluator.fromBase64(function, str(function, a, 0)));
            case "uri":
                exactly(function, a, 2);
                return Evaluator.combineUri(str(function, a, 0), str(function, a, 1));
            case "uricomponent":
                exactly(function, a, 1);
                return Evaluator.encodeComponent(str(function, a, 0));
            case "uricomponenttostring":
                exactly(function, a, 1);
                return Evaluator.decodeComponent(str(function, a, 0));
            case "datauri":
                exactly(function, a, 1);
                return "data:text/plain;charset=utf8;base64," + Evaluator.base64(Values.text(a.get(0)));
            case "datauritostring": {
                exactly(function, a, 1);
                String uri = str(function, a, 0);
                int comma = uri.indexOf(',');
                if (!uri.startsWith("data:") || comma < 0) {
                    throw TemplateException.invalid("The template function 'dataUriToString' expects its parameter "
                            + "to be a data URI. The provided value is '" + uri + "'.");
                }
                String payload = uri.substring(comma + 1);
                return uri.substring(0, comma).endsWith(";base64") ? Evaluator.fromBase64(function, payload)
                        : Evaluator.decodeComponent(payload);
            }
            case "string":
                exactly(function, a, 1);
                return a.get(0) instanceof String s ? s : Values.text(a.get(0));
            case "json":
                exactly(function, a, 1);
                return Evaluator.parseJson(function, str(function, a, 0));
            case "guid":
                atLeast(function, a, 1);
                return TemplateHashes.guid(joinStrings(function, a));
            case "uniquestring":
                atLeast(function, a, 1);
                return TemplateHashes.uniqueString(joinStrings(function, a));
            case "newguid":
                exactly(function, a, 0);
                return Evaluator.newGuid();
            case "utcnow":
                between(function, a, 0, 1);
                return Evaluator.dotNetFormat(n == 0 ? "yyyyMMddTHHmmssZ" : str(function, a, 0))
                        .format(context.now());
            case "join": {
                exactly(function, a, 2);
                List<Object> items = array(function, a, 0);
                String delimiter = str(function, a, 1);
                return items.stream().map(Values::text).collect(Collectors.joining(delimiter));
            }
            // ---- array and object ----
            case "array":
                exactly(function, a, 1);
                if (a.get(0) instanceof List<?> list) {
                    return new ArrayList<>(list);
                }
                if (a.get(0) instanceof Map<?, ?> map) {
                    return new ArrayList<>(Evaluator.sortedEntries((Map<String, Object>) map).stream()
                            .map(e -> (Object) List.of(e.getKey(), e.getValue())).toList());
                }
                return listOf(a.get(0));
            case "createarray":
                return new ArrayList<>(a);
            case "createobject": {
                if (n % 2 != 0) {
                    throw TemplateException.invalid("The template function 'createObject' expects an even number of "
                            + "parameters (property names and values). It was given " + n + ".");
                }
                Map<String, Object> out = new LinkedHashMap<>();
                for (int i = 0; i < n; i += 2) {
                    out.put(str(function, a, i), a.get(i + 1));
                }
                return out;
            }
            case "contains": {
                exactly(function, a, 2);
                Object container = a.get(0);
                if (container instanceof String s) {
                    return s.contains(Values.text(a.get(1)));
                }
                if (container instanceof List<?> list) {
                    return list.stream().anyMatch(item -> Values.deepEquals(item, a.get(1)));
                }
                if (container instanceof Map<?, ?> map) {
                    return Values.hasProperty((Map<String, Object>) map, str(function, a, 1));
                }
                throw typeError(function, "first", "String, Array or Object", container);
            }
            case "empty": {
                exactly(function, a, 1);
                Object v = a.get(0);
                return v == null || v instanceof String s && s.isEmpty() || v instanceof List<?> l && l.isEmpty()
                        || v instanceof Map<?, ?> m && m.isEmpty();
            }
            case "first":
            case "last": {
                exactly(function, a, 1);
                boolean first = name.equals("first");
                if (a.get(0) instanceof String s) {
                    return s.isEmpty() ? "" : first ? s.substring(0, 1) : s.substring(s.length() - 1);
                }
                List<Object> list = array(function, a, 0);
                return list.isEmpty() ? null : first ? list.getFirst() : list.getLast();
            }
            case "length": {
                exactly(function, a, 1);
                Object v = a.get(0);
                if (v instanceof String s) {
                    return (long) s.length();
                }
                if (v instanceof List<?> l) {
                    return (long) l.size();
                }
                if (v instanceof Map<?, ?> m) {
                    return (long) m.size();
                }
                throw typeError(function, "first", "String, Array or Object", v);
            }
            case "take":
            case "skip": {
                exactly(function, a, 2);
                long count = integer(function, a, 1);
                boolean take = name.equals("take");
                if (a.get(0) instanceof String s) {
                    int c = (int) Math.clamp(count, 0, s.length());
                    return take ? s.substring(0, c) : s.substring(c);
                }
                List<Object> list = array(function, a, 0);
                int c = (int) Math.clamp(count, 0, list.size());
                return new ArrayList<>(take ? list.subList(0, c) : list.subList(c, list.size()));
            }
            case "union": {
                atLeast(function, a, 1);
                if (a.stream().allMatch(v -> v instanceof Map)) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    a.forEach(v -> merge(out, (Map<String, Object>) v));
                    return out;
                }
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    for (Object item : array(function, a, i)) {
                        if (out.stream().noneMatch(existing -> Values.deepEquals(existing, item))) {
                            out.add(item);
                        }
                    }
                }
                return out;
            }
            case "intersection": {
                atLeast(function, a, 1);
                if (a.stream().allMatch(v -> v instanceof Map)) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    ((Map<String, Object>) a.getFirst()).forEach((key, value) -> {
                        boolean everywhere = a.stream().skip(1).allMatch(other -> Values.hasProperty(
                                (Map<String, Object>) other, key)
                                && Values.deepEquals(value, Values.property((Map<String, Object>) other, key)));
                        if (everywhere) {
                            out.put(key, value);
                        }
                    });
                    return out;
                }
                List<Object> out = new ArrayList<>();
                for (Object item : array(function, a, 0)) {
                    boolean everywhere = true;
                    for (int i = 1; i < n; i++) {
                        everywhere &= array(function, a, i).stream().anyMatch(o -> Values.deepEquals(o, item));
                    }
                    if (everywhere && out.stream().noneMatch(o -> Values.deepEquals(o, item))) {
                        out.add(item);
                    }
                }
                return out;
            }
            case "range": {
                exactly(function, a, 2);
                long start = integer(function, a, 0);
                long count = integer(function, a, 1);
                if (count < 0 || count > 10_000 || start + count > Integer.MAX_VALUE + 1L) {
                    throw TemplateException.invalid("The template function 'range' expects its second parameter "
                            + "(count) to be a non-negative integer of at most 10000, and the sum of start index and "
                            + "count to be at most 2147483648. The provided values are '" + start + "' and '" + count
                            + "'.");
                }
                List<Object> out = new ArrayList<>();
                for (long i = 0; i < count; i++) {
                    out.add(start + i);
                }
                return out;
            }
            case "min":
            case "max": {
                atLeast(function, a, 1);
                List<Object> values = n == 1 && a.get(0) instanceof List<?> l ? (List<Object>) l : a;
                if (values.isEmpty()) {
                    throw TemplateException.invalid("The template function '" + function + "' expects a non-empty "
                            + "array.");
                }
                Object best = null;
                for (Object v : values) {
                    if (!(v instanceof Number)) {
                        throw typeError(function, "", "Integer", v);
                    }
                    double d = ((Number) v).doubleValue();
                    if (best == null || (name.equals("min") ? d < ((Number) best).doubleValue()
                            : d > ((Number) best).doubleValue())) {
                        best = v;
                    }
                }
                return best;
            }
            case "coalesce":
                atLeast(function, a, 1);
                return a.stream().filter(v -> v != null).findFirst().orElse(null);
            case "items": {
                exactly(function, a, 1);
                if (!(a.get(0) instanceof Map<?, ?> map)) {
                    throw typeError(function, "first", "Object", a.get(0));
                }
                List<Object> out = new ArrayList<>();
                for (Map.Entry<String, Object> entry : Evaluator.sortedEntries((Map<String, Object>) map)) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("key", entry.getKey());
                    item.put("value", entry.getValue());
                    out.add(item);
                }
                return out;
            }
            case "objectkeys": {
                exactly(function, a, 1);
                if (!(a.get(0) instanceof Map<?, ?> map)) {
                    throw typeError(function, "first", "Object", a.get(0));
                }
                return new ArrayList<Object>(((Map<String, Object>) map).keySet());
            }
            case "filter": {
                exactly(function, a, 2);
                List<Object> out = new ArrayList<>();
                List<Object> items = array(function, a, 0);
                for (int i = 0; i < items.size(); i++) {
                    Object keep = lambdaArity(a.get(1)) == 2 ? evaluator.invoke(a.get(1), function, items.get(i),
                            (long) i) : evaluator.invoke(a.get(1), function, items.get(i));
                    if (Evaluator.bool(function, keep)) {
                        out.add(items.get(i));
                    }
                }
                return out;
            }
            case "map": {
                exactly(function, a, 2);
                List<Object> out = new ArrayList<>();
                List<Object> items = array(function, a, 0);
                for (int i = 0; i < items.size(); i++) {
                    out.add(lambdaArity(a.get(1)) == 2 ? evaluator.invoke(a.get(1), function, items.get(i), (long) i)
                            : evaluator.invoke(a.get(1), function, items.get(i)));
                }
                return out;
            }
            case "reduce": {
                exactly(function, a, 3);
                Object accumulator = a.get(1);
                List<Object> items = array(function, a, 0);
                for (int i = 0; i < items.size(); i++) {
                    accumulator = lambdaArity(a.get(2)) == 3
                            ? evaluator.invoke(a.get(2), function, accumulator, items.get(i), (long) i)
                            : evaluator.invoke(a.get(2), function, accumulator, items.get(i));
                }
                return accumulator;
            }
            case "sort": {
                exactly(function, a, 2);
                List<Object> out = new ArrayList<>(array(function, a, 0));
                Comparator<Object> order = (x, y) -> Evaluator.bool(function, evaluator.invoke(a.get(1), function,
                        x, y)) ? -1 : Evaluator.bool(function, evaluator.invoke(a.get(1), function, y, x)) ? 1 : 0;
                out.sort(order);
                return out;
            }
            case "toobject": {
                between(function, a, 2, 3);
                Map<String, Object> out = new LinkedHashMap<>();
                for (Object item : array(function, a, 0)) {
                    String key = Evaluator.string(function, evaluator.invoke(a.get(1), function, item));
                    out.put(key, n == 3 ? evaluator.invoke(a.get(2), function, item) : item);
                }
                return out;
            }
            case "lambdavariables":
                exactly(function, a, 1);
                return evaluator.lambdaVariable(str(function, a, 0));
            // ---- numeric ----
            case "add":
                exactly(function, a, 2);
                return Math.addExact(integer(function, a, 0), integer(function, a, 1));
            case "sub":
                exactly(function, a, 2);
                return Math.subtractExact(integer(function, a, 0), integer(function, a, 1));
            case "mul":
                exactly(function, a, 2);
                return Math.multiplyExact(integer(function, a, 0), integer(function, a, 1));
            case "div":
            case "mod": {
                exactly(function, a, 2);
                long divisor = integer(function, a, 1);
                if (divisor == 0) {
                    throw TemplateException.invalid("The template function '" + function + "' failed: attempted to "
                            + "divide by zero.");
                }
                long dividend = integer(function, a, 0);
                return name.equals("div") ? dividend / divisor : dividend % divisor;
            }
            case "int": {
                exactly(function, a, 1);
                Object v = a.get(0);
                if (v instanceof Long l) {
                    return l;
                }
                if (v instanceof Double d) {
                    return d.longValue();
                }
                if (v instanceof String s) {
                    try {
                        return Long.parseLong(s.strip());
                    } catch (NumberFormatException notAnInteger) {
                        throw TemplateException.invalid("The template function 'int' expects its parameter to be an "
                                + "integer or a string that can be converted to an integer. The provided value is '"
                                + s + "'.");
                    }
                }
                throw typeError(function, "first", "Integer or String", v);
            }
            case "float": {
                exactly(function, a, 1);
                Object v = a.get(0);
                if (v instanceof Number num) {
                    return num.doubleValue();
                }
                if (v instanceof String s) {
                    try {
                        return Double.parseDouble(s.strip());
                    } catch (NumberFormatException notANumber) {
                        throw TemplateException.invalid("The template function 'float' expects its parameter to be "
                                + "a number or a string that can be converted to one. The provided value is '" + s
                                + "'.");
                    }
                }
                throw typeError(function, "first", "Integer, Float or String", v);
            }
            // ---- comparison and logical ----
            case "equals":
                exactly(function, a, 2);
                return Values.deepEquals(a.get(0), a.get(1));
            case "less":
            case "lessorequals":
            case "greater":
            case "greaterorequals": {
                exactly(function, a, 2);
                int c = compare(function, a.get(0), a.get(1));
                return switch (name) {
                    case "less" -> c < 0;
                    case "lessorequals" -> c <= 0;
                    case "greater" -> c > 0;
                    default -> c >= 0;
                };
            }
            case "and":
            case "or": {
                atLeast(function, a, 2);
                boolean and = name.equals("and");
                boolean result = and;
                for (Object v : a) {
                    boolean b = Evaluator.bool(function, v);
                    result = and ? result && b : result || b;
                }
                return result;
            }
            case "not":
                exactly(function, a, 1);
                return !Evaluator.bool(function, a.get(0));
            case "bool": {
                exactly(function, a, 1);
                Object v = a.get(0);
                if (v instanceof Boolean b) {
                    return b;
                }
                if (v instanceof Long l && (l == 0 || l == 1)) {
                    return l == 1;
                }
                if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
                    return s.equalsIgnoreCase("true");
                }
                throw TemplateException.invalid("The template function 'bool' expects its parameter to be a boolean, "
                        + "the integer 0 or 1, or the string 'true' or 'false'. The provided value is '"
                        + Values.text(v) + "'.");
            }
            case "true":
                exactly(function, a, 0);
                return true;
            case "false":
                exactly(function, a, 0);
                return false;
            case "null":
                exactly(function, a, 0);
                return null;
            // ---- deployment ----
            case "parameters":
                between(function, a, 0, 1);
                return n == 0 ? context.parameters() : context.parameter(str(function, a, 0));
            case "variables":
                between(function, a, 0, 1);
                return n == 0 ? context.variables() : context.variable(str(function, a, 0));
            case "deployment":
                exactly(function, a, 0);
                return context.deployment();
            case "environment":
                exactly(function, a, 0);
                return context.environment();
            case "resourcegroup": {
                exactly(function, a, 0);
                Map<String, Object> group = context.resourceGroup();
                if (group == null) {
                    throw TemplateException.invalid("The template function 'RESOURCEGROUP' is not expected at this "
                            + "location.");
                }
                return group;
            }
            case "subscription":
                exactly(function, a, 0);
                return context.subscription();
            case "tenant":
                exactly(function, a, 0);
                return context.tenant();
            case "copyindex": {
                between(function, a, 0, 2);
                String loop = null;
                long offset = 0;
                if (n >= 1 && a.get(0) instanceof String s) {
                    loop = s;
                    offset = n == 2 ? integer(function, a, 1) : 0;
                } else if (n >= 1) {
                    offset = integer(function, a, 0);
                }
                return context.copyIndex(loop) + offset;
            }
            // ---- resource ----
            case "resourceid":
                return ResourceIds.resourceId(context, function, strings(function, a));
            case "subscriptionresourceid":
                return ResourceIds.subscriptionResourceId(context, function, strings(function, a));
            case "tenantresourceid":
                return ResourceIds.tenantResourceId(function, strings(function, a));
            case "extensionresourceid":
                return ResourceIds.extensionResourceId(function, strings(function, a));
            case "reference": {
                between(function, a, 1, 3);
                boolean full = n == 3 && "full".equalsIgnoreCase(str(function, a, 2));
                return context.reference(str(function, a, 0), n >= 2 ? str(function, a, 1) : null, full);
            }
            case "providers":
                between(function, a, 1, 2);
                return context.providers(str(function, a, 0), n == 2 ? str(function, a, 1) : null);
            default:
                if (name.startsWith("list")) {
                    between(function, a, 2, 3);
                    return context.list(function, str(function, a, 0), str(function, a, 1), n == 3 ? a.get(2) : null);
                }
                throw TemplateException.invalid("The template function '" + function + "' is not valid. Please see "
                        + "the template functions reference for usage details.");
        }
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> from) {
        from.forEach((key, value) -> {
            String existingKey = into.keySet().stream().filter(k -> k.equalsIgnoreCase(key)).findFirst().orElse(key);
            Object existing = into.get(existingKey);
            if (existing instanceof Map<?, ?> a && value instanceof Map<?, ?> b) {
                Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) a);
                merge(merged, (Map<String, Object>) b);
                into.put(existingKey, merged);
            } else {
                into.put(existingKey, value);
            }
        });
    }

    private static int lambdaArity(Object lambda) {
        return lambda instanceof Evaluator.Lambda l ? l.parameters().size() : 1;
    }

    private static int compare(String function, Object x, Object y) {
        if (x instanceof Number a && y instanceof Number b) {
            return Double.compare(a.doubleValue(), b.doubleValue());
        }
        if (x instanceof String a && y instanceof String b) {
            return Integer.signum(a.compareTo(b));
        }
        throw TemplateException.invalid("The template function '" + function + "' expects two parameters of the "
                + "same type, Integer or String. The provided values are of type '" + Values.typeName(x) + "' and '"
                + Values.typeName(y) + "'.");
    }

    private static List<Object> listOf(Object value) {
        List<Object> out = new ArrayList<>();
        out.add(value);
        return out;
    }

    private static String joinStrings(String function, List<Object> a) {
        for (Object v : a) {
            if (!(v instanceof String)) {
                throw TemplateException.invalid("The template function '" + function + "' expects its parameters to "
                        + "be of type string. The provided value is of type '" + Values.typeName(v) + "'.");
            }
        }
        return a.stream().map(String.class::cast).collect(Collectors.joining("-"));
    }

    private static List<String> strings(String function, List<Object> a) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            out.add(str(function, a, i));
        }
        return out;
    }

    private static TemplateException typeError(String function, String position, String expected, Object actual) {
        return TemplateException.invalid("The template function '" + function + "' expects its " + position
                + (position.isEmpty() ? "" : " ") + "parameter to be of type '" + expected
                + "'. The provided value is of type '" + Values.typeName(actual) + "'.");
    }

    private static String ordinal(int index) {
        return switch (index) {
            case 0 -> "first";
            case 1 -> "second";
            case 2 -> "third";
            default -> (index + 1) + "th";
        };
    }

    static String str(String function, List<Object> a, int index) {
        if (a.get(index) instanceof String s) {
            return s;
        }
        throw typeError(function, ordinal(index), "String", a.get(index));
    }

    static long integer(String function, List<Object> a, int index) {
        if (a.get(index) instanceof Long l) {
            return l;
        }
        throw typeError(function, ordinal(index), "Integer", a.get(index));
    }

    @SuppressWarnings("unchecked")
    static List<Object> array(String function, List<Object> a, int index) {
        if (a.get(index) instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw typeError(function, ordinal(index), "Array", a.get(index));
    }

    private static void exactly(String function, List<Object> a, int count) {
        if (a.size() != count) {
            throw arityError(function, count, count);
        }
    }

    private static void atLeast(String function, List<Object> a, int count) {
        if (a.size() < count) {
            throw arityError(function, count, Integer.MAX_VALUE);
        }
    }

    private static void between(String function, List<Object> a, int min, int max) {
        if (a.size() < min || a.size() > max) {
            throw arityError(function, min, max);
        }
    }
}
