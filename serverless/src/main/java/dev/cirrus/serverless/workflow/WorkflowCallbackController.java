package dev.cirrus.serverless.workflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.cirrus.serverless.workflow.engine.Triggers;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The data plane of Request triggers: {@code /workflows/{accessId}/triggers/{trigger}/paths/invoke[/relative/path]}
 * with the callback URL's {@code sp}, {@code sv} and {@code sig}; the gateway forwards it without a bearer token
 * (gateway/logic), the signature is the credential. A JSON body is the trigger's {@code body}; any other body is
 * its text.
 */
@RestController
class WorkflowCallbackController {

    private static final List<String> SKIPPED_HEADERS = List.of("authorization", "x-cirrus-service-credential",
            "cookie");

    private final Triggers triggers;
    private final ObjectMapper json;

    WorkflowCallbackController(Triggers triggers, ObjectMapper json) {
        this.triggers = triggers;
        this.json = json;
    }

    @RequestMapping({"/workflows/{accessId}/triggers/{trigger}/paths/invoke",
            "/workflows/{accessId}/triggers/{trigger}/paths/invoke/**"})
    ResponseEntity<Object> invoke(@PathVariable String accessId, @PathVariable String trigger,
                                  HttpServletRequest request) throws IOException {
        byte[] raw = request.getInputStream().readAllBytes();
        JsonNode body = null;
        if (raw.length > 0) {
            String text = new String(raw, StandardCharsets.UTF_8);
            try {
                body = json.readTree(text);
            } catch (JacksonException e) {
                body = JsonNodeFactory.instance.stringNode(text);
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h : Collections.list(request.getHeaderNames())) {
            if (!SKIPPED_HEADERS.contains(h.toLowerCase(Locale.ROOT))) {
                headers.put(h, request.getHeader(h));
            }
        }
        Map<String, String> queries = new LinkedHashMap<>();
        request.getParameterMap().forEach((k, v) -> {
            if (!List.of("api-version", "sp", "sv", "sig").contains(k)) {
                queries.put(k, v[0]);
            }
        });
        String path = request.getRequestURI();
        int at = path.indexOf("/paths/invoke");
        String relative = path.substring(at + "/paths/invoke".length());
        Triggers.Answer answer = triggers.invoke(accessId, trigger, request.getMethod(), request.getParameter("sp"),
                request.getParameter("sv"), request.getParameter("sig"), body, headers, queries,
                relative.startsWith("/") ? relative.substring(1) : relative);
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(answer.status());
        answer.headers().forEach(builder::header);
        if (answer.body() == null || answer.body().isNull()) {
            return builder.build();
        }
        if (answer.body().isString()) {
            return builder.body(answer.body().stringValue());
        }
        return builder.header("Content-Type", "application/json").body(answer.body());
    }
}
