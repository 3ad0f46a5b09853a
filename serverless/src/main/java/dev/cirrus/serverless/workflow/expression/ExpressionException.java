package dev.cirrus.serverless.workflow.expression;

/**
 * An expression that does not parse or cannot be evaluated. Azure answers every such case with the code
 * {@code InvalidTemplate}; {@link #kind()} says which rule was broken (the table test in
 * src/test/resources/workflow/expressions.tsv names it).
 */
public class ExpressionException extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        /** the text is not an expression of the language */
        PARSE,
        /** a function name the language does not have */
        UNKNOWN_FUNCTION,
        /** too few or too many arguments */
        ARITY,
        /** an argument of the wrong type or out of its range */
        ARGUMENT,
        /** a property or an index that is not there, a division by zero, a missing action or variable */
        EVALUATION
    }

    public static final String CODE = "InvalidTemplate";

    private final Kind kind;

    public ExpressionException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return CODE;
    }
}
