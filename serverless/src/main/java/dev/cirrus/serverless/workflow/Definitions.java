package dev.cirrus.serverless.workflow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.serverless.workflow.expression.Evaluator;
import dev.cirrus.serverless.workflow.expression.Expr;
import dev.cirrus.serverless.workflow.expression.ExpressionException;
import tools.jackson.databind.JsonNode;

/**
 * A workflow definition checked against the Workflow Definition Language before it is saved: the members of the
 * definition and their types, trigger and action types, each action's {@code runAfter} (siblings only, known
 * statuses, no cycles), unique action names, parameters and outputs, and every expression (it parses, its functions
 * exist with the right arity, and the actions it names are in the definition). Every violation is Azure's 400
 * {@code InvalidTemplate} with a message naming the element and a target with its path.
 */
public final class Definitions {

    /** Trigger types Cirrus runs (Azure's names; CirrusEvent is Cirrus's own, on Kafka lifecycle events). */
    public static final List<String> TRIGGER_TYPES = List.of("Request", "Recurrence", "Http", "CirrusEvent");
    /** Action types Cirrus runs. */
    public static final List<String> ACTION_TYPES = List.of("Compose", "InitializeVariable", "SetVariable",
            "IncrementVariable", "DecrementVariable", "AppendToArrayVariable", "AppendToStringVariable", "If",
            "Switch", "Foreach", "Until", "Scope", "Terminate", "Wait", "Response", "ParseJson", "Query", "Select",
            "Join", "Table", "Http");
    static final List<String> RUN_AFTER_STATUSES = List.of("Succeeded", "Failed", "Skipped", "TimedOut");
    static final List<String> PARAMETER_TYPES = List.of("String", "SecureString", "Int", "Float", "Bool", "Array",
            "Object", "SecureObject");
    private static final Set<String> TOP_LEVEL = Set.of("$schema", "contentVersion", "parameters", "triggers",
            "actions", "outputs", "staticResults", "description", "metadata");
    static final int MAX_TRIGGERS = 10;
    static final int MAX_ACTIONS = 500;
    static final int MAX_NESTING = 8;

    private Definitions() {
    }

    /** The canonical spelling of a type name (types are case-insensitive), or null when it is not one of them. */
    public static String canonical(List<String> types, String given) {
        return types.stream().filter(t -> t.equalsIgnoreCase(given)).findFirst().orElse(null);
    }

    /** Checks the definition; {@code parameters} are the workflow's values for the definition's parameters. */
    public static void validate(JsonNode definition, JsonNode parameters) {
        String root = "properties.definition";
        if (definition == null || !definition.isObject()) {
            throw invalid("The template validation failed: the workflow definition must be a JSON object.", root);
        }
        for (String member : definition.propertyNames()) {
            if (!TOP_LEVEL.contains(member)) {
                throw invalid("The template validation failed: the member '" + member + "' of the workflow "
                        + "definition is not valid: use $schema, contentVersion, parameters, triggers, actions and "
                        + "outputs.", root + "." + member);
            }
        }
        requireString(definition, "$schema", root);
        requireString(definition, "contentVersion", root);
        Map<String, JsonNode> declared = checkParameters(definition.get("parameters"), root + ".parameters");
        checkParameterValues(declared, parameters);
        JsonNode triggers = objectOrEmpty(definition, "triggers", root);
        if (triggers.size() > MAX_TRIGGERS) {
            throw invalid("The template validation failed: the workflow has " + triggers.size() + " triggers; at most "
                    + MAX_TRIGGERS + " are allowed.", root + ".triggers");
        }
        JsonNode actions = objectOrEmpty(definition, "actions", root);
        Map<String, String> allActions = new LinkedHashMap<>();
        collectActionNames(actions, root + ".actions", allActions, 0);
        if (allActions.size() > MAX_ACTIONS) {
            throw invalid("The template validation failed: the workflow has " + allActions.size() + " actions; at "
                    + "most " + MAX_ACTIONS + " are allowed.", root + ".actions");
        }
        for (String name : triggers.propertyNames()) {
            checkTrigger(name, triggers.get(name), root + ".triggers." + name, allActions.keySet());
        }
        checkActions(actions, root + ".actions", allActions.keySet());
        JsonNode outputs = definition.get("outputs");
        if (outputs != null) {
            if (!outputs.isObject()) {
                throw invalid("The template validation failed: 'outputs' must be an object.", root + ".outputs");
            }
            for (String name : outputs.propertyNames()) {
                JsonNode output = outputs.get(name);
                String path = root + ".outputs." + name;
                if (!output.isObject() || !output.has("value")) {
                    throw invalid("The template validation failed: the template output '" + name + "' must be an "
                            + "object with a 'type' and a 'value'.", path);
                }
                typeOf(output, path, "output '" + name + "'");
                checkExpressions(output.get("value"), path + ".value", "output '" + name + "'", allActions.keySet());
            }
        }
    }

