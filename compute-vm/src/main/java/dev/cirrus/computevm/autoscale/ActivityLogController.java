package dev.cirrus.computevm.autoscale;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.plumbing.arm.ArmPaging;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The autoscale history in the activity log's shape: {@code GET /subscriptions/{s}/providers/Microsoft.Insights/
 * eventtypes/management/values?$filter=eventTimestamp ge '…' [and eventTimestamp le '…'] [and resourceGroupName eq
 * '…'] [and resourceUri eq '…']} (api-version 2015-04-01). Only autoscale's own events are kept here (category
 * Autoscale); the filter's start is required, as Azure requires it.
 */
@RestController
class ActivityLogController {

    private static final Pattern TERM = Pattern.compile("\\s*(\\w+)\\s+(eq|ge|le)\\s+'([^']*)'\\s*", Pattern.CASE_INSENSITIVE);
    private static final int MAX = 1000;

    private final AutoscaleHistory history;
    private final ObjectMapper json;

    ActivityLogController(AutoscaleHistory history, ObjectMapper json) {
        this.history = history;
        this.json = json;
    }

    @GetMapping("/subscriptions/{subscriptionId}/providers/Microsoft.Insights/eventtypes/management/values")
    ObjectNode values(@PathVariable String subscriptionId, HttpServletRequest request) {
        ResourceId.requireSubscriptionId(subscriptionId);
        String filter = ArmPaging.parameter(request, "$filter");
        if (filter == null || filter.isBlank()) {
            throw ArmException.badRequest("BadRequest", "The $filter parameter is required: it must contain "
                    + "eventTimestamp ge '{start}'.", "$filter");
        }
        Instant from = null;
        Instant to = Instant.now().plusSeconds(86_400L * 3650);
        String group = null;
        String resource = null;
        for (String term : filter.split("(?i)\\s+and\\s+")) {
            Matcher m = TERM.matcher(term);
            if (!m.matches()) {
                throw ArmException.badRequest("BadRequest", "The $filter term '" + term.strip() + "' is not supported. "
                        + "Use eventTimestamp ge/le, resourceGroupName eq, resourceUri eq.", "$filter");
            }
            String field = m.group(1).toLowerCase(Locale.ROOT);
            String op = m.group(2).toLowerCase(Locale.ROOT);
            String value = m.group(3);
            switch (field + " " + op) {
                case "eventtimestamp ge" -> from = instant(value);
                case "eventtimestamp le" -> to = instant(value);
                case "resourcegroupname eq" -> group = value;
                case "resourceuri eq", "resourceid eq" -> resource = value;
                default -> throw ArmException.badRequest("BadRequest", "The $filter term '" + term.strip()
                        + "' is not supported. Use eventTimestamp ge/le, resourceGroupName eq, resourceUri eq.",
                        "$filter");
            }
        }
        if (from == null) {
            throw ArmException.badRequest("BadRequest", "The $filter must contain eventTimestamp ge '{start}'.",
                    "$filter");
        }
        ObjectNode body = json.createObjectNode();
        ArrayNode value = body.putArray("value");
        for (AutoscaleHistory.Entry e : history.between(subscriptionId, from, to, MAX)) {
            if (group != null && !group.equalsIgnoreCase(e.resourceGroup())) {
                continue;
            }
            if (resource != null && !resource.equalsIgnoreCase(e.settingId()) && !resource.equalsIgnoreCase(e.targetId())) {
                continue;
            }
            value.add(event(e));
        }
        return body;
    }

    private ObjectNode event(AutoscaleHistory.Entry e) {
        ObjectNode v = json.createObjectNode();
        long ticks = e.time().getEpochSecond() * 10_000_000L + e.time().getNano() / 100 + 621_355_968_000_000_000L;
        v.put("caller", "Microsoft.Insights/autoscaleSettings");
        v.put("channels", "Admin, Operation");
        v.put("correlationId", e.id().toString());
        v.put("description", e.description());
        v.put("eventDataId", e.id().toString());
        v.set("eventName", name("Autoscale" + e.operation().substring(0, 1).toUpperCase(Locale.ROOT)
                + e.operation().substring(1) + "Action"));
        v.set("category", name("Autoscale"));
        v.put("id", e.settingId() + "/events/" + e.id() + "/ticks/" + ticks);
        v.put("level", "Failed".equals(e.status()) ? "Error" : "Informational");
        v.put("operationId", e.id().toString());
        v.set("operationName", name("Microsoft.Insights/AutoscaleSettings/" + e.operation() + "/Action"));
        v.put("resourceGroupName", e.resourceGroup());
        v.set("resourceProviderName", name("Microsoft.Insights"));
        v.set("resourceType", name("Microsoft.Insights/AutoscaleSettings"));
        v.put("resourceId", e.settingId());
        v.set("status", name(e.status()));
        v.set("subStatus", name(""));
        v.put("eventTimestamp", e.time().toString());
        v.put("submissionTimestamp", e.time().toString());
        v.put("subscriptionId", e.subscriptionId());
        ObjectNode p = v.putObject("properties");
        p.put("Description", e.description());
        p.put("ResourceName", e.targetId());
        p.put("OldInstancesCount", Integer.toString(e.oldCapacity()));
        p.put("NewInstancesCount", Integer.toString(e.newCapacity()));
        p.put("ActiveAutoscaleProfile", e.profile());
        p.put("LastScaleActionTime", e.time().toString());
        p.put("Notifications", e.notifications());
        return v;
    }

    private ObjectNode name(String value) {
        return json.createObjectNode().put("value", value).put("localizedValue", value);
    }

    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text.strip() + "Z");
            } catch (DateTimeParseException again) {
                throw ArmException.badRequest("BadRequest", "'" + text + "' is not an ISO 8601 date and time.",
                        "$filter");
            }
        }
    }
}
