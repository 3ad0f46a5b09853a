package dev.cirrus.gateway.deployments.template;

import java.util.List;

/** The syntax tree of one template language expression (the text between an outer {@code [} and {@code ]}). */
public sealed interface Expression {

    /** A string or integer literal. */
    record Literal(Object value) implements Expression { }

    /** {@code name(arg, …)}; names are matched case-insensitively, as ARM does. */
    record Call(String name, List<Expression> arguments) implements Expression { }

    /** {@code target.property}. */
    record Property(Expression target, String name) implements Expression { }

    /** {@code target[index]}: an array position or an object property computed at run time. */
    record Index(Expression target, Expression index) implements Expression { }
}