    private static Map<String, JsonNode> checkParameters(JsonNode parameters, String path) {
        Map<String, JsonNode> declared = new HashMap<>();
        if (parameters == null) {
            return declared;
        }
        if (!parameters.isObject()) {
            throw invalid("The template validation failed: 'parameters' must be an object.", path);
        }
        for (String name : parameters.propertyNames()) {
            JsonNode p = parameters.get(name);
            if (!p.isObject()) {
                throw invalid("The template validation failed: the template parameter '" + name + "' must be an "
                        + "object with a 'type'.", path + "." + name);
            }
            typeOf(p, path + "." + name, "parameter '" + name + "'");
            declared.put(name, p);
        }
        return declared;
    }

    private static String typeOf(JsonNode element, String path, String what) {
        JsonNode type = element.get("type");
        if (type == null || !type.isString() || canonical(PARAMETER_TYPES, type.stringValue()) == null) {
            throw invalid("The template validation failed: the type of the template " + what + " is "
                    + (type == null ? "missing" : "'" + type.asString() + "', which is not valid") + ": use one of "
                    + String.join(", ", PARAMETER_TYPES) + ".", path + ".type");
        }
        return canonical(PARAMETER_TYPES, type.stringValue());
    }

    private static void checkParameterValues(Map<String, JsonNode> declared, JsonNode values) {
        if (values != null && !values.isNull()) {
            for (String name : values.propertyNames()) {
                if (!declared.containsKey(name)) {
                    throw invalid("The template validation failed: the workflow parameter '" + name + "' is not "
                            + "declared in the definition's parameters.", "properties.parameters." + name);
                }
                JsonNode v = values.get(name);
                if (!v.isObject() || !v.has("value")) {
                    throw invalid("The template validation failed: the value of the workflow parameter '" + name
                            + "' must be an object with a 'value'.", "properties.parameters." + name);
                }
            }
        }
        for (Map.Entry<String, JsonNode> e : declared.entrySet()) {
            boolean given = values != null && values.has(e.getKey());
            if (!given && !e.getValue().has("defaultValue")) {
                throw invalid("The template validation failed: the value for the template parameter '" + e.getKey()
                        + "' was not provided.", "properties.parameters." + e.getKey());
            }
        }
    }

    private static void collectActionNames(JsonNode actions, String path, Map<String, String> names, int depth) {
        if (depth > MAX_NESTING) {
            throw invalid("The template validation failed: actions are nested more than " + MAX_NESTING
                    + " levels deep.", path);
        }
        for (String name : actions.propertyNames()) {
            String actionPath = path + "." + name;
            if (names.containsKey(name.toLowerCase(Locale.ROOT))) {
                throw invalid("The template validation failed: the action name '" + name + "' is used more than "
                        + "once: action names must be unique across the workflow.", actionPath);
            }
            if (name.isBlank() || name.length() > 80 || name.chars().anyMatch(c -> "<>%&\\?/".indexOf(c) >= 0
                    || Character.isISOControl(c))) {
                throw invalid("The template validation failed: the action name '" + name + "' is not valid: at "
                        + "most 80 characters, none of < > % & \\ ? / or control characters.", actionPath);
            }
            names.put(name.toLowerCase(Locale.ROOT), name);
            JsonNode action = actions.get(name);
            if (!action.isObject()) {
                throw invalid("The template validation failed: the template action '" + name + "' must be an "
                        + "object.", actionPath);
            }
            for (Map.Entry<String, JsonNode> child : children(action, actionPath).entrySet()) {
                collectActionNames(child.getValue(), child.getKey(), names, depth + 1);
            }
        }
    }

