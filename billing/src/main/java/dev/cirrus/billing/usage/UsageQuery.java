package dev.cirrus.billing.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cirrus.plumbing.arm.ArmException;

/**
 * What a usage or cost request asks for: a period of whole UTC days and, optionally, one resource group or resource.
 *
 * <p>The period comes from {@code startDate} / {@code endDate} ({@code YYYY-MM-DD}, UTC, both inclusive) or from a
 * {@code $filter} on {@code properties/usageStart} and {@code properties/usageEnd}, not both for the same end:
 * <ul>
 *   <li>neither end given: the current calendar month (UTC);</li>
 *   <li>only the start: from it through today (or just that day, if it is in the future);</li>
 *   <li>only the end: from the first day of the end's month through the end;</li>
 *   <li>the end before the start, or more than {@value #MAX_DAYS} days: 400.</li>
 * </ul>
 * Supported {@code $filter} clauses, joined by {@code and}: {@code properties/usageStart ge|gt 'YYYY-MM-DD'},
 * {@code properties/usageEnd le|lt 'YYYY-MM-DD'}, {@code properties/resourceGroup eq '<name>'},
 * {@code properties/resourceId eq '<id>'} (names and ids compare case-insensitively).
 *
 * @param from          start of the period (inclusive), a UTC midnight
 * @param to            end of the period (exclusive), a UTC midnight
 * @param resourceGroup only this resource group, or null
 * @param resourceId    only this resource, or null
 */
record UsageQuery(Instant from, Instant to, String resourceGroup, String resourceId) {

    /** The longest period one request may cover: a year, leap day included (bounds the answer's size). */
    static final int MAX_DAYS = 366;

    private static final Pattern CLAUSE = Pattern.compile(
            "\\s*properties/(\\w+)\\s+(eq|gt|ge|lt|le)\\s+'((?:[^']|'')*)'\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern AND = Pattern.compile("\\s+and\\s+", Pattern.CASE_INSENSITIVE);
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final String FILTER = "$filter";
    private static final String SUPPORTED = "Supported clauses, joined by 'and': properties/usageStart ge|gt "
            + "'YYYY-MM-DD', properties/usageEnd le|lt 'YYYY-MM-DD', properties/resourceGroup eq '<name>', "
            + "properties/resourceId eq '<id>'.";

    static UsageQuery parse(String startDate, String endDate, String filter, LocalDate today) {
        LocalDate start = date(startDate, "startDate");
        LocalDate end = date(endDate, "endDate");
        String resourceGroup = null;
        String resourceId = null;
        if (filter != null && !filter.isBlank()) {
            for (String clause : AND.split(filter.trim())) {
                Matcher m = CLAUSE.matcher(clause);
                if (!m.matches()) {
                    throw ArmException.invalidParameter("The $filter clause '" + clause.trim() + "' is not supported. "
                            + SUPPORTED, FILTER);
                }
                String field = m.group(1).toLowerCase(Locale.ROOT);
                String op = m.group(2).toLowerCase(Locale.ROOT);
                String value = m.group(3).replace("''", "'");
                switch (field + " " + op) {
                    case "usagestart ge", "usagestart gt" -> {
                        if (start != null) {
                            throw twice("start");
                        }
                        start = date(value, FILTER);
                        start = op.equals("gt") ? start.plusDays(1) : start;
                    }
                    case "usageend le", "usageend lt" -> {
                        if (end != null) {
                            throw twice("end");
                        }
                        end = date(value, FILTER);
                        end = op.equals("lt") ? end.minusDays(1) : end;
                    }
                    case "resourcegroup eq" -> resourceGroup = value;
                    case "resourceid eq" -> resourceId = value;
                    default -> throw ArmException.invalidParameter("The $filter clause '" + clause.trim()
                            + "' is not supported. " + SUPPORTED, FILTER);
                }
            }
        }
        if (start == null && end == null) {
            start = today.withDayOfMonth(1);
            end = start.plusMonths(1).minusDays(1);
        } else if (end == null) {
            end = today.isBefore(start) ? start : today;
        } else if (start == null) {
            start = end.withDayOfMonth(1);
        }
        if (end.isBefore(start)) {
            throw ArmException.invalidParameter("The end of the period (" + end + ") is before its start (" + start
                    + ").", endDate != null ? "endDate" : FILTER);
        }
        if (ChronoUnit.DAYS.between(start, end) + 1 > MAX_DAYS) {
            throw ArmException.invalidParameter("The period from " + start + " to " + end + " is longer than "
                    + MAX_DAYS + " days. Ask for a shorter period.", endDate != null ? "endDate" : FILTER);
        }
        return new UsageQuery(start.atStartOfDay(ZoneOffset.UTC).toInstant(),
                end.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), resourceGroup, resourceId);
    }

    /**
     * This query narrowed to a scope (a resource group, or one resource), as the request's path names it. A $filter
     * naming another group or resource than the scope is refused.
     */
    UsageQuery within(String scopeGroup, String scopeId) {
        if (scopeGroup != null && resourceGroup != null && !scopeGroup.equalsIgnoreCase(resourceGroup)
                || scopeId != null && resourceId != null && !scopeId.equalsIgnoreCase(resourceId)) {
            throw ArmException.invalidParameter("The $filter names a resource group or resource outside the scope of "
                    + "the request (" + (scopeId != null ? scopeId : "resource group " + scopeGroup) + ").", FILTER);
        }
        return new UsageQuery(from, to, scopeGroup != null ? scopeGroup : resourceGroup,
                scopeId != null ? scopeId : resourceId);
    }

    boolean includes(String group, String id) {
        return (resourceGroup == null || resourceGroup.equalsIgnoreCase(group))
                && (resourceId == null || resourceId.equalsIgnoreCase(id));
    }

    private static LocalDate date(String value, String parameter) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            if (!DATE.matcher(value).matches()) {
                throw new DateTimeParseException("not YYYY-MM-DD", value, 0);
            }
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ArmException.invalidParameter("The value '" + value + "' of '" + parameter
                    + "' is not a valid date. Use the form YYYY-MM-DD.", parameter);
        }
    }

    private static ArmException twice(String end) {
        return ArmException.invalidParameter("The " + end + " of the period is given twice: use either startDate/endDate "
                + "or a $filter on properties/usageStart and properties/usageEnd.", FILTER);
    }
}
