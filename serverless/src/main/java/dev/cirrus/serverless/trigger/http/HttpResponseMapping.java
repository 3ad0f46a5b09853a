package dev.cirrus.serverless.trigger.http;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.cirrus.serverless.function.FunctionConfig;
import dev.cirrus.serverless.runtime.InvocationOutcome;
import tools.jackson.databind.JsonNode;

/**
 * Turns what an HTTP function produced into an HTTP response: the http output binding (named {@code $return}: the
 * returned value; another name: {@code context.bindings.<name>} or {@code context.res}), else {@code context.res},
 * else a returned object that looks like a response. {@code {status, headers, body}}: status defaults to 200, a
 * string body is sent as is (text/plain unless a Content-Type header says otherwise), any other body as JSON.
 */
record HttpResponseMapping(int status, Map<String, String> headers, byte[] body) {

    static JsonNode responseValue(FunctionConfig config, InvocationOutcome outcome) {
        FunctionConfig.Binding out = config.bindings().stream()
                .filter(b -> b.type().equalsIgnoreCase("http") && b.direction().equals("out")).findFirst().orElse(null);
        JsonNode value = null;
        if (out != null && out.name().equals("$return")) {
            value = outcome.returnValue();
        } else if (out != null && outcome.bindings() != null && outcome.bindings().hasNonNull(out.name())) {
            value = outcome.bindings().get(out.name());
        }
        if (value == null || value.isNull()) {
            value = outcome.res();
        }
        if ((value == null || value.isNull()) && outcome.returnValue() != null && outcome.returnValue().isObject()
                && (outcome.returnValue().has("status") || outcome.returnValue().has("body"))) {
            value = outcome.returnValue();
        }
        return value;
    }

    /** Null when the value is not a usable response, with the reason in {@code problem[0]}. */
    static HttpResponseMapping of(JsonNode value, String[] problem) {
        if (value == null || value.isNull()) {
            return new HttpResponseMapping(204, Map.of(), new byte[0]);
        }
        if (!value.isObject()) {
            problem[0] = "The HTTP response must be an object like {status, headers, body}, not " + value.getNodeType();
            return null;
        }
        int status = 200;
        JsonNode statusNode = value.get("status") != null ? value.get("status") : value.get("statusCode");
        if (statusNode != null && !statusNode.isNull()) {
            String text = statusNode.isNumber() ? String.valueOf(statusNode.asInt()) : statusNode.asString();
            if (!text.matches("[1-5]\\d\\d")) {
                problem[0] = "The HTTP response status '" + statusNode + "' is not an HTTP status code";
                return null;
            }
            status = Integer.parseInt(text);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode headerNode = value.get("headers");
        if (headerNode != null && headerNode.isObject()) {
            for (Map.Entry<String, JsonNode> header : headerNode.properties()) {
                String name = header.getKey();
                String headerValue = header.getValue().isString() ? header.getValue().asString() : header.getValue().toString();
                if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+") || headerValue.contains("\r") || headerValue.contains("\n")) {
                    problem[0] = "The HTTP response header '" + name + "' is not a valid header";
                    return null;
                }
                headers.put(name, headerValue);
            }
        }
        JsonNode body = value.get("body");
        byte[] bytes;
        if (body == null || body.isNull()) {
            bytes = new byte[0];
        } else if (body.isString()) {
            bytes = body.asString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            headers.keySet().stream().filter(h -> h.equalsIgnoreCase("content-type")).findFirst()
                    .ifPresentOrElse(h -> { }, () -> headers.put("Content-Type", "text/plain; charset=utf-8"));
        } else {
            bytes = body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            headers.keySet().stream().filter(h -> h.equalsIgnoreCase("content-type")).findFirst()
                    .ifPresentOrElse(h -> { }, () -> headers.put("Content-Type", "application/json; charset=utf-8"));
        }
        return new HttpResponseMapping(status, headers, bytes);
    }
}
