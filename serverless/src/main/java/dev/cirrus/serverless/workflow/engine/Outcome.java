package dev.cirrus.serverless.workflow.engine;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** What one execution of an action ended with: its status, inputs, outputs and error (Azure's shape). */
record Outcome(String status, JsonNode inputs, JsonNode outputs, JsonNode error) {

    static Outcome succeeded(JsonNode inputs, JsonNode outputs) {
        return new Outcome("Succeeded", inputs, outputs, null);
    }

    static Outcome failed(JsonNode inputs, JsonNode outputs, String code, String message) {
        return new Outcome("Failed", inputs, outputs, error(code, message));
    }

    static ObjectNode error(String code, String message) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("code", code);
        e.put("message", message);
        return e;
    }
}
