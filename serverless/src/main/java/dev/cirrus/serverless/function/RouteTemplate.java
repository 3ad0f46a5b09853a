package dev.cirrus.serverless.function;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP trigger route as Azure Functions writes it: literal segments and parameters {@code {id}},
 * {@code {id?}} (optional, only at the end), {@code {id:int}} (constraints int, alpha, guid; others accepted and
 * not checked), {@code {*rest}} (catch-all, only at the end). Literals compare case-insensitively.
 * Example: {@code items/{id:int?}} matches {@code items} (no id) and {@code ITEMS/7} (id 7), not {@code items/x}.
 */
public record RouteTemplate(String text, List<Segment> segments) {

    public record Segment(String literal, String parameter, String constraint, boolean optional, boolean catchAll) {
    }

    private static final Pattern PARAMETER = Pattern.compile("\\{(\\*)?([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z]+)(?:\\([^)]*\\))?)?(\\?)?}");

    public static RouteTemplate parse(String route) {
        String trimmed = route.replaceAll("^/+|/+$", "");
        List<Segment> segments = new ArrayList<>();
        if (trimmed.isEmpty()) {
            return new RouteTemplate(trimmed, segments);
        }
        String[] parts = trimmed.split("/");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                throw new IllegalArgumentException("the route '" + route + "' has an empty segment");
            }
            if (part.contains("{") || part.contains("}")) {
                Matcher m = PARAMETER.matcher(part);
                if (!m.matches()) {
                    throw new IllegalArgumentException("the route segment '" + part + "' is not a parameter like {name}, {name?} or {name:int}");
                }
                boolean catchAll = m.group(1) != null;
                boolean optional = m.group(4) != null;
                if ((catchAll || optional) && i != parts.length - 1) {
                    throw new IllegalArgumentException("only the last route segment can be optional or a catch-all: '" + part + "'");
                }
                segments.add(new Segment(null, m.group(2), m.group(3), optional, catchAll));
            } else {
                segments.add(new Segment(part, null, null, false, false));
            }
        }
        return new RouteTemplate(trimmed, segments);
    }

    /** The route parameters when the path (without the route prefix) matches. */
    public Optional<Map<String, String>> match(List<String> path) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            if (segment.catchAll()) {
                parameters.put(segment.parameter(), String.join("/", path.subList(Math.min(i, path.size()), path.size())));
                return Optional.of(parameters);
            }
            if (i >= path.size()) {
                return segment.optional() && i == segments.size() - 1 ? Optional.of(parameters) : Optional.empty();
            }
            String value = path.get(i);
            if (segment.literal() != null) {
                if (!segment.literal().equalsIgnoreCase(value)) {
                    return Optional.empty();
                }
            } else {
                if (!satisfies(segment.constraint(), value)) {
                    return Optional.empty();
                }
                parameters.put(segment.parameter(), value);
            }
        }
        return path.size() == segments.size() ? Optional.of(parameters) : Optional.empty();
    }

    private static boolean satisfies(String constraint, String value) {
        if (constraint == null) {
            return true;
        }
        return switch (constraint.toLowerCase(java.util.Locale.ROOT)) {
            case "int", "long" -> value.matches("-?\\d+");
            case "alpha" -> value.matches("[A-Za-z]+");
            case "guid" -> value.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
            case "bool" -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
            default -> true;
        };
    }
}
