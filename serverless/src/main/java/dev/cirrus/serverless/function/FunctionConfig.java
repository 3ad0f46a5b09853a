package dev.cirrus.serverless.function;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.serverless.trigger.timer.NCrontab;
import tools.jackson.databind.JsonNode;

/**
 * A validated function.json: its bindings, exactly one of them the trigger. Validation names the binding at fault
 * ({@code properties.config.bindings[1]}), so a user sees which one to fix.
 */
public record FunctionConfig(JsonNode raw, List<Binding> bindings, Binding trigger, String scriptFile,
                             String entryPoint, boolean disabled, RetryPolicy retry) {

    /** One binding of function.json; {@code raw} keeps the type-specific settings. */
    public record Binding(String type, String direction, String name, JsonNode raw) {
        public String text(String field, String otherwise) {
            JsonNode value = raw.get(field);
            return value == null || value.isNull() ? otherwise : value.asString();
        }
    }

    static final Set<String> TRIGGERS = Set.of("httptrigger", "timertrigger", "kafkatrigger");
    static final Set<String> OUTPUTS = Set.of("http", "kafka");
    private static final Pattern NAME = Pattern.compile("\\$return|[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern KAFKA_TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,240}");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE");

    public static FunctionConfig parse(JsonNode config) {
        String target = "properties.config";
        if (config == null || !config.isObject()) {
            throw ArmException.badRequest("InvalidFunctionConfig", "properties.config (function.json) must be an object", target);
        }
        JsonNode list = config.get("bindings");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw ArmException.badRequest("InvalidFunctionConfig", "function.json must have a non-empty 'bindings' array",
                    target + ".bindings");
        }
        List<Binding> bindings = new ArrayList<>();
        Binding trigger = null;
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String at = target + ".bindings[" + i + "]";
            if (!node.isObject()) {
                throw ArmException.badRequest("InvalidFunctionConfig", "binding " + i + " must be an object", at);
            }
            String name = node.path("name").isString() ? node.get("name").asString() : null;
            String label = name == null ? "binding " + i : "binding '" + name + "'";
            if (name == null || !NAME.matcher(name).matches()) {
                throw ArmException.badRequest("InvalidFunctionConfig",
                        label + " needs a 'name' that is an identifier or $return", at + ".name");
            }
            String type = node.path("type").isString() ? node.get("type").asString() : null;
            if (type == null || type.isBlank()) {
                throw ArmException.badRequest("InvalidFunctionConfig", label + " needs a 'type'", at + ".type");
            }
            String direction = node.path("direction").isString() ? node.get("direction").asString().toLowerCase(Locale.ROOT) : null;
            if (direction == null || !Set.of("in", "out", "inout").contains(direction)) {
                throw ArmException.badRequest("InvalidFunctionConfig",
                        label + " needs a 'direction' of in, out or inout", at + ".direction");
            }
            String typeKey = type.toLowerCase(Locale.ROOT);
            Binding binding = new Binding(type, direction, name, node);
            if (typeKey.endsWith("trigger")) {
                if (trigger != null) {
                    throw ArmException.badRequest("InvalidFunctionConfig", label + " is a second trigger: a function has exactly one trigger", at);
                }
                if (!TRIGGERS.contains(typeKey)) {
                    throw ArmException.badRequest("InvalidFunctionConfig", label + ": trigger type '" + type
                            + "' is not supported (httpTrigger, timerTrigger, kafkaTrigger)", at + ".type");
                }
                if (!direction.equals("in")) {
                    throw ArmException.badRequest("InvalidFunctionConfig", label + ": a trigger's direction is 'in'", at + ".direction");
                }
                validateTrigger(typeKey, binding, label, at);
                trigger = binding;
            } else if (!(direction.equals("out") && OUTPUTS.contains(typeKey))) {
                throw ArmException.badRequest("InvalidFunctionConfig", label + ": binding type '" + type + "' with direction '"
                        + direction + "' is not supported (outputs: http, kafka)", at + ".type");
            } else if (typeKey.equals("kafka") && !KAFKA_TOPIC.matcher(binding.text("topic", "")).matches()) {
                throw ArmException.badRequest("InvalidFunctionConfig", label
                        + " needs a 'topic': 1-240 letters, digits, '.', '_' or '-'", at + ".topic");
            }
            for (Binding other : bindings) {
                if (other.name().equalsIgnoreCase(name)) {
                    throw ArmException.badRequest("InvalidFunctionConfig", label + ": the name is used twice", at + ".name");
                }
            }
            bindings.add(binding);
        }
        if (trigger == null) {
            throw ArmException.badRequest("InvalidFunctionConfig", "function.json has no trigger binding: exactly one is required",
                    target + ".bindings");
        }
        if (trigger.type().equalsIgnoreCase("httpTrigger")) {
            // nothing else to check: an http output is optional ($return or context.res serve)
        } else if (bindings.stream().anyMatch(b -> b.type().equalsIgnoreCase("http"))) {
            throw ArmException.badRequest("InvalidFunctionConfig", "an 'http' output binding needs an httpTrigger", target + ".bindings");
        }
        RetryPolicy retry = null;
        JsonNode retryNode = config.get("retry");
        if (retryNode != null && !retryNode.isNull()) {
            if (!trigger.type().equalsIgnoreCase("kafkaTrigger")) {
                throw ArmException.badRequest("InvalidFunctionConfig", "a retry policy applies to kafkaTrigger functions only",
                        target + ".retry");
            }
            retry = RetryPolicy.parse(retryNode, target + ".retry");
        }
        String scriptFile = config.path("scriptFile").isString()
                ? FilePaths.check(config.get("scriptFile").asString(), "InvalidFunctionConfig", target + ".scriptFile")
                : "index.js";
        String entryPoint = config.path("entryPoint").isString() ? config.get("entryPoint").asString() : null;
        return new FunctionConfig(config, List.copyOf(bindings), trigger, scriptFile, entryPoint,
                config.path("disabled").asBoolean(false), retry);
    }

    private static void validateTrigger(String typeKey, Binding binding, String label, String at) {
        switch (typeKey) {
            case "httptrigger" -> {
                String level = binding.text("authLevel", "function").toLowerCase(Locale.ROOT);
                if (!Set.of("anonymous", "function", "admin").contains(level)) {
                    throw ArmException.badRequest("InvalidFunctionConfig",
                            label + ": authLevel must be anonymous, function or admin", at + ".authLevel");
                }
                JsonNode methods = binding.raw().get("methods");
                if (methods != null && !methods.isNull()) {
                    if (!methods.isArray()) {
                        throw ArmException.badRequest("InvalidFunctionConfig", label + ": methods must be an array", at + ".methods");
                    }
                    for (JsonNode method : methods) {
                        if (!METHODS.contains(method.asString().toUpperCase(Locale.ROOT))) {
                            throw ArmException.badRequest("InvalidFunctionConfig",
                                    label + ": unknown HTTP method '" + method.asString() + "'", at + ".methods");
                        }
                    }
                }
                try {
                    RouteTemplate.parse(binding.text("route", "x"));
                } catch (IllegalArgumentException e) {
                    throw ArmException.badRequest("InvalidFunctionConfig", label + ": " + e.getMessage(), at + ".route");
                }
            }
            case "timertrigger" -> {
                String schedule = binding.text("schedule", null);
                try {
                    NCrontab.parse(schedule);
                } catch (IllegalArgumentException e) {
                    throw ArmException.badRequest("InvalidFunctionConfig", label + ": " + e.getMessage(), at + ".schedule");
                }
            }
            case "kafkatrigger" -> {
                String topic = binding.text("topic", "");
                if (!KAFKA_TOPIC.matcher(topic).matches()) {
                    throw ArmException.badRequest("InvalidFunctionConfig", label
                            + " needs a 'topic': 1-240 letters, digits, '.', '_' or '-'", at + ".topic");
                }
                String group = binding.text("consumerGroup", "$Default");
                if (!group.equals("$Default") && !KAFKA_TOPIC.matcher(group).matches()) {
                    throw ArmException.badRequest("InvalidFunctionConfig", label
                            + ": consumerGroup must be 1-240 letters, digits, '.', '_' or '-' (or $Default)", at + ".consumerGroup");
                }
                String cardinality = binding.text("cardinality", "one");
                if (!cardinality.equalsIgnoreCase("one")) {
                    throw ArmException.badRequest("InvalidFunctionConfig", label
                            + ": cardinality '" + cardinality + "' is not supported (one message per execution: 'one')", at + ".cardinality");
                }
                String reset = binding.text("autoOffsetReset", "earliest");
                if (!Set.of("earliest", "latest").contains(reset.toLowerCase(Locale.ROOT))) {
                    throw ArmException.badRequest("InvalidFunctionConfig", label
                            + ": autoOffsetReset must be earliest or latest", at + ".autoOffsetReset");
                }
            }
            default -> throw new IllegalStateException(typeKey);
        }
    }

    public boolean isHttp() {
        return trigger.type().equalsIgnoreCase("httpTrigger");
    }

    public String triggerKind() {
        return switch (trigger.type().toLowerCase(Locale.ROOT)) {
            case "httptrigger" -> "http";
            case "timertrigger" -> "timer";
            default -> "kafka";
        };
    }
}
