package dev.cirrus.gateway.faults;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.cirrus.gateway.provider.ProviderRegistry;
import dev.cirrus.plumbing.arm.ArmException;
import tools.jackson.databind.JsonNode;

/**
 * Reads the body of {@code POST /cirrus/faults} into a {@link FaultRule}, or refuses it with a 400 naming the
 * field: {@code InvalidRequestContent} for a body that is no JSON object, {@code InvalidParameter} for the rest (an
 * unknown kind, service or resource type, a probability outside (0, 1], a duration or latency that is no ISO-8601
 * duration or out of range, an error status outside 400–599, a malformed code, operation or region).
 */
final class FaultRuleRequests {

    private static final Pattern OPERATION = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,63}");
    private static final Pattern CODE = Pattern.compile("[A-Za-z][A-Za-z0-9._]{0,63}");
    private static final Pattern REGION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ]{0,63}");
    private static final Set<String> METHODS = Set.of("GET", "PUT", "PATCH", "DELETE", "POST", "HEAD");
    private static final Duration MAX_LATENCY = Duration.ofMinutes(5);

    private final ProviderRegistry registry;
    private final Duration maxDuration;

    FaultRuleRequests(ProviderRegistry registry, Duration maxDuration) {
        this.registry = registry;
        this.maxDuration = maxDuration;
    }

    /** Every service a rule may name: the owners of the registry's namespaces and types, and the gateway. */
    Set<String> services() {
        Set<String> services = new TreeSet<>();
        services.add(ProviderRegistry.GATEWAY);
        for (ProviderRegistry.Provider p : registry.providers()) {
            services.add(p.owner());
            p.resourceTypes().forEach(t -> services.addAll(t.owners()));
        }
        return services;
    }

    FaultRule read(JsonNode body, String id, Instant now) {
        if (body == null || !body.isObject()) {
            throw ArmException.badRequest("InvalidRequestContent", "The request content must be a JSON object "
                    + "{\"kind\", \"duration\", …}.", null);
        }
        String kindName = string(body, "kind", true);
        FaultRule.Kind kind = FaultRule.Kind.of(kindName);
        if (kind == null) {
            throw ArmException.invalidParameter("The kind '" + kindName + "' is not one of error, latency, drop, "
                    + "regionOutage.", "kind");
        }
        Duration duration = duration(body, "duration", Duration.ofSeconds(1), maxDuration, true);
        Instant expiresAt = now.plus(duration);
        if (kind == FaultRule.Kind.REGION_OUTAGE) {
            String region = string(body, "region", true);
            if (!REGION.matcher(region).matches()) {
                throw ArmException.invalidParameter("The region '" + region + "' is not a region name.", "region");
            }
            return new FaultRule(id, kind, null, null, null, BigDecimal.ONE, null, null, null, null,
                    ProviderRegistry.normalizeLocation(region), List.of(), now, expiresAt);
        }
        String service = string(body, "service", false);
        if (service != null) {
            Set<String> known = services();
            String lower = service.toLowerCase(Locale.ROOT);
            if (!known.contains(lower)) {
                throw ArmException.invalidParameter("The service '" + service + "' is unknown; the services are "
                        + String.join(", ", known) + ".", "service");
            }
            service = lower;
        }
        String resourceType = string(body, "resourceType", false);
        if (resourceType != null) {
            ProviderRegistry.ResourceType type = registry.type(resourceType).orElseThrow(() ->
                    ArmException.invalidParameter("The resource type '" + body.get("resourceType").asString()
                            + "' is unknown: give a registered 'Namespace/type' such as "
                            + "'Microsoft.Compute/virtualMachines'.", "resourceType"));
            if (service != null && !type.owners().contains(service)) {
                throw ArmException.invalidParameter("The resource type '" + type.fullName() + "' does not belong to "
                        + "the service '" + service + "' (it belongs to " + String.join(", ", type.owners()) + ").",
                        "resourceType");
            }
            resourceType = type.fullName();
        }
        String operation = string(body, "operation", false);
        if (operation != null) {
            if (!OPERATION.matcher(operation).matches()) {
                throw ArmException.invalidParameter("The operation '" + operation + "' must be an HTTP method or an "
                        + "action name (letters and digits).", "operation");
            }
            String upper = operation.toUpperCase(Locale.ROOT);
            operation = METHODS.contains(upper) ? upper : operation;
        }
        BigDecimal probability = probability(body.get("probability"));
        Integer status = null;
        String code = null;
        String message = null;
        Duration latency = null;
        if (kind == FaultRule.Kind.ERROR) {
            JsonNode error = body.get("error");
            if (error == null || !error.isObject()) {
                throw ArmException.invalidParameter("An error rule needs 'error': {\"status\", \"code\", "
                        + "\"message\"?}.", "error");
            }
            JsonNode s = error.get("status");
            if (s == null || !s.isIntegralNumber() || s.asInt() < 400 || s.asInt() > 599) {
                throw ArmException.invalidParameter("The property 'error.status' must be a whole number from 400 to "
                        + "599, got " + s + ".", "error.status");
            }
            status = s.asInt();
            code = string(error, "code", true);
            if (!CODE.matcher(code).matches()) {
                throw ArmException.invalidParameter("The property 'error.code' must be letters, digits, '.' and '_' "
                        + "(at most 64), got '" + code + "'.", "error.code");
            }
            message = string(error, "message", false);
            if (message != null && message.length() > 1024) {
                throw ArmException.invalidParameter("The property 'error.message' is longer than 1024 characters.",
                        "error.message");
            }
        }
        if (kind == FaultRule.Kind.LATENCY) {
            latency = duration(body, "latency", Duration.ofMillis(1), MAX_LATENCY, true);
        }
        return new FaultRule(id, kind, service, resourceType, operation, probability, status, code, message, latency,
                null, List.of(), now, expiresAt);
    }

    private static BigDecimal probability(JsonNode value) {
        if (value == null || value.isNull()) {
            return BigDecimal.ONE;
        }
        BigDecimal p = value.isNumber() ? value.decimalValue() : null;
        if (p == null || p.signum() <= 0 || p.compareTo(BigDecimal.ONE) > 0 || p.scale() > 6) {
            throw ArmException.invalidParameter("The property 'probability' must be a number above 0 and at most 1 "
                    + "(at most 6 decimals), got " + value + ".", "probability");
        }
        return p.stripTrailingZeros();
    }

    private static Duration duration(JsonNode body, String field, Duration min, Duration max, boolean required) {
        String text = string(body, field, required);
        Duration d;
        try {
            d = Duration.parse(text);
        } catch (DateTimeParseException e) {
            d = null;
        }
        if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw ArmException.invalidParameter("The property '" + field + "' must be an ISO-8601 duration from " + min
                    + " to " + max + " (e.g. PT5M), got '" + text + "'.", field);
        }
        return d;
    }

    private static String string(JsonNode body, String field, boolean required) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull() || value.isString() && value.asString().isBlank()) {
            if (required) {
                throw ArmException.invalidParameter("The property '" + field + "' is required.", field);
            }
            return null;
        }
        if (!value.isString()) {
            throw ArmException.invalidParameter("The property '" + field + "' must be a string, got " + value + ".",
                    field);
        }
        return value.asString().strip();
    }
}
