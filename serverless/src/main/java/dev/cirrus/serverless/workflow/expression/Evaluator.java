package dev.cirrus.serverless.workflow.expression;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Evaluates the expressions of a workflow definition over Jackson values: a string value is read as a
 * {@link Template}, and objects and arrays are evaluated member by member (the way an action's {@code inputs} are).
 */
public final class Evaluator {

    private Evaluator() {
    }

    /** One expression (without its leading {@code @}), e.g. {@code add(1, 2)}. */
    public static JsonNode evaluate(String expression, Scope scope) {
        return evaluate(ExpressionParser.parse(expression), scope);
    }

    /** A definition value: strings as templates, containers member by member, other values as they are. */
    public static JsonNode resolve(JsonNode value, Scope scope) {
        if (value == null) {
            return Values.NODES.nullNode();
        }
        if (value.isString()) {
            return evaluate(Template.parse(value.stringValue()), scope);
        }
        if (value.isArray()) {
            ArrayNode out = Values.NODES.arrayNode();
            value.forEach(v -> out.add(resolve(v, scope)));
            return out;
        }
        if (value.isObject()) {
            ObjectNode out = Values.NODES.objectNode();
            Iterator<Map.Entry<String, JsonNode>> it = value.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey(), resolve(e.getValue(), scope));
            }
            return out;
        }
        return value;
    }

    /**
     * Every expression inside a definition value parsed, without evaluating: the first that does not parse (or names
     * an unknown function, or has the wrong arity) is thrown. Returns the function calls with a literal first
     * argument, e.g. {@code body('a')}, so a caller can check the names they reference.
     */
    public static List<Expr.Call> check(JsonNode value) {
        List<Expr.Call> calls = new ArrayList<>();
        collectTemplates(value, calls);
        return calls;
    }

    /** A function of the language called on values already evaluated. */
    public static JsonNode call(String function, List<JsonNode> arguments, Scope scope) {
        return Functions.call(function, arguments, scope);
    }

    /** The text of a value as interpolation writes it. */
    public static String text(JsonNode value) {
        return Values.text(value);
    }

    /** Whether two values are equal as the language compares them (numbers by value). */
    public static boolean same(JsonNode a, JsonNode b) {
        return Values.same(a, b);
    }

    private static void collectTemplates(JsonNode value, List<Expr.Call> calls) {
        if (value == null) {
            return;
        }
        if (value.isString()) {
            switch (Template.parse(value.stringValue())) {
                case Template.Text t -> { }
                case Template.Whole w -> collectCalls(w.expression(), calls);
                case Template.Interpolated i -> i.parts().forEach(p -> {
                    if (p instanceof Expr e) {
                        collectCalls(e, calls);
                    }
                });
            }
        } else if (value.isContainer()) {
            for (JsonNode child : value) {
                collectTemplates(child, calls);
            }
            if (value.isObject()) {
                value.propertyNames().forEach(name -> {
                    if (name.startsWith("@")) {
                        collectTemplates(Values.of(name), calls);
                    }
                });
            }
        }
    }

    private static void collectCalls(Expr expr, List<Expr.Call> calls) {
        switch (expr) {
            case Expr.Literal l -> { }
            case Expr.Member m -> {
                collectCalls(m.target(), calls);
                collectCalls(m.key(), calls);
            }
            case Expr.Call c -> {
                calls.add(c);
                c.arguments().forEach(a -> collectCalls(a, calls));
            }
        }
    }

    static JsonNode evaluate(Template template, Scope scope) {
        return switch (template) {
            case Template.Text t -> Values.of(t.text());
            case Template.Whole w -> evaluate(w.expression(), scope);
            case Template.Interpolated i -> {
                StringBuilder out = new StringBuilder();
                for (Object part : i.parts()) {
                    out.append(part instanceof Expr e ? Values.text(evaluate(e, scope)) : (String) part);
                }
                yield Values.of(out.toString());
            }
        };
    }

    static JsonNode evaluate(Expr expr, Scope scope) {
        return switch (expr) {
            case Expr.Literal l -> l.value();
            case Expr.Call c -> {
                List<JsonNode> args = new ArrayList<>(c.arguments().size());
                for (Expr a : c.arguments()) {
                    args.add(evaluate(a, scope));
                }
                yield Functions.call(c.name(), args, scope);
            }
            case Expr.Member m -> member(evaluate(m.target(), scope), evaluate(m.key(), scope), m.nullSafe());
        };
    }

    private static JsonNode member(JsonNode target, JsonNode key, boolean nullSafe) {
        if (Values.isNull(target)) {
            if (nullSafe) {
                return Values.NODES.nullNode();
            }
            throw new ExpressionException(ExpressionException.Kind.EVALUATION, "The template language expression "
                    + "cannot be evaluated because property '" + Values.text(key) + "' cannot be selected from a "
                    + "null value. Use the '?' operator to select it safely.");
        }
        if (target.isArray()) {
            if (!key.isIntegralNumber()) {
                throw new ExpressionException(ExpressionException.Kind.EVALUATION, "The template language expression "
                        + "cannot be evaluated because an array can only be indexed with an integer, not '"
                        + Values.text(key) + "'.");
            }
            long i = key.longValue();
            if (i < 0 || i >= target.size()) {
                if (nullSafe) {
                    return Values.NODES.nullNode();
                }
                throw new ExpressionException(ExpressionException.Kind.EVALUATION, "The template language expression "
                        + "cannot be evaluated because array index '" + i + "' is outside bounds (0 - "
                        + (target.size() - 1) + ") of array.");
            }
            return target.get((int) i);
        }
        if (target.isObject()) {
            String name = Values.text(key);
            JsonNode v = target.get(name);
            if (v == null) {
                for (String candidate : target.propertyNames()) {
                    if (candidate.equalsIgnoreCase(name)) {
                        return target.get(candidate);
                    }
                }
                if (nullSafe) {
                    return Values.NODES.nullNode();
                }
                throw new ExpressionException(ExpressionException.Kind.EVALUATION, "The template language expression "
                        + "cannot be evaluated because property '" + name + "' doesn't exist, available properties "
                        + "are '" + String.join(", ", target.propertyNames()) + "'.");
            }
            return v;
        }
        throw new ExpressionException(ExpressionException.Kind.EVALUATION, "The template language expression cannot "
                + "be evaluated because property '" + Values.text(key) + "' cannot be selected. Property selection "
                + "is not supported on values of type '" + Values.typeName(target) + "'.");
    }
}