    /** The nested action lists of a container action, by their path. */
    static Map<String, JsonNode> children(JsonNode action, String path) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        String type = action.path("type").asString("");
        switch (type.toLowerCase(Locale.ROOT)) {
            case "if" -> {
                out.put(path + ".actions", objectOrEmpty(action, "actions", path));
                JsonNode otherwise = action.get("else");
                if (otherwise != null) {
                    if (!otherwise.isObject()) {
                        throw invalid("The template validation failed: 'else' of the template action must be an "
                                + "object with 'actions'.", path + ".else");
                    }
                    out.put(path + ".else.actions", objectOrEmpty(otherwise, "actions", path + ".else"));
                }
            }
            case "switch" -> {
                JsonNode cases = action.get("cases");
                if (cases != null) {
                    if (!cases.isObject()) {
                        throw invalid("The template validation failed: 'cases' must be an object.", path + ".cases");
                    }
                    for (String c : cases.propertyNames()) {
                        JsonNode kase = cases.get(c);
                        if (!kase.isObject()) {
                            throw invalid("The template validation failed: the case '" + c + "' must be an object.",
                                    path + ".cases." + c);
                        }
                        out.put(path + ".cases." + c + ".actions", objectOrEmpty(kase, "actions", path + ".cases." + c));
                    }
                }
                JsonNode otherwise = action.get("default");
                if (otherwise != null && otherwise.isObject()) {
                    out.put(path + ".default.actions", objectOrEmpty(otherwise, "actions", path + ".default"));
                }
            }
            case "foreach", "until", "scope" -> out.put(path + ".actions", objectOrEmpty(action, "actions", path));
            default -> {
            }
        }
        return out;
    }

    private static void checkTrigger(String name, JsonNode trigger, String path, Set<String> actions) {
        if (!trigger.isObject()) {
            throw invalid("The template validation failed: the template trigger '" + name + "' must be an object.",
                    path);
        }
        String type = checkType(trigger, path, "trigger", name, TRIGGER_TYPES);
        JsonNode inputs = trigger.get("inputs");
        if (inputs != null && !inputs.isObject()) {
            throw invalid("The template validation failed: the 'inputs' of the template trigger '" + name
                    + "' must be an object.", path + ".inputs");
        }
        switch (type) {
            case "Request" -> {
                JsonNode schema = inputs == null ? null : inputs.get("schema");
                if (schema != null && !schema.isObject()) {
                    throw invalid("The template validation failed: the 'schema' of the Request trigger '" + name
                            + "' must be a JSON schema object.", path + ".inputs.schema");
                }
                String method = inputs == null ? null : inputs.path("method").asString(null);
                if (method != null && !List.of("GET", "POST", "PUT", "PATCH", "DELETE")
                        .contains(method.toUpperCase(Locale.ROOT))) {
                    throw invalid("The template validation failed: the method '" + method + "' of the Request "
                            + "trigger '" + name + "' is not valid.", path + ".inputs.method");
                }
            }
            case "Recurrence" -> Recurrence.read(trigger.get("recurrence"), path + ".recurrence");
            case "Http" -> {
                Recurrence.read(trigger.get("recurrence"), path + ".recurrence");
                requireInput(inputs, "uri", path, name);
                requireInput(inputs, "method", path, name);
            }
            case "CirrusEvent" -> {
                requireInput(inputs, "topic", path, name);
                requireInput(inputs, "eventType", path, name);
                String topic = inputs.get("topic").stringValue();
                if (!dev.cirrus.contracts.events.Topics.ALL.contains(topic)) {
                    throw invalid("The template validation failed: the topic '" + topic + "' of the CirrusEvent "
                            + "trigger '" + name + "' is not one of Cirrus's: " + String.join(", ",
                            dev.cirrus.contracts.events.Topics.ALL) + ".", path + ".inputs.topic");
                }
            }
            default -> {
            }
        }
        checkExpressions(trigger.get("inputs"), path + ".inputs", "trigger '" + name + "'", Set.of());
        checkExpressions(trigger.get("conditions"), path + ".conditions", "trigger '" + name + "'", Set.of());
    }

    private static void requireInput(JsonNode inputs, String member, String path, String name) {
        if (inputs == null || !inputs.has(member) || !inputs.get(member).isString()
                || inputs.get(member).stringValue().isBlank()) {
            throw invalid("The template validation failed: the template trigger '" + name + "' must have a "
                    + "string 'inputs." + member + "'.", path + ".inputs." + member);
        }
    }

    private static void checkActions(JsonNode actions, String path, Set<String> all) {
        for (String name : actions.propertyNames()) {
            JsonNode action = actions.get(name);
            String actionPath = path + "." + name;
            String type = checkType(action, actionPath, "action", name, ACTION_TYPES);
            JsonNode runAfter = action.get("runAfter");
            if (runAfter != null) {
                if (!runAfter.isObject()) {
                    throw invalid("The template validation failed: the 'runAfter' property of template action '"
                            + name + "' must be an object.", actionPath + ".runAfter");
                }
                for (String before : runAfter.propertyNames()) {
                    if (!actions.has(before)) {
                        throw invalid("The template validation failed: the 'runAfter' property of template action '"
                                + name + "' contains non-existent action: '" + before + "'.",
                                actionPath + ".runAfter." + before);
                    }
                    JsonNode statuses = runAfter.get(before);
                    if (!statuses.isArray()) {
                        throw invalid("The template validation failed: the 'runAfter' statuses of template action '"
                                + name + "' for '" + before + "' must be an array.", actionPath + ".runAfter." + before);
                    }
                    for (JsonNode s : statuses) {
                        if (!s.isString() || canonical(RUN_AFTER_STATUSES, s.stringValue()) == null) {
                            throw invalid("The template validation failed: the 'runAfter' status '" + s.asString()
                                    + "' of template action '" + name + "' is not valid: use Succeeded, Failed, "
                                    + "Skipped or TimedOut.", actionPath + ".runAfter." + before);
                        }
                    }
                }
            }
            checkActionShape(name, type, action, actionPath);
            for (String member : List.of("inputs", "expression", "foreach", "limit")) {
                checkExpressions(action.get(member), actionPath + "." + member, "action '" + name + "'", all);
            }
            if (action.has("cases")) {
                for (String c : action.get("cases").propertyNames()) {
                    checkExpressions(action.get("cases").get(c).get("case"), actionPath + ".cases." + c + ".case",
                            "action '" + name + "'", all);
                }
            }
            checkRetryAndLimit(name, action, actionPath);
            for (Map.Entry<String, JsonNode> child : children(action, actionPath).entrySet()) {
                checkActions(child.getValue(), child.getKey(), all);
            }
        }
        checkCycles(actions, path);
    }

    private static void checkActionShape(String name, String type, JsonNode action, String path) {
        JsonNode inputs = action.get("inputs");
        switch (type) {
            case "If" -> require(action, "expression", path, name);
            case "Switch" -> {
                require(action, "expression", path, name);
                JsonNode cases = action.get("cases");
                if (cases != null) {
                    Set<String> seen = new HashSet<>();
                    for (String c : cases.propertyNames()) {
                        JsonNode value = cases.get(c).get("case");
                        if (value == null || !(value.isString() || value.isNumber())) {
                            throw invalid("The template validation failed: the case '" + c + "' of the template "
                                    + "action '" + name + "' must have a string or number 'case'.",
                                    path + ".cases." + c + ".case");
                        }
                        if (!seen.add(value.asString())) {
                            throw invalid("The template validation failed: the template action '" + name + "' has "
                                    + "more than one case for the value '" + value.asString() + "'.",
                                    path + ".cases." + c + ".case");
                        }
                    }
                }
            }
            case "Foreach" -> require(action, "foreach", path, name);
            case "Until" -> require(action, "expression", path, name);
            case "Http" -> {
                requireMember(inputs, "method", path, name);
                requireMember(inputs, "uri", path, name);
            }
            case "InitializeVariable" -> {
                requireMember(inputs, "variables", path, name);
                JsonNode variables = inputs.get("variables");
                if (!variables.isArray() || variables.isEmpty()) {
                    throw invalid("The template validation failed: 'inputs.variables' of the template action '" + name
                            + "' must be a non-empty array.", path + ".inputs.variables");
                }
                for (int i = 0; i < variables.size(); i++) {
                    JsonNode v = variables.get(i);
                    if (!v.path("name").isString()) {
                        throw invalid("The template validation failed: the variable " + i + " of the template action '"
                                + name + "' must have a 'name'.", path + ".inputs.variables[" + i + "].name");
                    }
                    String vt = v.path("type").asString("");
                    if (canonical(List.of("String", "Integer", "Float", "Boolean", "Array", "Object"), vt) == null) {
                        throw invalid("The template validation failed: the type '" + vt + "' of the variable '"
                                + v.path("name").asString() + "' is not valid: use String, Integer, Float, Boolean, "
                                + "Array or Object.", path + ".inputs.variables[" + i + "].type");
                    }
                }
            }
            case "SetVariable", "IncrementVariable", "DecrementVariable", "AppendToArrayVariable",
                 "AppendToStringVariable" -> requireMember(inputs, "name", path, name);
            case "Terminate" -> {
                requireMember(inputs, "runStatus", path, name);
                String status = inputs.get("runStatus").asString("");
                if (canonical(List.of("Succeeded", "Failed", "Cancelled"), status) == null) {
                    throw invalid("The template validation failed: the 'runStatus' '" + status + "' of the template "
                            + "action '" + name + "' is not valid: use Succeeded, Failed or Cancelled.",
                            path + ".inputs.runStatus");
                }
            }
            case "Wait" -> {
                if (inputs == null || !(inputs.has("interval") || inputs.has("until"))) {
                    throw invalid("The template validation failed: the template action '" + name + "' of type 'Wait' "
                            + "must have 'inputs.interval' or 'inputs.until'.", path + ".inputs");
                }
            }
            case "ParseJson" -> {
                requireMember(inputs, "content", path, name);
                requireMember(inputs, "schema", path, name);
            }
            case "Query" -> {
                requireMember(inputs, "from", path, name);
                requireMember(inputs, "where", path, name);
            }
            case "Select" -> {
                requireMember(inputs, "from", path, name);
                requireMember(inputs, "select", path, name);
            }
            case "Join" -> {
                requireMember(inputs, "from", path, name);
                requireMember(inputs, "joinWith", path, name);
            }
            case "Table" -> {
                requireMember(inputs, "from", path, name);
                requireMember(inputs, "format", path, name);
            }
            case "Response" -> requireMember(inputs, "statusCode", path, name);
            default -> {
            }
        }
    }

    private static void checkRetryAndLimit(String name, JsonNode action, String path) {
        JsonNode retry = action.path("inputs").get("retryPolicy");
        if (retry != null) {
            String type = retry.path("type").asString("");
            if (canonical(List.of("none", "fixed", "exponential"), type) == null) {
                throw invalid("The template validation failed: the retry policy type '" + type + "' of the template "
                        + "action '" + name + "' is not valid: use none, fixed or exponential.",
                        path + ".inputs.retryPolicy.type");
            }
            JsonNode count = retry.get("count");
            if (count != null && (!count.isIntegralNumber() || count.intValue() < 1 || count.intValue() > 90)) {
                throw invalid("The template validation failed: the retry count of the template action '" + name
                        + "' must be an integer from 1 to 90.", path + ".inputs.retryPolicy.count");
            }
            for (String member : List.of("interval", "minimumInterval", "maximumInterval")) {
                JsonNode interval = retry.get(member);
                if (interval != null && (!interval.isString() || Durations.parse(interval.stringValue()) == null)) {
                    throw invalid("The template validation failed: the retry '" + member + "' of the template action '"
                            + name + "' must be an ISO 8601 duration such as PT7S.", path + ".inputs.retryPolicy." + member);
                }
            }
        }
        JsonNode timeout = action.path("limit").get("timeout");
        if (timeout != null && (!timeout.isString() || Durations.parse(timeout.stringValue()) == null)) {
            throw invalid("The template validation failed: the 'limit.timeout' of the template action '" + name
                    + "' must be an ISO 8601 duration such as PT1H.", path + ".limit.timeout");
        }
        JsonNode count = action.path("limit").get("count");
        if (count != null && (!count.isIntegralNumber() || count.intValue() < 1 || count.intValue() > 5000)) {
            throw invalid("The template validation failed: the 'limit.count' of the template action '" + name
                    + "' must be an integer from 1 to 5000.", path + ".limit.count");
        }
        JsonNode repetitions = action.path("runtimeConfiguration").path("concurrency").get("repetitions");
        if (repetitions != null && (!repetitions.isIntegralNumber() || repetitions.intValue() < 1
                || repetitions.intValue() > 50)) {
            throw invalid("The template validation failed: the concurrency 'repetitions' of the template action '"
                    + name + "' must be an integer from 1 to 50.", path + ".runtimeConfiguration.concurrency.repetitions");
        }
    }

    /** Depth-first search for a cycle among the runAfter edges of one scope's actions. */
    private static void checkCycles(JsonNode actions, String path) {
        Map<String, Integer> state = new HashMap<>();
        for (String name : actions.propertyNames()) {
            List<String> trail = new ArrayList<>();
            if (cycleFrom(actions, name, state, trail)) {
                throw invalid("The template validation failed: the template actions '" + String.join(", ", trail)
                        + "' are in a cycle: their 'runAfter' properties depend on each other.",
                        path + "." + trail.getFirst() + ".runAfter");
            }
        }
    }

    private static boolean cycleFrom(JsonNode actions, String name, Map<String, Integer> state, List<String> trail) {
        Integer s = state.get(name);
        if (s != null) {
            return s == 1;
        }
        state.put(name, 1);
        trail.add(name);
        JsonNode runAfter = actions.path(name).path("runAfter");
        if (runAfter.isObject()) {
            for (String before : runAfter.propertyNames()) {
                if (cycleFrom(actions, before, state, trail)) {
                    return true;
                }
            }
        }
        trail.removeLast();
        state.put(name, 2);
        return false;
    }

    private static String checkType(JsonNode element, String path, String what, String name, List<String> types) {
        JsonNode type = element.get("type");
        if (type == null || !type.isString()) {
            throw invalid("The template validation failed: the template " + what + " '" + name + "' must have a "
                    + "string 'type'.", path + ".type");
        }
        String canonical = canonical(types, type.stringValue());
        if (canonical == null) {
            throw invalid("The template validation failed: the template " + what + " '" + name + "' is not valid: the "
                    + "workflow " + what + " type '" + type.stringValue() + "' is not supported.", path + ".type");
        }
        return canonical;
    }

    private static void require(JsonNode action, String member, String path, String name) {
        if (!action.has(member) || action.get(member).isNull()) {
            throw invalid("The template validation failed: the template action '" + name + "' must have a '" + member
                    + "' property.", path + "." + member);
        }
    }

    private static void requireMember(JsonNode inputs, String member, String path, String name) {
        if (inputs == null || !inputs.isObject() || !inputs.has(member) || inputs.get(member).isNull()) {
            throw invalid("The template validation failed: the template action '" + name + "' must have an 'inputs."
                    + member + "' property.", path + ".inputs." + member);
        }
    }

    private static void checkExpressions(JsonNode value, String path, String owner, Set<String> actions) {
        if (value == null) {
            return;
        }
        List<Expr.Call> calls;
        try {
            calls = Evaluator.check(value);
        } catch (ExpressionException e) {
            throw invalid("The template validation failed: the template " + owner + " is not valid: \""
                    + e.getMessage() + "\".", path);
        }
        for (Expr.Call call : calls) {
            String fn = call.name().toLowerCase(Locale.ROOT);
            if (List.of("body", "outputs", "actions", "actionbody", "actionoutputs").contains(fn)
                    && call.arguments().size() == 1 && call.arguments().getFirst() instanceof Expr.Literal l
                    && l.value().isString() && !actions.contains(l.value().stringValue().toLowerCase(Locale.ROOT))) {
                throw invalid("The template validation failed: the action(s) '" + l.value().stringValue()
                        + "' referenced by '" + path.substring(path.lastIndexOf('.') + 1) + "' in " + owner
                        + " are not defined in the template.", path);
            }
        }
    }

    private static void requireString(JsonNode parent, String member, String path) {
        JsonNode v = parent.get(member);
        if (v != null && !v.isString()) {
            throw invalid("The template validation failed: '" + member + "' must be a string.", path + "." + member);
        }
    }

    private static JsonNode objectOrEmpty(JsonNode parent, String member, String path) {
        JsonNode v = parent.get(member);
        if (v == null || v.isNull()) {
            return tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!v.isObject()) {
            throw invalid("The template validation failed: '" + member + "' must be an object.", path + "." + member);
        }
        return v;
    }

    static ArmException invalid(String message, String target) {
        return ArmException.badRequest("InvalidTemplate", message, target);
    }
}
