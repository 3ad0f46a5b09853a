package dev.cirrus.computevm.batch.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * The part of OData's {@code $filter} the Batch lists answer: comparisons {@code property op literal} with
 * {@code eq, ne, gt, ge, lt, le}, joined by {@code and} / {@code or} ({@code and} binds tighter), on a property path of
 * the listed item's JSON ({@code state}, {@code executionInfo/result}, {@code id}, …), literals in single quotes,
 * numbers, {@code true}/{@code false}. Example: {@code state eq 'completed' and executionInfo/exitCode ne 0}.
 * A filter it cannot read is Batch's 400 {@code InvalidQueryParameterValue} naming {@code $filter}.
 */
final class ODataFilter {

    private static final Pattern CLAUSE = Pattern.compile(
            "\\s*\\(?\\s*([A-Za-z][A-Za-z0-9]*(?:/[A-Za-z][A-Za-z0-9]*)*)\\s+(eq|ne|gt|ge|lt|le)\\s+"
                    + "('(?:[^']|'')*'|-?[0-9]+(?:\\.[0-9]+)?|true|false|null)\\s*\\)?\\s*");

    private ODataFilter() {
    }

    static Predicate<JsonNode> parse(String filter) {
        if (filter == null || filter.isBlank()) {
            return item -> true;
        }
        List<Predicate<JsonNode>> anyOf = new ArrayList<>();
        for (String disjunct : filter.split("(?i)\\s+or\\s+")) {
            Predicate<JsonNode> all = item -> true;
            for (String clause : disjunct.split("(?i)\\s+and\\s+")) {
                all = all.and(clause(clause, filter));
            }
            anyOf.add(all);
        }
        return item -> anyOf.stream().anyMatch(p -> p.test(item));
    }

    private static Predicate<JsonNode> clause(String text, String filter) {
        Matcher m = CLAUSE.matcher(text);
        if (!m.matches()) {
            throw BatchError.invalidQuery("$filter", filter, "The clause '" + text.strip() + "' is not "
                    + "'property operator value' (operators eq, ne, gt, ge, lt, le; strings in single quotes).");
        }
        String[] path = m.group(1).split("/");
        String op = m.group(2);
        String literal = m.group(3);
        return item -> {
            JsonNode v = item;
            for (String p : path) {
                v = v == null ? null : v.get(p);
            }
            int c = compare(v, literal);
            return switch (op) {
                case "eq" -> c == 0;
                case "ne" -> c != 0;
                case "gt" -> c != Integer.MIN_VALUE && c > 0;
                case "ge" -> c != Integer.MIN_VALUE && c >= 0;
                case "lt" -> c != Integer.MIN_VALUE && c < 0;
                default -> c != Integer.MIN_VALUE && c <= 0;
            };
        };
    }

    /** Compares a value with a literal; MIN_VALUE when they cannot be compared (never equal). */
    private static int compare(JsonNode v, String literal) {
        if (literal.equals("null")) {
            return v == null || v.isNull() ? 0 : 1;
        }
        if (v == null || v.isNull()) {
            return Integer.MIN_VALUE;
        }
        if (literal.startsWith("'")) {
            String s = literal.substring(1, literal.length() - 1).replace("''", "'");
            return v.isString() ? v.asString().toLowerCase(Locale.ROOT).compareTo(s.toLowerCase(Locale.ROOT))
                    : Integer.MIN_VALUE;
        }
        if (literal.equals("true") || literal.equals("false")) {
            return v.isBoolean() && v.asBoolean() == Boolean.parseBoolean(literal) ? 0 : 1;
        }
        return v.isNumber() ? Double.compare(v.asDouble(), Double.parseDouble(literal)) : Integer.MIN_VALUE;
    }
}
