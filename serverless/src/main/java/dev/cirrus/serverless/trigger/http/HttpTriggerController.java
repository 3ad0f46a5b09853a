package dev.cirrus.serverless.trigger.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.serverless.function.FunctionDefinition;
import dev.cirrus.serverless.function.RouteTemplate;
import dev.cirrus.serverless.functionapp.FunctionApp;
import dev.cirrus.serverless.runtime.AppDefinition;
import dev.cirrus.serverless.runtime.AppDirectory;
import dev.cirrus.serverless.runtime.FunctionHost;
import dev.cirrus.serverless.runtime.Invocation;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * HTTP triggers: {@code /functions/{app}/{routePrefix}/{route}} (the path prefix per app that the gateway
 * forwards), and {@code {app}.azurewebsites.{hostDomain}/{routePrefix}/{route}} (rewritten to it by
 * {@link AppHostFilter}). Keys: {@code ?code=} or {@code x-functions-key}; function level accepts the function's
 * key, a host key or the master key; admin level only the master key.
 */
@RestController
class HttpTriggerController {

    static final String PREFIX = "/functions/";
    private static final byte[] REQUEST_TIMED_OUT = ("<!DOCTYPE html>\n<html><head><title>500 - The request timed out."
            + "</title></head><body><h1>500 - The request timed out.</h1><p>The web server failed to respond within "
            + "the specified time.</p></body></html>\n").getBytes(StandardCharsets.UTF_8);

    private final AppDirectory directory;
    private final FunctionHost host;
    private final ObjectMapper json;

    HttpTriggerController(AppDirectory directory, FunctionHost host, ObjectMapper json) {
        this.directory = directory;
        this.host = host;
        this.json = json;
    }

    @RequestMapping(PREFIX + "{app}/**")
    ResponseEntity<byte[]> invoke(@PathVariable String app, HttpServletRequest request,
                                  @RequestBody(required = false) byte[] body) {
        AppDefinition definition = directory.byName(app)
                .orElseThrow(() -> ArmException.notFound("SiteNotFound", "There is no function app named '" + app + "'"));
        FunctionApp functionApp = definition.app();
        if (!functionApp.running()) {
            throw new ArmException(403, "SiteStopped", "The function app '" + functionApp.name() + "' is stopped");
        }
        List<String> path = pathAfterApp(request.getRequestURI(), app);
        String prefix = functionApp.routePrefix();
        if (!prefix.isEmpty()) {
            List<String> prefixSegments = Arrays.asList(prefix.split("/"));
            if (path.size() < prefixSegments.size()
                    || !String.join("/", path.subList(0, prefixSegments.size())).equalsIgnoreCase(prefix)) {
                throw ArmException.notFound("FunctionNotFound", "No function answers this path: routes start with /" + prefix);
            }
            path = path.subList(prefixSegments.size(), path.size());
        }
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        for (FunctionDefinition function : definition.functions()) {
            if (!function.config().isHttp() || function.config().disabled()) {
                continue;
            }
            var trigger = function.config().trigger();
            RouteTemplate route = RouteTemplate.parse(trigger.text("route", function.name()));
            Optional<Map<String, String>> parameters = route.match(path);
            if (parameters.isEmpty() || !allows(trigger.raw().get("methods"), method)) {
                continue;
            }
            authorize(trigger.text("authLevel", "function"), functionApp, function, request);
            return run(definition, function, request, body, parameters.get());
        }
        throw ArmException.notFound("FunctionNotFound", "No function of '" + functionApp.name() + "' answers "
                + method + " /" + (prefix.isEmpty() ? "" : prefix + "/") + String.join("/", path));
    }

