package dev.cirrus.computevm.autoscale;

import java.net.URI;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.cirrus.computevm.monitor.Metrics;
import dev.cirrus.computevm.monitor.MonitorMetric;
import dev.cirrus.contracts.arm.ArmJson;
import dev.cirrus.plumbing.arm.ArmException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads an autoscale setting's {@code properties} with Azure's rules (compute-vm/README.md "Autoscale"): at most 20
 * profiles with unique names and at most one without a schedule (the default profile), at most 10 rules per profile,
 * capacities as strings of integers with minimum ≤ default ≤ maximum ≤ 1000, time grains PT1M–PT12H, windows
 * PT5M–PT12H and not shorter than the grain, cooldowns PT1M–P7D, recurrence weekly only, time zones by their Windows
 * names ({@link #ZONES}). Every refusal is 400 {@code BadRequest} (Azure's code for autoscale settings) with the
 * offending path as target. Pure.
 */
final class AutoscaleSettingJson {

    static final int MAX_PROFILES = 20;
    static final int MAX_RULES = 10;
    static final int MAX_CAPACITY = 1000;

    /** The Windows time-zone names autoscale schedules accept here, and their IANA zones. */
    static final Map<String, ZoneId> ZONES = zones();

    private AutoscaleSettingJson() {
    }

    static AutoscaleSetting parse(ObjectNode p) {
        Boolean enabled = ArmJson.bool(p, "enabled", "properties.enabled");
        String target = ArmJson.string(p, "targetResourceUri", "properties.targetResourceUri");
        if (target == null || target.isBlank()) {
            throw bad("The targetResourceUri of an autoscale setting is required.", "properties.targetResourceUri");
        }
        JsonNode profilesNode = ArmJson.array(p, "profiles", "properties.profiles");
        if (profilesNode == null || profilesNode.isEmpty()) {
            throw bad("An autoscale setting needs at least one profile.", "properties.profiles");
        }
        if (profilesNode.size() > MAX_PROFILES) {
            throw bad("An autoscale setting can have at most " + MAX_PROFILES + " profiles; this one has "
                    + profilesNode.size() + ".", "properties.profiles");
        }
        List<AutoscaleSetting.Profile> profiles = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int defaults = 0;
        for (int i = 0; i < profilesNode.size(); i++) {
            AutoscaleSetting.Profile profile = profile(profilesNode.get(i), "properties.profiles[" + i + "]", target);
            if (!names.add(profile.name().toLowerCase(Locale.ROOT))) {
                throw bad("The profile name '" + profile.name() + "' is used twice; profile names must be unique.",
                        "properties.profiles[" + i + "].name");
            }
            if (profile.isDefault() && ++defaults > 1) {
                throw bad("Only one profile can have neither fixedDate nor recurrence (the default profile).",
                        "properties.profiles[" + i + "]");
            }
            profiles.add(profile);
        }
        List<AutoscaleSetting.Notification> notifications = new ArrayList<>();
        JsonNode notes = ArmJson.array(p, "notifications", "properties.notifications");
        if (notes != null) {
            for (int i = 0; i < notes.size(); i++) {
                notifications.add(notification(notes.get(i), "properties.notifications[" + i + "]"));
            }
        }
        return new AutoscaleSetting(enabled != null && enabled, target, profiles, notifications);
    }

    private static AutoscaleSetting.Profile profile(JsonNode node, String path, String target) {
        if (!node.isObject()) {
            throw ArmJson.wrongType(path, "an object");
        }
        String name = ArmJson.string(node, "name", path + ".name");
        if (name == null || name.isBlank()) {
            throw bad("Every profile needs a name.", path + ".name");
        }
        ObjectNode capacity = ArmJson.object(node, "capacity", path + ".capacity");
        if (capacity == null) {
            throw bad("The profile '" + name + "' needs a capacity (minimum, maximum, default).", path + ".capacity");
        }
        int min = capacity(capacity, "minimum", path);
        int max = capacity(capacity, "maximum", path);
        int def = capacity(capacity, "default", path);
        if (min > max) {
            throw bad("The minimum capacity value '" + min + "' that you specified in the autoscale setting is greater "
                    + "than the maximum capacity of '" + max + "'. Enter a minimum capacity less than '" + max + "'.",
                    path + ".capacity.minimum");
        }
        if (min > def) {
            throw bad("The minimum capacity value '" + min + "' that you specified in the autoscale setting is greater "
                    + "than the default capacity of '" + def + "'.  Enter a minimum capacity less than '" + def + "'.",
                    path + ".capacity.minimum");
        }
        if (def > max) {
            throw bad("The default capacity value '" + def + "' that you specified in the autoscale setting is greater "
                    + "than the maximum capacity of '" + max + "'.  Enter a default capacity less than '" + max + "'.",
                    path + ".capacity.default");
        }
        JsonNode rulesNode = ArmJson.array(node, "rules", path + ".rules");
        List<AutoscaleSetting.Rule> rules = new ArrayList<>();
        if (rulesNode != null) {
            if (rulesNode.size() > MAX_RULES) {
                throw bad("A profile can have at most " + MAX_RULES + " rules; '" + name + "' has " + rulesNode.size()
                        + ".", path + ".rules");
            }
            for (int i = 0; i < rulesNode.size(); i++) {
                rules.add(rule(rulesNode.get(i), path + ".rules[" + i + "]", target));
            }
        }
        ObjectNode fixed = ArmJson.object(node, "fixedDate", path + ".fixedDate");
        ObjectNode recurrence = ArmJson.object(node, "recurrence", path + ".recurrence");
        if (fixed != null && recurrence != null) {
            throw bad("The profile '" + name + "' has both a fixedDate and a recurrence; a profile has at most one.",
                    path);
        }
        return new AutoscaleSetting.Profile(name, min, max, def, rules,
                fixed == null ? null : fixedDate(fixed, path + ".fixedDate"),
                recurrence == null ? null : recurrence(recurrence, path + ".recurrence"));
    }

    private static int capacity(ObjectNode capacity, String field, String path) {
        JsonNode v = capacity.path(field);
        String at = path + ".capacity." + field;
        if (v.isMissingNode() || v.isNull()) {
            throw bad("The capacity's " + field + " is required.", at);
        }
        String text = v.isString() ? v.stringValue().strip() : v.isIntegralNumber() ? v.asString() : null;
        if (text == null || !text.matches("\\d{1,9}")) {
            throw bad("The capacity's " + field + " '" + v.asString() + "' is not a whole number of instances.", at);
        }
        int n = Integer.parseInt(text);
        if (n > MAX_CAPACITY) {
            throw bad("The capacity's " + field + " " + n + " is above " + MAX_CAPACITY + ", the most instances a "
                    + "scale set can have.", at);
        }
        return n;
    }

    private static AutoscaleSetting.Rule rule(JsonNode node, String path, String target) {
        if (!node.isObject()) {
            throw ArmJson.wrongType(path, "an object");
        }
        ObjectNode trigger = ArmJson.object(node, "metricTrigger", path + ".metricTrigger");
        ObjectNode action = ArmJson.object(node, "scaleAction", path + ".scaleAction");
        if (trigger == null || action == null) {
            throw bad("Every rule needs a metricTrigger and a scaleAction.", path);
        }
        String t = path + ".metricTrigger";
        String metricName = ArmJson.string(trigger, "metricName", t + ".metricName");
        if (metricName == null) {
            throw bad("The metricTrigger's metricName is required.", t + ".metricName");
        }
        MonitorMetric metric = MonitorMetric.named(metricName).orElseThrow(() -> bad("The metric '" + metricName
                + "' is not supported for this resource. Supported metrics: " + MonitorMetric.names() + ".",
                t + ".metricName"));
        String metricResource = ArmJson.string(trigger, "metricResourceUri", t + ".metricResourceUri");
        if (metricResource == null || metricResource.isBlank()) {
            metricResource = target;
        }
        String namespace = ArmJson.string(trigger, "metricNamespace", t + ".metricNamespace");
        if (namespace != null && !namespace.isBlank() && !namespace.toLowerCase(Locale.ROOT).startsWith("microsoft.compute/")) {
            throw bad("The metric namespace '" + namespace + "' is not supported; platform metrics of "
                    + "Microsoft.Compute/virtualMachineScaleSets and Microsoft.Compute/virtualMachines are.",
                    t + ".metricNamespace");
        }
        Duration grain = duration(trigger, "timeGrain", t, Duration.ofMinutes(1), Duration.ofHours(12));
        Duration window = duration(trigger, "timeWindow", t, Duration.ofMinutes(5), Duration.ofHours(12));
        if (window.compareTo(grain) < 0) {
            throw bad("The timeWindow " + window + " is shorter than the timeGrain " + grain + ".", t + ".timeWindow");
        }
        Metrics.Statistic statistic = enumValue(Metrics.Statistic.class, trigger, "statistic", t);
        Metrics.TimeAggregation aggregation = enumValue(Metrics.TimeAggregation.class, trigger, "timeAggregation", t);
        AutoscaleSetting.Operator operator = enumValue(AutoscaleSetting.Operator.class, trigger, "operator", t);
        JsonNode threshold = trigger.path("threshold");
        if (!threshold.isNumber()) {
            throw bad("The metricTrigger's threshold must be a number.", t + ".threshold");
        }
        JsonNode dimensions = ArmJson.array(trigger, "dimensions", t + ".dimensions");
        if (dimensions != null && !dimensions.isEmpty()) {
            throw bad("Metric dimensions in autoscale rules are not supported by Cirrus; remove "
                    + t + ".dimensions.", t + ".dimensions");
        }
        String a = path + ".scaleAction";
        AutoscaleSetting.Direction direction = enumValue(AutoscaleSetting.Direction.class, action, "direction", a);
        String type = ArmJson.string(action, "type", a + ".type");
        AutoscaleSetting.ChangeType changeType;
        if (type == null) {
            throw bad("The scaleAction's type is required.", a + ".type");
        } else if (type.equalsIgnoreCase("ServiceAllowedNextValue")) {
            throw bad("The scale action type 'ServiceAllowedNextValue' is not supported for virtual machine scale sets.",
                    a + ".type");
        } else {
            changeType = enumValue(AutoscaleSetting.ChangeType.class, action, "type", a);
        }
        JsonNode valueNode = action.path("value");
        String valueText = valueNode.isString() ? valueNode.stringValue().strip()
                : valueNode.isIntegralNumber() ? valueNode.asString() : null;
        if (valueText == null || !valueText.matches("\\d{1,6}")) {
            throw bad("The scaleAction's value must be a whole number as a string, e.g. \"1\".", a + ".value");
        }
        int value = Integer.parseInt(valueText);
        if (changeType != AutoscaleSetting.ChangeType.ExactCount && value < 1) {
            throw bad("The scaleAction's value must be at least 1 for " + changeType + ".", a + ".value");
        }
        if (changeType == AutoscaleSetting.ChangeType.ExactCount && value > MAX_CAPACITY) {
            throw bad("The scaleAction's value " + value + " is above " + MAX_CAPACITY + ".", a + ".value");
        }
        Duration cooldown = duration(action, "cooldown", a, Duration.ofMinutes(1), Duration.ofDays(7));
        return new AutoscaleSetting.Rule(metric, metricResource, grain, statistic, window, aggregation, operator,
                threshold.doubleValue(), direction, changeType, value, cooldown);
    }

    private static AutoscaleSetting.FixedDate fixedDate(ObjectNode node, String path) {
        String tz = ArmJson.string(node, "timeZone", path + ".timeZone");
        ZoneId zone = zone(tz == null ? "UTC" : tz, path + ".timeZone");
        LocalDateTime start = localTime(node, "start", path, zone);
        LocalDateTime end = localTime(node, "end", path, zone);
        if (!start.isBefore(end)) {
            throw bad("The fixedDate's start " + start + " must be before its end " + end + ".", path + ".end");
        }
        return new AutoscaleSetting.FixedDate(tz == null ? "UTC" : tz, zone, start, end);
    }

    private static AutoscaleSetting.Recurrence recurrence(ObjectNode node, String path) {
        String frequency = ArmJson.string(node, "frequency", path + ".frequency");
        if (frequency == null || !frequency.equalsIgnoreCase("Week")) {
            throw bad("The recurrence frequency '" + frequency + "' is not supported; autoscale recurrences are weekly "
                    + "(frequency 'Week').", path + ".frequency");
        }
        ObjectNode schedule = ArmJson.object(node, "schedule", path + ".schedule");
        if (schedule == null) {
            throw bad("The recurrence needs a schedule (timeZone, days, hours, minutes).", path + ".schedule");
        }
        String s = path + ".schedule";
        String tz = ArmJson.string(schedule, "timeZone", s + ".timeZone");
        if (tz == null) {
            throw bad("The recurrence schedule's timeZone is required.", s + ".timeZone");
        }
        ZoneId zone = zone(tz, s + ".timeZone");
        List<DayOfWeek> days = new ArrayList<>();
        JsonNode daysNode = ArmJson.array(schedule, "days", s + ".days");
        if (daysNode == null || daysNode.isEmpty()) {
            throw bad("The recurrence schedule needs at least one day.", s + ".days");
        }
        for (JsonNode d : daysNode) {
            String day = d.isString() ? d.stringValue().strip() : "";
            DayOfWeek found = null;
            for (DayOfWeek candidate : DayOfWeek.values()) {
                if (candidate.name().equalsIgnoreCase(day)) {
                    found = candidate;
                }
            }
            if (found == null) {
                throw bad("'" + d.asString() + "' is not a day of the week (Monday … Sunday).", s + ".days");
            }
            days.add(found);
        }
        return new AutoscaleSetting.Recurrence(tz, zone, days, ints(schedule, "hours", s, 23),
                ints(schedule, "minutes", s, 59));
    }

    private static List<Integer> ints(ObjectNode schedule, String field, String path, int max) {
        JsonNode node = ArmJson.array(schedule, field, path + "." + field);
        if (node == null || node.isEmpty()) {
            throw bad("The recurrence schedule needs at least one value in " + field + ".", path + "." + field);
        }
        List<Integer> values = new ArrayList<>();
        for (JsonNode v : node) {
            if (!v.isIntegralNumber() || v.asInt() < 0 || v.asInt() > max) {
                throw bad("'" + v.asString() + "' in " + field + " is not between 0 and " + max + ".",
                        path + "." + field);
            }
            values.add(v.asInt());
        }
        return values;
    }

    private static AutoscaleSetting.Notification notification(JsonNode node, String path) {
        if (!node.isObject()) {
            throw ArmJson.wrongType(path, "an object");
        }
        String operation = ArmJson.string(node, "operation", path + ".operation");
        if (operation == null || !operation.equalsIgnoreCase("Scale")) {
            throw bad("The notification operation must be 'Scale'.", path + ".operation");
        }
        ObjectNode email = ArmJson.object(node, "email", path + ".email");
        boolean admin = false;
        boolean coAdmins = false;
        List<String> emails = new ArrayList<>();
        if (email != null) {
            admin = Boolean.TRUE.equals(ArmJson.bool(email, "sendToSubscriptionAdministrator",
                    path + ".email.sendToSubscriptionAdministrator"));
            coAdmins = Boolean.TRUE.equals(ArmJson.bool(email, "sendToSubscriptionCoAdministrators",
                    path + ".email.sendToSubscriptionCoAdministrators"));
            JsonNode custom = ArmJson.array(email, "customEmails", path + ".email.customEmails");
            if (custom != null) {
                for (JsonNode e : custom) {
                    String address = e.isString() ? e.stringValue().strip() : "";
                    if (!address.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                        throw bad("'" + e.asString() + "' is not an e-mail address.", path + ".email.customEmails");
                    }
                    emails.add(address);
                }
            }
        }
        List<AutoscaleSetting.Webhook> webhooks = new ArrayList<>();
        JsonNode hooks = ArmJson.array(node, "webhooks", path + ".webhooks");
        if (hooks != null) {
            for (int i = 0; i < hooks.size(); i++) {
                String h = path + ".webhooks[" + i + "]";
                String uri = ArmJson.string(hooks.get(i), "serviceUri", h + ".serviceUri");
                if (uri == null || !isHttpUrl(uri)) {
                    throw bad("The webhook serviceUri '" + uri + "' is not an absolute http or https URL.",
                            h + ".serviceUri");
                }
                Map<String, String> props = new LinkedHashMap<>();
                ObjectNode p = ArmJson.object(hooks.get(i), "properties", h + ".properties");
                if (p != null) {
                    p.properties().forEach(e -> props.put(e.getKey(), e.getValue().asString()));
                }
                webhooks.add(new AutoscaleSetting.Webhook(uri, props));
            }
        }
        return new AutoscaleSetting.Notification(admin, coAdmins, emails, webhooks);
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = URI.create(text);
            return uri.isAbsolute() && uri.getHost() != null
                    && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Duration duration(ObjectNode node, String field, String path, Duration min, Duration max) {
        String text = ArmJson.string(node, field, path + "." + field);
        if (text == null) {
            throw bad("The " + field + " is required.", path + "." + field);
        }
        Duration d;
        try {
            d = Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw bad("The " + field + " '" + text + "' is not an ISO 8601 duration such as PT5M.", path + "." + field);
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw bad("The " + field + " " + text + " must be between " + min + " and " + max + ".",
                    path + "." + field);
        }
        return d;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, ObjectNode node, String field, String path) {
        String text = ArmJson.string(node, field, path + "." + field);
        if (text == null) {
            throw bad("The " + field + " is required.", path + "." + field);
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(text.strip())) {
                return e;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(e.name());
        }
        throw bad("The " + field + " '" + text + "' is not valid. Allowed values: " + String.join(", ", allowed) + ".",
                path + "." + field);
    }

    private static LocalDateTime localTime(ObjectNode node, String field, String path, ZoneId zone) {
        String text = ArmJson.string(node, field, path + "." + field);
        if (text == null) {
            throw bad("The fixedDate's " + field + " is required.", path + "." + field);
        }
        try {
            return OffsetDateTime.parse(text.strip()).atZoneSameInstant(zone).toLocalDateTime();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(text.strip());
            } catch (DateTimeParseException e) {
                throw bad("The fixedDate's " + field + " '" + text + "' is not an ISO 8601 date and time.",
                        path + "." + field);
            }
        }
    }

    static ZoneId zone(String name, String path) {
        ZoneId zone = ZONES.get(name.strip().toLowerCase(Locale.ROOT));
        if (zone == null) {
            throw bad("The time zone '" + name + "' is not supported. Use a Windows time zone name such as 'UTC', "
                    + "'Pacific Standard Time' or 'W. Europe Standard Time'.", path);
        }
        return zone;
    }

    static ArmException bad(String message, String target) {
        return ArmException.badRequest("BadRequest", message, target);
    }

    private static Map<String, ZoneId> zones() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("UTC", "UTC");
        names.put("Coordinated Universal Time", "UTC");
        names.put("GMT Standard Time", "Europe/London");
        names.put("Greenwich Standard Time", "Atlantic/Reykjavik");
        names.put("W. Europe Standard Time", "Europe/Berlin");
        names.put("Central Europe Standard Time", "Europe/Budapest");
        names.put("Central European Standard Time", "Europe/Warsaw");
        names.put("Romance Standard Time", "Europe/Paris");
        names.put("E. Europe Standard Time", "Europe/Chisinau");
        names.put("FLE Standard Time", "Europe/Kiev");
        names.put("GTB Standard Time", "Europe/Bucharest");
        names.put("Russian Standard Time", "Europe/Moscow");
        names.put("Turkey Standard Time", "Europe/Istanbul");
        names.put("Israel Standard Time", "Asia/Jerusalem");
        names.put("South Africa Standard Time", "Africa/Johannesburg");
        names.put("Arabian Standard Time", "Asia/Dubai");
        names.put("India Standard Time", "Asia/Kolkata");
        names.put("SE Asia Standard Time", "Asia/Bangkok");
        names.put("China Standard Time", "Asia/Shanghai");
        names.put("Singapore Standard Time", "Asia/Singapore");
        names.put("Taipei Standard Time", "Asia/Taipei");
        names.put("Tokyo Standard Time", "Asia/Tokyo");
        names.put("Korea Standard Time", "Asia/Seoul");
        names.put("AUS Eastern Standard Time", "Australia/Sydney");
        names.put("E. Australia Standard Time", "Australia/Brisbane");
        names.put("W. Australia Standard Time", "Australia/Perth");
        names.put("New Zealand Standard Time", "Pacific/Auckland");
        names.put("Hawaiian Standard Time", "Pacific/Honolulu");
        names.put("Alaskan Standard Time", "America/Anchorage");
        names.put("Pacific Standard Time", "America/Los_Angeles");
        names.put("US Mountain Standard Time", "America/Phoenix");
        names.put("Mountain Standard Time", "America/Denver");
        names.put("Central Standard Time", "America/Chicago");
        names.put("Eastern Standard Time", "America/New_York");
        names.put("Atlantic Standard Time", "America/Halifax");
        names.put("E. South America Standard Time", "America/Sao_Paulo");
        names.put("Argentina Standard Time", "America/Buenos_Aires");
        Map<String, ZoneId> zones = new LinkedHashMap<>();
        names.forEach((windows, iana) -> zones.put(windows.toLowerCase(Locale.ROOT),
                iana.equals("UTC") ? ZoneOffset.UTC : ZoneId.of(iana)));
        return Map.copyOf(zones);
    }
}
