package dev.cirrus.gateway.deployments.template;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses ARM's template language. A JSON string is an expression when it starts with {@code [} and ends with
 * {@code ]}; a string starting with {@code [[} is the literal text without its first bracket.
 *
 * <pre>
 * expression := primary ( '.' identifier | '[' expression ']' )*
 * primary    := 'string' (a quote inside is written '') | integer | identifier '(' [expression (',' expression)*] ')'
 * </pre>
 * For example {@code concat('a''b', parameters('p').x[0])} is
 * {@code Call(concat, [Literal(a'b), Index(Property(Call(parameters,[Literal(p)]), x), Literal(0))])}.
 * Errors use ARM's wording: "Unable to parse language expression '…': expected token 'RightParenthesis' and actual
 * 'EndOfData'."
 */
public final class ExpressionParser {

    private final String text;
    private int position;

    private ExpressionParser(String text) {
        this.text = text;
    }

    /** Whether the JSON string is an expression (rather than a literal, or an escaped {@code [[} literal). */
    public static boolean isExpression(String value) {
        return value.length() >= 2 && value.charAt(0) == '[' && value.charAt(value.length() - 1) == ']'
                && !value.startsWith("[[");
    }

    /** The literal a non-expression string stands for ({@code [[x]} is {@code [x]}). */
    public static String literal(String value) {
        return value.startsWith("[[") ? value.substring(1) : value;
    }

    /** Parses the inside of {@code [ … ]} (the brackets already removed). */
    public static Expression parse(String expression) {
        ExpressionParser parser = new ExpressionParser(expression);
        parser.skipSpace();
        if (parser.atEnd()) {
            throw TemplateException.invalid("The language expression '" + expression + "' is not valid: "
                    + "the expression is empty.");
        }
        Expression result = parser.expression();
        parser.skipSpace();
        if (!parser.atEnd()) {
            throw parser.unexpected("EndOfData");
        }
        return result;
    }

    private Expression expression() {
        Expression result = primary();
        while (true) {
            skipSpace();
            if (peek('.')) {
                position++;
                skipSpace();
                result = new Expression.Property(result, identifier());
            } else if (peek('[')) {
                position++;
                skipSpace();
                Expression index = expression();
                skipSpace();
                expect(']', "RightSquareBracket");
                result = new Expression.Index(result, index);
            } else {
                return result;
            }
        }
    }

    private Expression primary() {
        skipSpace();
        if (atEnd()) {
            throw unexpected("Identifier");
        }
        char c = text.charAt(position);
        if (c == '\'') {
            return new Expression.Literal(string());
        }
        if (Character.isDigit(c) || (c == '-' && position + 1 < text.length()
                && Character.isDigit(text.charAt(position + 1)))) {
            return new Expression.Literal(number());
        }
        if (Character.isLetter(c) || c == '_' || c == '$') {
            String name = identifier();
            if (peek('.')) {
                position++;
                name = name + "." + identifier();
            }
            skipSpace();
            expect('(', "LeftParenthesis");
            List<Expression> arguments = new ArrayList<>();
            skipSpace();
            if (peek(')')) {
                position++;
                return new Expression.Call(name, List.copyOf(arguments));
            }
            while (true) {
                arguments.add(expression());
                skipSpace();
                if (peek(',')) {
                    position++;
                    continue;
                }
                expect(')', "RightParenthesis");
                return new Expression.Call(name, List.copyOf(arguments));
            }
        }
        throw unexpected("Identifier");
    }

    private String string() {
        StringBuilder value = new StringBuilder();
        position++;
        while (true) {
            if (atEnd()) {
                throw TemplateException.invalid("Unable to parse language expression '" + text
                        + "': expected token 'Literal' and actual 'EndOfData'. The string literal is not closed.");
            }
            char c = text.charAt(position++);
            if (c == '\'') {
                if (peek('\'')) {
                    value.append('\'');
                    position++;
                } else {
                    return value.toString();
                }
            } else {
                value.append(c);
            }
        }
    }

    private Object number() {
        int start = position;
        if (peek('-')) {
            position++;
        }
        while (!atEnd() && Character.isDigit(text.charAt(position))) {
            position++;
        }
        if (peek('.')) {
            position++;
            while (!atEnd() && Character.isDigit(text.charAt(position))) {
                position++;
            }
            return Double.parseDouble(text.substring(start, position));
        }
        try {
            return Long.parseLong(text.substring(start, position));
        } catch (NumberFormatException tooLarge) {
            throw TemplateException.invalid("The language expression '" + text + "' is not valid: the integer '"
                    + text.substring(start, position) + "' is out of range.");
        }
    }

    private String identifier() {
        int start = position;
        while (!atEnd() && (Character.isLetterOrDigit(text.charAt(position)) || text.charAt(position) == '_'
                || text.charAt(position) == '$' || text.charAt(position) == '-' && position > start)) {
            position++;
        }
        if (start == position) {
            throw unexpected("Identifier");
        }
        return text.substring(start, position);
    }

    private void expect(char c, String token) {
        if (!peek(c)) {
            throw unexpected(token);
        }
        position++;
    }

    private TemplateException unexpected(String expected) {
        String actual = atEnd() ? "EndOfData" : tokenName(text.charAt(position));
        return TemplateException.invalid("Unable to parse language expression '" + text + "': expected token '"
                + expected + "' and actual '" + actual + "' at position '" + position + "'.");
    }

    private static String tokenName(char c) {
        return switch (c) {
            case '(' -> "LeftParenthesis";
            case ')' -> "RightParenthesis";
            case '[' -> "LeftSquareBracket";
            case ']' -> "RightSquareBracket";
            case ',' -> "Comma";
            case '.' -> "Dot";
            case '\'' -> "Literal";
            default -> Character.isLetterOrDigit(c) ? "Identifier" : "Character '" + c + "'";
        };
    }

    private boolean peek(char c) {
        return !atEnd() && text.charAt(position) == c;
    }

    private boolean atEnd() {
        return position >= text.length();
    }

    private void skipSpace() {
        while (!atEnd() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }
}
