package dev.cirrus.serverless.workflow.expression;

import java.time.Clock;

import tools.jackson.databind.JsonNode;

/**
 * What the workflow functions of an expression read: the trigger, the actions run so far, the variables, the
 * parameters and the loops the expression is inside. The engine gives one per action; validation and the table test
 * give their own.
 */
public interface Scope {

    /** The clock {@code utcNow()} and the relative date functions read. */
    Clock clock();

    /** {@code trigger()}: the trigger's outputs record (inputs, outputs, status, …); null when there is none. */
    JsonNode trigger();

    /** {@code actions('name')}: the action's result record (inputs, outputs, status, …); null when it has not run. */
    JsonNode action(String name);

    /** {@code variables('name')}; null when no such variable was initialized. */
    JsonNode variable(String name);

    /** {@code parameters('name')}; null when the definition has no such parameter. */
    JsonNode parameter(String name);

    /** {@code items('loop')}: the current item of an enclosing Foreach; null when not inside one of that name. */
    JsonNode item(String loop);

    /** {@code item()}: the current item of the innermost enclosing Foreach; null outside any loop. */
    JsonNode currentItem();

    /** {@code iterationIndexes('loop')}: the current index of an enclosing Until; null when not inside one. */
    JsonNode iterationIndex(String loop);

    /** {@code result('scope')}: the results of the actions directly inside a Scope, Foreach or Until; null if none. */
    JsonNode result(String scope);

    /** {@code workflow()}: the workflow's id, name, type, location and run. */
    JsonNode workflow();
}
