package dev.cirrus.gateway.deployments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.cirrus.gateway.deployments.template.Values;

/**
 * What-if's comparison of a resource as a template would write it with the resource as it is: ARM's
 * {@code WhatIfChange} ({@code resourceId, changeType, before, after, delta}) and its property changes
 * ({@code path, propertyChangeType (Create, Delete, Modify, Array), before, after, children}).
 *
 * <p>Only what the template sets is compared: a property the resource has and the template does not name (its
 * read-only state, defaults the service filled in) is kept in {@code after} and is no change, also inside the
 * objects of an array (an ip configuration the template writes with its name and subnet is unchanged when the
 * resource's has those and its own id and address besides). Object properties are
 * compared by name case-insensitively, resource ids case-insensitively, numbers by value. For example a template
 * setting {@code properties.platformFaultDomainCount} to 3 on an availability set that has 2 is one
 * {@code Modify} of {@code properties.platformFaultDomainCount}, before 2, after 3.
 */
final class WhatIfChanges {

    private WhatIfChanges() {
    }

    /** Keys of a resource that are its identity, not a property the template sets. */
    private static final Set<String> IDENTITY = Set.of("id", "name", "type", "apiversion");

    /** The property changes from {@code before} to the template's {@code desired} body. */
    static List<Map<String, Object>> delta(Map<String, Object> desired, Map<String, Object> before) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<String, Object> entry : desired.entrySet()) {
            if (IDENTITY.contains(entry.getKey().toLowerCase(Locale.ROOT))) {
                continue;
            }
            compare(entry.getKey(), entry.getValue(), before, out);
        }
        return out;
    }

    private static void compare(String path, Object desired, Map<String, Object> beforeObject,
                                List<Map<String, Object>> out) {
        if (!Values.hasProperty(beforeObject, lastSegment(path))) {
            out.add(change(path, "Create", null, desired, null));
            return;
        }
        compareValues(path, desired, Values.property(beforeObject, lastSegment(path)), out);
    }

    @SuppressWarnings("unchecked")
    private static void compareValues(String path, Object desired, Object current, List<Map<String, Object>> out) {
        if (desired instanceof Map<?, ?> d && current instanceof Map<?, ?> c) {
            for (Map.Entry<String, Object> entry : ((Map<String, Object>) d).entrySet()) {
                String child = path + "." + entry.getKey();
                if (!Values.hasProperty((Map<String, Object>) c, entry.getKey())) {
                    out.add(change(child, "Create", null, entry.getValue(), null));
                } else {
                    compareValues(child, entry.getValue(), Values.property((Map<String, Object>) c, entry.getKey()),
                            out);
                }
            }
            return;
        }
        if (desired instanceof List<?> d && current instanceof List<?> c) {
            List<Map<String, Object>> children = new ArrayList<>();
            for (int i = 0; i < Math.max(d.size(), c.size()); i++) {
                if (i >= c.size()) {
                    children.add(change(String.valueOf(i), "Create", null, d.get(i), null));
                } else if (i >= d.size()) {
                    children.add(change(String.valueOf(i), "Delete", c.get(i), null, null));
                } else if (d.get(i) instanceof Map<?, ?> || d.get(i) instanceof List<?>) {
                    List<Map<String, Object>> inner = new ArrayList<>();
                    compareValues("", d.get(i), c.get(i), inner);
                    if (!inner.isEmpty()) {
                        inner.forEach(change -> change.put("path", String.valueOf(change.get("path"))
                                .replaceFirst("^\\.", "")));
                        children.add(change(String.valueOf(i), "Modify", null, null, inner));
                    }
                } else if (!same(d.get(i), c.get(i))) {
                    children.add(change(String.valueOf(i), "Modify", c.get(i), d.get(i), null));
                }
            }
            if (!children.isEmpty()) {
                out.add(change(path, "Array", null, null, children));
            }
            return;
        }
        if (!same(desired, current)) {
            out.add(change(path, "Modify", current, desired, null));
        }
    }

    /** The resource after the deployment: what it is, with what the template sets written over it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merged(Map<String, Object> before, Map<String, Object> desired) {
        Map<String, Object> out = new LinkedHashMap<>(before);
        for (Map.Entry<String, Object> entry : desired.entrySet()) {
            String existing = out.keySet().stream().filter(k -> k.equalsIgnoreCase(entry.getKey())).findFirst()
                    .orElse(entry.getKey());
            Object current = out.get(existing);
            if (current instanceof Map<?, ?> c && entry.getValue() instanceof Map<?, ?> d) {
                out.put(existing, merged((Map<String, Object>) c, (Map<String, Object>) d));
            } else {
                out.put(existing, entry.getValue());
            }
        }
        return out;
    }

    /** Equal as ARM compares a template's value with a resource's: numbers by value, ids ignoring case. */
    @SuppressWarnings("unchecked")
    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof String x && b instanceof String y) {
            return x.equals(y) || x.regionMatches(true, 0, "/subscriptions/", 0, 15) && x.equalsIgnoreCase(y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<String, Object> entry : ((Map<String, Object>) x).entrySet()) {
                if (!Values.hasProperty((Map<String, Object>) y, entry.getKey())
                        || !same(entry.getValue(), Values.property((Map<String, Object>) y, entry.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return java.util.Objects.equals(a, b);
    }

    private static Map<String, Object> change(String path, String type, Object before, Object after,
                                              List<Map<String, Object>> children) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", path);
        out.put("propertyChangeType", type);
        if (before != null) {
            out.put("before", before);
        }
        if (after != null) {
            out.put("after", after);
        }
        if (children != null && !children.isEmpty()) {
            out.put("children", children);
        }
        return out;
    }

    private static String lastSegment(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