    private ResponseEntity<byte[]> run(AppDefinition definition, FunctionDefinition function, HttpServletRequest request,
                                       byte[] body, Map<String, String> parameters) {
        String invocationId = UUID.randomUUID().toString();
        ObjectNode req = json.createObjectNode();
        req.put("method", request.getMethod());
        String query = request.getQueryString();
        req.put("url", request.getRequestURL() + (query == null ? "" : "?" + query));
        req.put("originalUrl", req.get("url").asString());
        ObjectNode headers = req.putObject("headers");
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name.toLowerCase(Locale.ROOT), request.getHeader(name));
        }
        ObjectNode queryNode = req.putObject("query");
        request.getParameterMap().forEach((name, values) -> {
            if (query != null && values.length > 0) {
                queryNode.put(name, values[0]);
            }
        });
        ObjectNode params = req.putObject("params");
        parameters.forEach(params::put);
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        req.put("rawBody", text);
        String contentType = request.getContentType();
        if (!text.isEmpty() && contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")) {
            try {
                req.set("body", json.readTree(text));
            } catch (RuntimeException e) {
                req.put("body", text);
            }
        } else if (!text.isEmpty()) {
            req.put("body", text);
        }
        String triggerName = function.config().trigger().name();
        ObjectNode bindings = json.createObjectNode();
        bindings.set(triggerName, req);
        ObjectNode bindingData = json.createObjectNode();
        parameters.forEach(bindingData::put);
        bindingData.set("query", queryNode);
        bindingData.set("headers", headers);

        HttpResponseMapping[] response = new HttpResponseMapping[1];
        FunctionHost.Execution execution = host.execute(definition, function,
                new Invocation(invocationId, triggerName, bindings, bindingData), outcome -> {
                    String[] problem = new String[1];
                    response[0] = HttpResponseMapping.of(HttpResponseMapping.responseValue(function.config(), outcome), problem);
                    return problem[0];
                });
        HttpHeaders out = new HttpHeaders();
        out.add("x-cirrus-invocation-id", invocationId);
        out.add("x-cirrus-cold-start", String.valueOf(execution.cold()));
        if (execution.stoppedAtHttpCap()) {
            // what Azure's front end answers when an HTTP function has not responded within 230 s
            out.add("Content-Type", "text/html; charset=utf-8");
            return ResponseEntity.status(500).headers(out).body(REQUEST_TIMED_OUT);
        }
        if (execution.outcome().status().isFailure()) {
            out.add("Content-Type", "application/json");
            ObjectNode error = json.createObjectNode();
            ObjectNode inner = error.putObject("error");
            inner.put("code", switch (execution.outcome().status()) {
                case TIMED_OUT -> "FunctionTimedOut";
                case MEMORY_EXCEEDED -> "FunctionMemoryExceeded";
                default -> "FunctionInvocationFailed";
            });
            inner.put("message", "Exception while executing function: Functions." + function.name() + ". "
                    + execution.outcome().error());
            inner.put("invocationId", invocationId);
            return ResponseEntity.status(500).headers(out).body(json.writeValueAsBytes(error));
        }
        response[0].headers().forEach(out::set);
        return ResponseEntity.status(response[0].status()).headers(out).body(response[0].body());
    }

    private static boolean allows(tools.jackson.databind.JsonNode methods, String method) {
        if (methods == null || methods.isNull() || methods.isEmpty()) {
            return true;
        }
        for (tools.jackson.databind.JsonNode allowed : methods) {
            if (allowed.asString().equalsIgnoreCase(method)) {
                return true;
            }
        }
        return false;
    }

    private static void authorize(String authLevel, FunctionApp app, FunctionDefinition function, HttpServletRequest request) {
        String level = authLevel.toLowerCase(Locale.ROOT);
        if (level.equals("anonymous")) {
            return;
        }
        String key = request.getHeader("x-functions-key");
        if (key == null) {
            key = request.getParameter("code");
        }
        boolean ok = key != null && (app.isMasterKey(key)
                || (level.equals("function") && (app.isHostFunctionKey(key) || function.acceptsKey(key))));
        if (!ok) {
            throw new ArmException(401, "Unauthorized", "The function '" + function.name() + "' needs "
                    + (level.equals("admin") ? "the master key" : "a function or host key")
                    + " in ?code= or the x-functions-key header");
        }
    }

    private static List<String> pathAfterApp(String uri, String app) {
        String[] raw = uri.split("/");
        List<String> segments = new ArrayList<>();
        // raw: "", "functions", "{app}", ...
        for (int i = 3; i < raw.length; i++) {
            if (!raw[i].isEmpty()) {
                segments.add(URLDecoder.decode(raw[i].replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }
}
