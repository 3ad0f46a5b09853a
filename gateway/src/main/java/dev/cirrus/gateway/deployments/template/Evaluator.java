package dev.cirrus.gateway.deployments.template;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.core.JacksonException;

/**
 * Evaluates template language expressions and the JSON values that contain them against a {@link TemplateContext}.
 *
 * <p>Every function of ARM's library that makes sense without a live Azure is here; names are case-insensitive.
 * Arguments are evaluated before the call except for {@code if} (only the chosen branch is evaluated, as ARM does)
 * and {@code lambda} (its body is kept for {@code filter}, {@code map}, {@code reduce}, {@code sort} and
 * {@code toObject}). For example, with parameter {@code names = ["b","a"]},
 * {@code [map(sort(parameters('names'), lambda('x','y', less(lambdaVariables('x'), lambdaVariables('y')))),
 * lambda('n', toUpper(lambdaVariables('n'))))]} is {@code ["A","B"]}.
 */
public final class Evaluator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_RANGE = 10_000;

    private final TemplateContext context;
    private final Deque<Map<String, Object>> lambdaScopes = new ArrayDeque<>();

    public Evaluator(TemplateContext context) {
        this.context = context;
    }

    /** A lambda value: its parameter names and body, with the lambda variables visible where it was written. */
    public record Lambda(List<String> parameters, Expression body, Map<String, Object> captured) { }

    /** Evaluates every expression string inside a JSON value (objects and arrays walked), leaving the rest as is. */
    @SuppressWarnings("unchecked")
    public Object evaluateValue(Object value) {
        if (value instanceof String s) {
            return evaluateString(s);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(item -> out.add(evaluateValue(item)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((key, item) -> out.put(evaluateString(key) instanceof String k
                    ? k : key, evaluateValue(item)));
            return out;
        }
        return value;
    }

    /** A JSON string: its expression's value, or the literal it stands for. */
    public Object evaluateString(String value) {
        if (!ExpressionParser.isExpression(value)) {
            return ExpressionParser.literal(value);
        }
        String inner = value.substring(1, value.length() - 1);
        return evaluate(ExpressionParser.parse(inner), inner);
    }

    Object evaluate(Expression expression, String text) {
        try {
            return evaluate(expression);
        } catch (TemplateException refused) {
            if (refused.getMessage().startsWith("Unable to evaluate") || refused.getMessage().startsWith("Unable to parse")
                    || refused.getMessage().startsWith("The language expression")) {
                throw refused;
            }
            throw new TemplateException(refused.code(), "Unable to evaluate template language function: the "
                    + "language expression '" + text + "' is not valid: " + refused.getMessage(), refused.target());
        }
    }

    /** Evaluates a parsed expression. */
    public Object evaluate(Expression expression) {
        return switch (expression) {
            case Expression.Literal literal -> literal.value();
            case Expression.Property property -> member(evaluate(property.target()), property.name());
            case Expression.Index index -> index(evaluate(index.target()), evaluate(index.index()));
            case Expression.Call call -> call(call);
        };
    }

    @SuppressWarnings("unchecked")
    private static Object member(Object target, String name) {
        if (target instanceof Map<?, ?> map) {
            Map<String, Object> object = (Map<String, Object>) map;
            if (!Values.hasProperty(object, name)) {
                throw TemplateException.invalid("The language expression property '" + name + "' doesn't exist, "
                        + "available properties are '" + String.join(", ", object.keySet()) + "'.");
            }
            return Values.property(object, name);
        }
        throw TemplateException.invalid("The language expression property '" + name + "' can't be evaluated, "
                + "property name must be accessed on an object, not on a value of type '" + Values.typeName(target)
                + "'.");
    }

    private static Object index(Object target, Object index) {
        if (target instanceof List<?> list) {
            if (!(index instanceof Long position)) {
                throw TemplateException.invalid("The language expression property array index must be an integer, "
                        + "not a value of type '" + Values.typeName(index) + "'.");
            }
            if (position < 0 || position >= list.size()) {
                throw TemplateException.invalid("The language expression property array index '" + position
                        + "' is out of bounds.");
            }
            return list.get(position.intValue());
        }
        if (target instanceof Map<?, ?> && index instanceof String name) {
            return member(target, name);
        }
        throw TemplateException.invalid("The language expression property '" + Values.text(index) + "' can't be "
                + "evaluated on a value of type '" + Values.typeName(target) + "'.");
    }

    private Object call(Expression.Call call) {
        String name = call.name().toLowerCase(Locale.ROOT);
        if (name.contains(".")) {
            return userFunction(call);
        }
        switch (name) {
            case "if" -> {
                arity(call, 3, 3);
                return bool(call.name(), evaluate(call.arguments().get(0)))
                        ? evaluate(call.arguments().get(1)) : evaluate(call.arguments().get(2));
            }
            case "lambda" -> {
                arity(call, 1, Integer.MAX_VALUE);
                List<String> parameters = new ArrayList<>();
                for (Expression parameter : call.arguments().subList(0, call.arguments().size() - 1)) {
                    parameters.add(string("lambda", evaluate(parameter)));
                }
                Map<String, Object> captured = new HashMap<>();
                lambdaScopes.descendingIterator().forEachRemaining(captured::putAll);
                return new Lambda(parameters, call.arguments().getLast(), captured);
            }
            default -> {
                List<Object> arguments = new ArrayList<>(call.arguments().size());
                call.arguments().forEach(argument -> arguments.add(evaluate(argument)));
                return Functions.apply(this, call.name(), name, arguments);
            }
        }
    }

    private Object userFunction(Expression.Call call) {
        TemplateContext.UserFunction function = context.function(call.name());
        if (function == null) {
            throw TemplateException.invalid("The template function '" + call.name() + "' is not valid. Please see "
                    + "the template functions reference for usage details.");
        }
        if (function.parameters().size() != call.arguments().size()) {
            throw TemplateException.invalid("The template user function '" + call.name() + "' expects "
                    + function.parameters().size() + " parameters, but " + call.arguments().size() + " were given.");
        }
        Map<String, Object> arguments = new LinkedHashMap<>();
        for (int i = 0; i < call.arguments().size(); i++) {
            arguments.put(function.parameters().get(i), evaluate(call.arguments().get(i)));
        }
        // a user function sees only its own parameters (ARM forbids variables() and reference() in them)
        return new Evaluator(new FunctionScope(context, arguments)).evaluateValue(function.output());
    }

    Object invoke(Object lambda, String function, Object... arguments) {
        if (!(lambda instanceof Lambda l)) {
            throw TemplateException.invalid("The template function '" + function + "' expects a lambda expression "
                    + "as its last parameter, not a value of type '" + Values.typeName(lambda) + "'.");
        }
        if (l.parameters().size() != arguments.length) {
            throw TemplateException.invalid("The lambda expression of '" + function + "' must have "
                    + arguments.length + " parameter(s), it has " + l.parameters().size() + ".");
        }
        Map<String, Object> scope = new HashMap<>(l.captured());
        for (int i = 0; i < arguments.length; i++) {
            scope.put(l.parameters().get(i).toLowerCase(Locale.ROOT), arguments[i]);
        }
        lambdaScopes.push(scope);
        try {
            return evaluate(l.body());
        } finally {
            lambdaScopes.pop();
        }
    }

    Object lambdaVariable(String name) {
        for (Map<String, Object> scope : lambdaScopes) {
            String key = name.toLowerCase(Locale.ROOT);
            if (scope.containsKey(key)) {
                return scope.get(key);
            }
        }
        throw TemplateException.invalid("The lambda variable '" + name + "' is not defined.");
    }

    TemplateContext context() {
        return context;
    }

    private static void arity(Expression.Call call, int min, int max) {
        int count = call.arguments().size();
        if (count < min || count > max) {
            throw Functions.arityError(call.name(), min, max);
        }
    }

    static String string(String function, Object value) {
        if (value instanceof String s) {
            return s;
        }
        throw TemplateException.invalid("The template function '" + function + "' expects its parameter to be of "
                + "type 'String'. The provided value is of type '" + Values.typeName(value) + "'.");
    }

    static boolean bool(String function, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw TemplateException.invalid("The template function '" + function + "' expects its first parameter to be "
                + "of type 'Boolean'. The provided value is of type '" + Values.typeName(value) + "'.");
    }

    static Object parseJson(String function, String text) {
        try {
            return Values.normalize(JSON.readValue(text, Object.class));
        } catch (JacksonException notJson) {
            throw TemplateException.invalid("The template function '" + function + "' expects its parameter to be a "
                    + "valid JSON string. The provided value '" + text + "' cannot be parsed: "
                    + notJson.getOriginalMessage());
        }
    }

    static String encodeComponent(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-_.~".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    static String decodeComponent(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static String combineUri(String base, String relative) {
        try {
            return URI.create(base).resolve(URI.create(relative)).toString();
        } catch (IllegalArgumentException notAUri) {
            throw TemplateException.invalid("The template function 'uri' expects its first parameter to be an "
                    + "absolute URI. The provided value is '" + base + "'.");
        }
    }

    static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    static String fromBase64(String function, String value) {
        try {
            return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            throw TemplateException.invalid("The template function '" + function + "' expects its parameter to be a "
                    + "valid base64 string. The provided value is '" + value + "'.");
        }
    }

    /** Converts a .NET date format string ({@code yyyyMMddTHHmmssZ}, {@code u}, {@code o}…) to a Java formatter. */
    static DateTimeFormatter dotNetFormat(String format) {
        String pattern = switch (format) {
            case "u" -> "yyyy-MM-dd HH:mm:ss'Z'";
            case "s" -> "yyyy-MM-dd'T'HH:mm:ss";
            case "o", "O" -> "yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'";
            case "d" -> "M/d/yyyy";
            case "D" -> "EEEE, MMMM d, yyyy";
            case "t" -> "h:mm a";
            case "T" -> "h:mm:ss a";
            case "r", "R" -> "EEE, dd MMM yyyy HH:mm:ss 'GMT'";
            default -> {
                StringBuilder out = new StringBuilder();
                for (char c : format.toCharArray()) {
                    if ("yMdHhmsf".indexOf(c) >= 0) {
                        out.append(c == 'f' ? 'S' : c);
                    } else if (c == '\'') {
                        out.append("''");
                    } else if (Character.isLetter(c)) {
                        out.append('\'').append(c).append('\'');
                    } else {
                        out.append(c);
                    }
                }
                yield out.toString();
            }
        };
        return DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(ZoneOffset.UTC);
    }

    static String newGuid() {
        return UUID.randomUUID().toString();
    }

    static List<Map.Entry<String, Object>> sortedEntries(Map<String, Object> object) {
        return object.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing((String k) -> k.toLowerCase(Locale.ROOT))
                        .thenComparing(Comparator.naturalOrder())))
                .collect(Collectors.toList());
    }

    /** The context a user-defined function runs in: its own arguments as parameters, nothing else. */
    private record FunctionScope(TemplateContext outer, Map<String, Object> arguments) implements TemplateContext {

        @Override
        public Object parameter(String name) {
            for (Map.Entry<String, Object> entry : arguments.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue();
                }
            }
            throw TemplateException.invalid("The template function parameter '" + name + "' is not defined in the "
                    + "user function.");
        }

        @Override
        public Object variable(String name) {
            throw TemplateException.invalid("The template function 'variables' is not expected in a user-defined "
                    + "function.");
        }

        @Override
        public Map<String, Object> deployment() {
            return outer.deployment();
        }

        @Override
        public Map<String, Object> environment() {
            return outer.environment();
        }

        @Override
        public String subscriptionId() {
            return outer.subscriptionId();
        }

        @Override
        public Map<String, Object> resourceGroup() {
            return outer.resourceGroup();
        }

        @Override
        public Map<String, Object> subscription() {
            return outer.subscription();
        }

        @Override
        public Map<String, Object> tenant() {
            return outer.tenant();
        }

        @Override
        public java.time.Instant now() {
            return outer.now();
        }

        @Override
        public UserFunction function(String qualifiedName) {
            return outer.function(qualifiedName);
        }
    }
}
