package dev.cirrus.serverless.workflow.expression;

import java.util.ArrayList;
import java.util.List;

/**
 * A string value of a workflow definition as the language reads it: plain text, one whole expression
 * ({@code "@body('a')"}, any JSON type), or text with interpolated expressions ({@code "Hi @{body('a').name}!"}, always
 * a string). A leading {@code @@} escapes the {@code @}: {@code "@@x"} is the text {@code "@x"}.
 */
public sealed interface Template {

    /** Plain text. */
    record Text(String text) implements Template {
    }

    /** The whole value is one expression. */
    record Whole(String source, Expr expression) implements Template {
    }

    /** Text with {@code @{…}} parts: each part is a {@link String} or an {@link Expr}. */
    record Interpolated(String source, List<Object> parts) implements Template {
    }

    /** The template of a string value; an expression that does not parse is an {@link ExpressionException}. */
    static Template parse(String value) {
        if (value.startsWith("@@")) {
            return new Text(value.substring(1));
        }
        if (value.startsWith("@") && !value.startsWith("@{")) {
            return new Whole(value, ExpressionParser.parse(value.substring(1)));
        }
        int start = value.indexOf("@{");
        if (start < 0) {
            return new Text(value);
        }
        List<Object> parts = new ArrayList<>();
        int from = 0;
        while (start >= 0) {
            if (start > from) {
                parts.add(value.substring(from, start));
            }
            ExpressionParser parser = new ExpressionParser(value, start + 2);
            Expr expr = parser.expression();
            int end = parser.skipSpaces();
            if (end >= value.length() || value.charAt(end) != '}') {
                throw new ExpressionException(ExpressionException.Kind.PARSE, "The template language expression '"
                        + value.substring(start + 2) + "' is not valid: the interpolation that starts at position '"
                        + start + "' is not closed with '}'.");
            }
            parts.add(expr);
            from = end + 1;
            start = value.indexOf("@{", from);
        }
        if (from < value.length()) {
            parts.add(value.substring(from));
        }
        return new Interpolated(value, parts);
    }

    /** Whether a string value holds an expression at all (not plain or escaped text). */
    static boolean isExpression(String value) {
        return !(parse(value) instanceof Text);
    }
}
