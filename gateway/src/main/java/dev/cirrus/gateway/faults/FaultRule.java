package dev.cirrus.gateway.faults;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.cirrus.contracts.events.FaultRuleData;

/**
 * A fault-injection rule: which ARM requests it matches (service, resource type, operation: each null = any), how
 * likely a matching request gets the fault, which fault ({@link Kind}), and until when. A region outage matches no
 * request: it fails every rack of its region for its duration.
 */
record FaultRule(String id, Kind kind, String service, String resourceType, String operation, BigDecimal probability,
                 Integer errorStatus, String errorCode, String errorMessage, Duration latency, String region,
                 List<String> racks, Instant createdAt, Instant expiresAt) {

    enum Kind {
        ERROR("error"), LATENCY("latency"), DROP("drop"), REGION_OUTAGE("regionOutage");

        final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        static Kind of(String wire) {
            for (Kind k : values()) {
                if (k.wire.equals(wire)) {
                    return k;
                }
            }
            return null;
        }
    }

    FaultRule {
        racks = racks == null ? List.of() : List.copyOf(racks);
    }

    boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /**
     * Whether a request matches: {@code services} the services the request is for (one, or the owners of a type
     * owned by kind), {@code type} its {@code Namespace/type} (null: none), its method and, for a POST, the action
     * (the last path segment).
     */
    boolean matches(List<String> services, String type, String method, String action) {
        if (kind == Kind.REGION_OUTAGE) {
            return false;
        }
        if (service != null && services.stream().noneMatch(service::equalsIgnoreCase)) {
            return false;
        }
        if (resourceType != null && (type == null || !resourceType.equalsIgnoreCase(type))) {
            return false;
        }
        if (operation == null) {
            return true;
        }
        return operation.equalsIgnoreCase(method)
                || method.equalsIgnoreCase("POST") && action != null && operation.equalsIgnoreCase(action);
    }

    /** The rule as the API answers it. */
    Map<String, Object> toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("kind", kind.wire);
        body.put("service", service);
        body.put("resourceType", resourceType);
        body.put("operation", operation);
        body.put("probability", probability);
        if (kind == Kind.ERROR) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("status", errorStatus);
            error.put("code", errorCode);
            error.put("message", errorMessage);
            body.put("error", error);
        }
        if (kind == Kind.LATENCY) {
            body.put("latency", latency.toString());
        }
        if (kind == Kind.REGION_OUTAGE) {
            body.put("region", region);
            body.put("racks", racks);
        }
        body.put("createdAt", createdAt.toString());
        body.put("expiresAt", expiresAt.toString());
        body.put("duration", Duration.between(createdAt, expiresAt).toString());
        return body;
    }

    FaultRuleData data(String reason) {
        return new FaultRuleData(id, kind.wire, service, resourceType, operation, probability, errorStatus, errorCode,
                latency == null ? null : latency.toString(), region, racks, expiresAt, reason);
    }

    String subject() {
        return "/cirrus/faults/" + id.toLowerCase(Locale.ROOT);
    }
}
