package dev.cirrus.serverless.workflow.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.cirrus.serverless.workflow.expression.Evaluator;
import dev.cirrus.serverless.workflow.expression.ExpressionException;
import dev.cirrus.serverless.workflow.expression.Scope;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The actions without an external effect, run inside the step's transaction: Compose, the variable actions, ParseJson
 * and the data operations Query, Select, Join and Table. Variables are the run's ({@code {name: {type, value}}}); a
 * variable action returns them changed.
 */
final class Actions {

    /** An outcome, and the run's variables when the action changed them. */
    record Result(Outcome outcome, JsonNode variables) {
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    Result run(DefinitionIndex.Action action, JsonNode node, Scope scope, JsonNode variables, Instant now) {
        String name = action.name();
        switch (action.type()) {
            case "compose" -> {
                JsonNode inputs = Evaluator.resolve(node.get("inputs"), scope);
                return new Result(Outcome.succeeded(inputs, inputs), null);
            }
            case "initializevariable" -> {
                JsonNode inputs = Evaluator.resolve(node.get("inputs"), scope);
                ObjectNode vars = (ObjectNode) variables.deepCopy();
                for (JsonNode v : inputs.path("variables")) {
                    String var = v.path("name").asString();
                    if (vars.has(var)) {
                        return failed(inputs, "InvalidOperationOnVariable", "The variable '" + var + "' has already "
                                + "been initialized.");
                    }
                    String type = canonicalType(v.path("type").asString(""));
                    JsonNode value = v.has("value") ? v.get("value") : defaultOf(type);
                    if (!fits(type, value)) {
                        return failed(inputs, "InvalidVariableValue", "The value of the variable '" + var + "' is of "
                                + "type '" + typeName(value) + "', which does not match its type '" + type + "'.");
                    }
                    ObjectNode entry = vars.putObject(var);
                    entry.put("type", type);
                    entry.set("value", value);
                }
                return new Result(Outcome.succeeded(inputs, null), vars);
            }
            case "setvariable", "incrementvariable", "decrementvariable", "appendtoarrayvariable",
                 "appendtostringvariable" -> {
                JsonNode inputs = Evaluator.resolve(node.get("inputs"), scope);
                String var = inputs.path("name").asString("");
                JsonNode entry = variables.get(var);
                if (entry == null) {
                    return failed(inputs, "InvalidOperationOnVariable", "The variable '" + var + "' does not exist: "
                            + "initialize it with an InitializeVariable action first.");
                }
                String type = entry.path("type").asString();
                JsonNode current = entry.get("value");
                JsonNode value = inputs.get("value");
                JsonNode updated;
                switch (action.type()) {
                    case "setvariable" -> {
                        if (!fits(type, value)) {
                            return failed(inputs, "InvalidVariableValue", "The value of type '" + typeName(value)
                                    + "' cannot be assigned to the variable '" + var + "' of type '" + type + "'.");
                        }
                        updated = value;
                    }
                    case "incrementvariable", "decrementvariable" -> {
                        JsonNode by = value == null ? NODES.numberNode(1) : value;
                        if (!type.equals("Integer") && !type.equals("Float") || !by.isNumber()) {
                            return failed(inputs, "InvalidOperationOnVariable", "The variable '" + var + "' of type '"
                                    + type + "' cannot be incremented by a value of type '" + typeName(by) + "'.");
                        }
                        int sign = action.type().equals("incrementvariable") ? 1 : -1;
                        updated = type.equals("Integer") && by.isIntegralNumber()
                                ? NODES.numberNode(current.longValue() + sign * by.longValue())
                                : NODES.numberNode(current.doubleValue() + sign * by.doubleValue());
                    }
                    case "appendtoarrayvariable" -> {
                        if (!type.equals("Array")) {
                            return failed(inputs, "InvalidOperationOnVariable", "The variable '" + var + "' of type '"
                                    + type + "' cannot be appended to as an array.");
                        }
                        ArrayNode array = ((ArrayNode) current).deepCopy();
                        array.add(value == null ? NODES.nullNode() : value);
                        updated = array;
                    }
                    default -> {
                        if (!type.equals("String")) {
                            return failed(inputs, "InvalidOperationOnVariable", "The variable '" + var + "' of type '"
                                    + type + "' cannot be appended to as a string.");
                        }
                        updated = NODES.stringNode(current.stringValue() + Evaluator.text(value));
                    }
                }
                ObjectNode vars = (ObjectNode) variables.deepCopy();
                ((ObjectNode) vars.get(var)).set("value", updated);
                ObjectNode outputs = NODES.objectNode();
                outputs.putObject("body").put("name", var).set("value", updated);
                return new Result(Outcome.succeeded(inputs, outputs), vars);
            }
            case "parsejson" -> {
                JsonNode inputs = Evaluator.resolve(node.get("inputs"), scope);
                JsonNode content = inputs.get("content");
                if (content != null && content.isString()) {
                    try {
                        content = JSON.readTree(content.stringValue());
                    } catch (JacksonException e) {
                        return failed(inputs, "InvalidJSON", "The 'content' property of action '" + name + "' is "
                                + "not valid JSON: " + e.getOriginalMessage());
                    }
                }
                List<String> errors = JsonSchemas.validate(inputs.get("schema"), content);
                ObjectNode outputs = NODES.objectNode();
                outputs.set("body", content);
                if (!errors.isEmpty()) {
                    ObjectNode error = Outcome.error("ValidationFailed", "The schema validation failed.");
                    ArrayNode details = error.putArray("details");
                    errors.forEach(m -> details.add(Outcome.error("SchemaValidationFailed", m)));
                    return new Result(new Outcome("Failed", inputs, outputs, error), null);
                }
                return new Result(Outcome.succeeded(inputs, outputs), null);
            }
            case "query" -> {
                JsonNode from = Evaluator.resolve(node.path("inputs").get("from"), scope);
                if (!from.isArray()) {
                    return failed(null, "InvalidTemplate", "The 'from' property of action '" + name + "' must be an "
                            + "array; it is of type '" + typeName(from) + "'.");
                }
                ArrayNode body = NODES.arrayNode();
                for (JsonNode item : from) {
                    JsonNode keep = Evaluator.resolve(node.path("inputs").get("where"), new ItemScope(scope, item));
                    if (keep.isObject()) {
                        keep = NODES.booleanNode(condition(keep));
                    }
                    if (keep.isBoolean() && keep.booleanValue()) {
                        body.add(item);
                    }
                }
                return new Result(Outcome.succeeded(NODES.objectNode().set("from", from),
                        NODES.objectNode().set("body", body)), null);
            }
            case "select" -> {
                JsonNode from = Evaluator.resolve(node.path("inputs").get("from"), scope);
                if (!from.isArray()) {
                    return failed(null, "InvalidTemplate", "The 'from' property of action '" + name + "' must be an "
                            + "array; it is of type '" + typeName(from) + "'.");
                }
                ArrayNode body = NODES.arrayNode();
                for (JsonNode item : from) {
                    body.add(Evaluator.resolve(node.path("inputs").get("select"), new ItemScope(scope, item)));
                }
                return new Result(Outcome.succeeded(NODES.objectNode().set("from", from),
                        NODES.objectNode().set("body", body)), null);
            }
            case "join" -> {
                JsonNode inputs = Evaluator.resolve(node.get("inputs"), scope);
                JsonNode from = inputs.get("from");
                if (!from.isArray()) {
                    return failed(inputs, "InvalidTemplate", "The 'from' property of action '" + name + "' must be an "
                            + "array; it is of type '" + typeName(from) + "'.");
                }
                List<String> parts = new ArrayList<>();
                from.forEach(v -> parts.add(Evaluator.text(v)));
                return new Result(Outcome.succeeded(inputs, NODES.objectNode().put("body",
                        String.join(inputs.path("joinWith").asString(""), parts))), null);
            }
            case "table" -> {
                JsonNode from = Evaluator.resolve(node.path("inputs").get("from"), scope);
                String format = node.path("inputs").path("format").asString("CSV").toUpperCase(Locale.ROOT);
                if (!from.isArray() || !format.equals("CSV") && !format.equals("HTML")) {
                    return failed(null, "InvalidTemplate", "The action '" + name + "' needs an array 'from' and the "
                            + "format CSV or HTML.");
                }
                List<String> headers = new ArrayList<>();
                List<List<String>> rows = new ArrayList<>();
                JsonNode columns = node.path("inputs").get("columns");
                if (columns != null && columns.isArray()) {
                    columns.forEach(c -> headers.add(c.path("header").asString("")));
                    for (JsonNode item : from) {
                        List<String> row = new ArrayList<>();
                        for (JsonNode c : columns) {
                            row.add(Evaluator.text(Evaluator.resolve(c.get("value"), new ItemScope(scope, item))));
                        }
                        rows.add(row);
                    }
                } else {
                    Set<String> keys = new LinkedHashSet<>();
                    from.forEach(item -> keys.addAll(item.propertyNames()));
                    headers.addAll(keys);
                    for (JsonNode item : from) {
                        List<String> row = new ArrayList<>();
                        for (String k : keys) {
                            row.add(item.has(k) ? Evaluator.text(item.get(k)) : "");
                        }
                        rows.add(row);
                    }
                }
                String body = format.equals("CSV") ? csv(headers, rows) : html(headers, rows);
                return new Result(Outcome.succeeded(NODES.objectNode().set("from", from),
                        NODES.objectNode().put("body", body)), null);
            }
            default -> throw new ExpressionException(ExpressionException.Kind.EVALUATION, "The action type of '" + name
                    + "' is not supported.");
        }
    }

