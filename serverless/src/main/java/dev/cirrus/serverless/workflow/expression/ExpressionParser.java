package dev.cirrus.serverless.workflow.expression;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A recursive-descent parser of the expression language: literals (single-quoted strings with {@code ''} for a
 * quote, integers, decimals, {@code true}, {@code false}, {@code null}), function calls, and member accesses
 * ({@code .name}, {@code ['name']}, {@code [0]}, and their null-safe {@code ?} forms). Function names are checked
 * here against {@link Functions}, with their arity, so a definition with an unknown function is refused when saved.
 */
final class ExpressionParser {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String text;
    private int pos;

    ExpressionParser(String text, int pos) {
        this.text = text;
        this.pos = pos;
    }

    /** The whole text as one expression: anything after it is an error. */
    static Expr parse(String source) {
        ExpressionParser parser = new ExpressionParser(source, 0);
        Expr expr = parser.expression();
        int end = parser.skipSpaces();
        if (end < source.length()) {
            throw parser.unexpected();
        }
        return expr;
    }

    Expr expression() {
        skipSpaces();
        Expr expr = primary();
        while (true) {
            skipSpaces();
            if (pos >= text.length()) {
                return expr;
            }
            char c = text.charAt(pos);
            boolean nullSafe = false;
            if (c == '?' && pos + 1 < text.length() && (text.charAt(pos + 1) == '.' || text.charAt(pos + 1) == '[')) {
                nullSafe = true;
                pos++;
                c = text.charAt(pos);
            }
            if (c == '.') {
                pos++;
                skipSpaces();
                String name = identifier();
                if (name.isEmpty()) {
                    throw unexpected();
                }
                expr = new Expr.Member(expr, new Expr.Literal(NODES.stringNode(name)), nullSafe);
            } else if (c == '[') {
                pos++;
                Expr key = expression();
                skipSpaces();
                expect(']');
                expr = new Expr.Member(expr, key, nullSafe);
            } else {
                return expr;
            }
        }
    }

    int skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        return pos;
    }

    private Expr primary() {
        if (pos >= text.length()) {
            throw new ExpressionException(ExpressionException.Kind.PARSE, "The template language expression '"
                    + text + "' is not valid: an expression was expected at position '" + pos + "'.");
        }
        char c = text.charAt(pos);
        if (c == '\'') {
            return new Expr.Literal(NODES.stringNode(string()));
        }
        if (Character.isDigit(c) || c == '-' || c == '+' || (c == '.' && pos + 1 < text.length()
                && Character.isDigit(text.charAt(pos + 1)))) {
            return new Expr.Literal(number());
        }
        String name = identifier();
        if (name.isEmpty()) {
            throw unexpected();
        }
        skipSpaces();
        if (pos < text.length() && text.charAt(pos) == '(') {
            pos++;
            List<Expr> arguments = new ArrayList<>();
            skipSpaces();
            if (pos < text.length() && text.charAt(pos) == ')') {
                pos++;
            } else {
                while (true) {
                    arguments.add(expression());
                    skipSpaces();
                    if (pos < text.length() && text.charAt(pos) == ',') {
                        pos++;
                        continue;
                    }
                    expect(')');
                    break;
                }
            }
            Functions.check(name, arguments.size());
            return new Expr.Call(name, arguments);
        }
        return switch (name) {
            case "true" -> new Expr.Literal(NODES.booleanNode(true));
            case "false" -> new Expr.Literal(NODES.booleanNode(false));
            case "null" -> new Expr.Literal(NODES.nullNode());
            default -> throw new ExpressionException(ExpressionException.Kind.PARSE, "The template language "
                    + "expression '" + text + "' is not valid: the name '" + name + "' at position '"
                    + (pos - name.length()) + "' is neither a function call nor a literal.");
        };
    }

    private String string() {
        StringBuilder out = new StringBuilder();
        int start = pos;
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '\'') {
                if (pos < text.length() && text.charAt(pos) == '\'') {
                    out.append('\'');
                    pos++;
                    continue;
                }
                return out.toString();
            }
            out.append(c);
        }
        throw new ExpressionException(ExpressionException.Kind.PARSE, "The template language expression '" + text
                + "' is not valid: the string literal that starts at position '" + start + "' is not terminated.");
    }

    private JsonNode number() {
        int start = pos;
        if (text.charAt(pos) == '-' || text.charAt(pos) == '+') {
            pos++;
        }
        boolean decimal = false;
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.'
                || text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            char c = text.charAt(pos);
            if (c == '.' || c == 'e' || c == 'E') {
                decimal = true;
                if ((c == 'e' || c == 'E') && pos + 1 < text.length()
                        && (text.charAt(pos + 1) == '-' || text.charAt(pos + 1) == '+')) {
                    pos++;
                }
            }
            pos++;
        }
        String literal = text.substring(start, pos);
        try {
            if (!decimal) {
                return NODES.numberNode(Long.parseLong(literal));
            }
            return NODES.numberNode(Double.parseDouble(literal));
        } catch (NumberFormatException e) {
            throw new ExpressionException(ExpressionException.Kind.PARSE, "The template language expression '" + text
                    + "' is not valid: '" + literal + "' at position '" + start + "' is not a number.");
        }
    }

    private String identifier() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private void expect(char c) {
        if (pos >= text.length() || text.charAt(pos) != c) {
            throw unexpected();
        }
        pos++;
    }

    private ExpressionException unexpected() {
        String what = pos >= text.length() ? "the end of the expression" : "the character '" + text.charAt(pos) + "'";
        return new ExpressionException(ExpressionException.Kind.PARSE, "The template language expression '" + text
                + "' is not valid: " + what + " at position '" + pos + "' is not expected.");
    }
}
