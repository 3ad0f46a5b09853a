package dev.cirrus.serverless.workflow.engine;

import java.time.Clock;

import dev.cirrus.serverless.workflow.Workflow;
import dev.cirrus.serverless.workflow.expression.Scope;
import tools.jackson.databind.JsonNode;

/** What a trigger's own expressions see: the clock and the workflow's parameters; no run exists yet. */
record TriggerScope(Clock clock, Workflow owner) implements Scope {

    @Override
    public JsonNode trigger() {
        return null;
    }

    @Override
    public JsonNode action(String name) {
        return null;
    }

    @Override
    public JsonNode variable(String name) {
        return null;
    }

    @Override
    public JsonNode parameter(String name) {
        JsonNode given = owner.parameters().path(name);
        if (given.has("value")) {
            return given.get("value");
        }
        JsonNode declared = owner.definition().path("parameters").path(name);
        return declared.has("defaultValue") ? declared.get("defaultValue") : null;
    }

    @Override
    public JsonNode item(String loop) {
        return null;
    }

    @Override
    public JsonNode currentItem() {
        return null;
    }

    @Override
    public JsonNode iterationIndex(String loop) {
        return null;
    }

    @Override
    public JsonNode result(String scope) {
        return null;
    }

    @Override
    public JsonNode workflow() {
        return tools.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("id", owner.resourceId())
                .put("name", owner.name());
    }
}