    private static Result failed(JsonNode inputs, String code, String message) {
        return new Result(Outcome.failed(inputs, null, code, message), null);
    }

    private static String csv(List<String> headers, List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        out.append(String.join(",", headers.stream().map(Actions::csvCell).toList())).append("\n");
        for (List<String> row : rows) {
            out.append(String.join(",", row.stream().map(Actions::csvCell).toList())).append("\n");
        }
        return out.toString();
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String html(List<String> headers, List<List<String>> rows) {
        StringBuilder out = new StringBuilder("<table><thead><tr>");
        headers.forEach(h -> out.append("<th>").append(escape(h)).append("</th>"));
        out.append("</tr></thead><tbody>");
        for (List<String> row : rows) {
            out.append("<tr>");
            row.forEach(c -> out.append("<td>").append(escape(c)).append("</td>"));
            out.append("</tr>");
        }
        return out.append("</tbody></table>").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The designer's condition objects ({@code {"and": [{"equals": [a, b]}]}}), already evaluated. */
    static boolean condition(JsonNode c) {
        if (c.isBoolean()) {
            return c.booleanValue();
        }
        if (!c.isObject() || c.size() != 1) {
            throw new ExpressionException(ExpressionException.Kind.EVALUATION, "A condition must be an object with "
                    + "one operator such as 'and', 'or', 'equals'.");
        }
        String op = c.propertyNames().iterator().next();
        JsonNode args = c.get(op);
        return switch (op) {
            case "and" -> {
                boolean all = true;
                for (JsonNode a : args) {
                    all &= condition(a);
                }
                yield all;
            }
            case "or" -> {
                boolean any = false;
                for (JsonNode a : args) {
                    any |= condition(a);
                }
                yield any;
            }
            case "not" -> !condition(args);
            default -> {
                if (!args.isArray() || args.size() != 2) {
                    throw new ExpressionException(ExpressionException.Kind.EVALUATION, "The condition '" + op
                            + "' needs two operands.");
                }
                yield Evaluator.call(op, List.of(args.get(0), args.get(1)), null).booleanValue();
            }
        };
    }

    /** When a Wait action ends: {@code interval} {count, unit} from now, or {@code until} {timestamp}. */
    static Instant waitUntil(JsonNode inputs, Instant now) {
        if (inputs.has("until")) {
            String ts = inputs.path("until").path("timestamp").asString("");
            try {
                return OffsetDateTime.parse(ts).toInstant();
            } catch (RuntimeException e) {
                throw new ExpressionException(ExpressionException.Kind.ARGUMENT, "The Wait action's 'until.timestamp' '"
                        + ts + "' is not a valid ISO 8601 timestamp.");
            }
        }
        long count = inputs.path("interval").path("count").asLong(0);
        String unit = inputs.path("interval").path("unit").asString("Second").toLowerCase(Locale.ROOT);
        ChronoUnit u = switch (unit) {
            case "second" -> ChronoUnit.SECONDS;
            case "minute" -> ChronoUnit.MINUTES;
            case "hour" -> ChronoUnit.HOURS;
            case "day" -> ChronoUnit.DAYS;
            case "week" -> ChronoUnit.WEEKS;
            case "month" -> ChronoUnit.MONTHS;
            default -> throw new ExpressionException(ExpressionException.Kind.ARGUMENT, "The Wait action's unit '"
                    + unit + "' is not valid.");
        };
        if (u == ChronoUnit.WEEKS || u == ChronoUnit.MONTHS) {
            return now.plus(Duration.ofDays(count * (u == ChronoUnit.WEEKS ? 7 : 30)));
        }
        return now.plus(count, u);
    }

    static String canonicalRunStatus(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "succeeded" -> "Succeeded";
            case "cancelled" -> "Cancelled";
            default -> "Failed";
        };
    }

    private static String canonicalType(String t) {
        for (String c : List.of("String", "Integer", "Float", "Boolean", "Array", "Object")) {
            if (c.equalsIgnoreCase(t)) {
                return c;
            }
        }
        return "String";
    }

    private static JsonNode defaultOf(String type) {
        return switch (type) {
            case "Integer" -> NODES.numberNode(0);
            case "Float" -> NODES.numberNode(0.0);
            case "Boolean" -> NODES.booleanNode(false);
            case "Array" -> NODES.arrayNode();
            case "Object" -> NODES.objectNode();
            default -> NODES.stringNode("");
        };
    }

    private static boolean fits(String type, JsonNode v) {
        if (v == null || v.isNull()) {
            return true;
        }
        return switch (type) {
            case "Integer" -> v.isIntegralNumber();
            case "Float" -> v.isNumber();
            case "Boolean" -> v.isBoolean();
            case "Array" -> v.isArray();
            case "Object" -> v.isObject();
            default -> v.isString();
        };
    }

    private static String typeName(JsonNode v) {
        if (v == null || v.isNull()) {
            return "Null";
        }
        if (v.isString()) {
            return "String";
        }
        if (v.isIntegralNumber()) {
            return "Integer";
        }
        if (v.isNumber()) {
            return "Float";
        }
        if (v.isBoolean()) {
            return "Boolean";
        }
        return v.isArray() ? "Array" : "Object";
    }

    /** A scope whose {@code item()} is the element a data operation is at. */
    private record ItemScope(Scope outer, JsonNode current) implements Scope {
        @Override
        public java.time.Clock clock() {
            return outer.clock();
        }

        @Override
        public JsonNode trigger() {
            return outer.trigger();
        }

        @Override
        public JsonNode action(String name) {
            return outer.action(name);
        }

        @Override
        public JsonNode variable(String name) {
            return outer.variable(name);
        }

        @Override
        public JsonNode parameter(String name) {
            return outer.parameter(name);
        }

        @Override
        public JsonNode item(String loop) {
            return outer.item(loop);
        }

        @Override
        public JsonNode currentItem() {
            return current;
        }

        @Override
        public JsonNode iterationIndex(String loop) {
            return outer.iterationIndex(loop);
        }

        @Override
        public JsonNode result(String scope) {
            return outer.result(scope);
        }

        @Override
        public JsonNode workflow() {
            return outer.workflow();
        }
    }
}
