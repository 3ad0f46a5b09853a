package dev.cirrus.serverless.runtime;

import tools.jackson.databind.node.ObjectNode;

/**
 * What a function is called with: its trigger's binding name and the input bindings (by binding name), plus
 * binding data (route parameters, Kafka metadata).
 */
public record Invocation(String invocationId, String triggerName, ObjectNode bindings, ObjectNode bindingData) {
}
