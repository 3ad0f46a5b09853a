package dev.cirrus.serverless.workflow.expression;

import java.util.List;

import tools.jackson.databind.JsonNode;

/** The syntax tree of one expression of the Workflow Definition Language (what follows an {@code @}). */
public sealed interface Expr {

    /** A literal: a string in single quotes, a number, {@code true}, {@code false} or {@code null}. */
    record Literal(JsonNode value) implements Expr {
    }

    /** A function call; the name is kept as written (function names are case-insensitive). */
    record Call(String name, List<Expr> arguments) implements Expr {
    }

    /**
     * A member access: {@code target.name}, {@code target['name']} or {@code target[0]}; {@code nullSafe} for the
     * {@code ?} forms, which give null instead of an error when the member is not there.
     */
    record Member(Expr target, Expr key, boolean nullSafe) implements Expr {
    }
}
