package dev.cirrus.gateway.resourceindex;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cirrus.gateway.provider.ProviderRegistry;
import dev.cirrus.plumbing.arm.ArmException;

/**
 * The {@code $filter} of {@code GET …/resources}, in the forms ARM accepts: {@code resourceGroup eq 'g'},
 * {@code resourceType eq 'Microsoft.Compute/virtualMachines'}, {@code name eq 'x'}, {@code location eq 'westus'},
 * {@code substringof('abc', name)}, joined with {@code and} (each property at most once), and
 * {@code tagName eq 'k'} optionally {@code and tagValue eq 'v'}, which ARM does not combine with anything else.
 * Values are OData strings ({@code ''} is a quote); names, types, groups, locations and tag names compare
 * case-insensitively, tag values exactly. Anything else is ARM's 400 {@code InvalidFilterInQueryString}.
 *
 * <p>Every field is null when the filter does not name it.
 */
record ResourceFilter(String resourceGroup, String resourceType, String name, String location, String nameContains,
                      String tagName, String tagValue) {

    static final ResourceFilter NONE = new ResourceFilter(null, null, null, null, null, null, null);

    private static final String STRING = "'((?:[^']|'')*)'";
    private static final Pattern EQ = Pattern.compile("(\\w+)\\s+eq\\s+" + STRING, Pattern.CASE_INSENSITIVE);
    private static final Pattern SUBSTRINGOF = Pattern.compile("substringof\\(\\s*" + STRING + "\\s*,\\s*name\\s*\\)",
            Pattern.CASE_INSENSITIVE);
    private static final List<String> FIELDS = List.of("resourcegroup", "resourcetype", "name", "location", "tagname",
            "tagvalue");

    static ResourceFilter parse(String filter) {
        if (filter == null || filter.isBlank()) {
            return NONE;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String clause : clauses(filter)) {
            Matcher eq = EQ.matcher(clause);
            Matcher substring = SUBSTRINGOF.matcher(clause);
            String field;
            String value;
            if (eq.matches() && FIELDS.contains(eq.group(1).toLowerCase(Locale.ROOT))) {
                field = eq.group(1).toLowerCase(Locale.ROOT);
                value = eq.group(2).replace("''", "'");
            } else if (substring.matches()) {
                field = "substringof";
                value = substring.group(1).replace("''", "'");
            } else {
                throw invalid(filter, "'" + clause.strip() + "' is not a supported condition");
            }
            if (values.putIfAbsent(field, value) != null) {
                throw invalid(filter, "a property may be used once");
            }
        }
        boolean tags = values.containsKey("tagname") || values.containsKey("tagvalue");
        if (values.containsKey("tagvalue") && !values.containsKey("tagname")) {
            throw invalid(filter, "tagValue requires tagName");
        }
        if (tags && values.keySet().stream().anyMatch(k -> !k.startsWith("tag"))) {
            throw invalid(filter, "a tag filter cannot be combined with other filters");
        }
        return new ResourceFilter(values.get("resourcegroup"), values.get("resourcetype"), values.get("name"),
                values.containsKey("location") ? ProviderRegistry.normalizeLocation(values.get("location")) : null,
                values.get("substringof"), values.get("tagname"), values.get("tagvalue"));
    }

    /** The conditions between {@code and}s that are not inside a string. */
    private static List<String> clauses(String filter) {
        List<String> clauses = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        String lower = filter.toLowerCase(Locale.ROOT);
        for (int i = 0; i < filter.length(); i++) {
            char c = filter.charAt(i);
            if (c == '\'') {
                quoted = !quoted; // '' inside a string toggles twice
            } else if (!quoted && Character.isWhitespace(c) && lower.startsWith("and", i + 1) && i + 4 < filter.length()
                    && Character.isWhitespace(filter.charAt(i + 4))) {
                clauses.add(filter.substring(start, i).strip());
                start = i + 4;
                i += 3;
            }
        }
        clauses.add(filter.substring(start).strip());
        return clauses;
    }

    private static ArmException invalid(String filter, String why) {
        return ArmException.badRequest("InvalidFilterInQueryString", "Invalid $filter '" + filter + "' specified in "
                + "the query string: " + why + ". Supported: resourceGroup, resourceType, name and location with eq, "
                + "substringof('…', name), joined with 'and'; or tagName eq '…' [and tagValue eq '…'] alone.",
                "$filter");
    }
}
