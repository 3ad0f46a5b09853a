package dev.cirrus.gateway.deployments;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.cirrus.contracts.arm.ApiVersion;
import dev.cirrus.contracts.arm.ArmErrorException;
import dev.cirrus.gateway.arm.ArmRequests;
import dev.cirrus.gateway.deployments.template.DeploymentScope;
import dev.cirrus.gateway.deployments.template.JsonDocument;
import dev.cirrus.gateway.deployments.template.Values;
import dev.cirrus.gateway.identity.Caller;
import dev.cirrus.gateway.support.Blocking;
import dev.cirrus.gateway.support.RequestBodies;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * {@code Microsoft.Resources/deployments} at resource-group scope
 * ({@code /subscriptions/{s}/resourcegroups/{g}/providers/Microsoft.Resources/deployments/{name}}) and at
 * subscription scope ({@code /subscriptions/{s}/providers/Microsoft.Resources/deployments/{name}}, with a
 * {@code location}): PUT, GET, list, DELETE, {@code operations}, {@code validate}, {@code cancel},
 * {@code exportTemplate}, and the {@code operationStatuses} an Azure-AsyncOperation header points at. The work is
 * {@link Deployments}'.
 */
@RestController
class DeploymentController {

    private static final String GROUP = "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}"
            + "/providers/Microsoft.Resources/deployments";
    private static final String SUBSCRIPTION = "/subscriptions/{subscriptionId}/providers/Microsoft.Resources"
            + "/deployments";

    private final Deployments deployments;
    private final JdbcTemplate jdbc;
    private final DeploymentsProperties properties;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(java.time.Duration.ofSeconds(10)).build();

    DeploymentController(Deployments deployments, JdbcTemplate jdbc, DeploymentsProperties properties) {
        this.deployments = deployments;
        this.jdbc = jdbc;
        this.properties = properties;
    }

    @PutMapping({GROUP + "/{name}", SUBSCRIPTION + "/{name}"})
    Mono<ResponseEntity<Map<String, Object>>> createOrUpdate(@PathVariable String subscriptionId,
                                                              @PathVariable(required = false) String resourceGroupName,
                                                              @PathVariable String name, ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        String tenant = Caller.of(exchange).map(Caller::tenantId).orElse("00000000-0000-0000-0000-000000000000");
        return RequestBodies.bytes(request).flatMap(body -> Blocking.call(() -> {
            Deployments.Request r = request(subscriptionId, resourceGroupName, name, tenant, body, authorization);
            Map<String, Object> resource = deployments.create(r);
            return ResponseEntity.status(HttpStatus.CREATED)
                    .header("Azure-AsyncOperation", statusUrl(request, r.id()))
                    .header(HttpHeaders.RETRY_AFTER, "1")
                    .body(resource);
        }));
    }

    @PostMapping({GROUP + "/{name}/validate", SUBSCRIPTION + "/{name}/validate"})
    Mono<Map<String, Object>> validate(@PathVariable String subscriptionId,
                                       @PathVariable(required = false) String resourceGroupName,
                                       @PathVariable String name, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).map(Caller::tenantId).orElse("00000000-0000-0000-0000-000000000000");
        return RequestBodies.bytes(exchange.getRequest()).flatMap(body -> Blocking.call(() -> deployments.validate(
                request(subscriptionId, resourceGroupName, name, tenant, body, null))));
    }

    /**
     * What-if: 202 with a Location that answers 202 while the changes are computed, then 200 with ARM's
     * WhatIfOperationResult ({@code status, properties.changes, error}).
     */
    @PostMapping({GROUP + "/{name}/whatIf", SUBSCRIPTION + "/{name}/whatIf"})
    @SuppressWarnings("unchecked")
    Mono<ResponseEntity<Void>> whatIf(@PathVariable String subscriptionId,
                                      @PathVariable(required = false) String resourceGroupName,
                                      @PathVariable String name, ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        String tenant = Caller.of(exchange).map(Caller::tenantId).orElse("00000000-0000-0000-0000-000000000000");
        return RequestBodies.bytes(request).flatMap(body -> Blocking.call(() -> {
            Deployments.Request r = request(subscriptionId, resourceGroupName, name, tenant, body, authorization);
            Object settings = Values.property(Deployments.props(r.body()), "whatIfSettings");
            Object format = settings instanceof Map<?, ?> s
                    ? Values.property((Map<String, Object>) s, "resultFormat") : null;
            if (format != null && !(format instanceof String f && (f.equalsIgnoreCase("FullResourcePayloads")
                    || f.equalsIgnoreCase("ResourceIdOnly")))) {
                throw invalidContent("The request content was invalid and could not be deserialized: 'Error "
                        + "converting value " + Values.json(format) + " to type 'WhatIfResultFormat'. Path "
                        + "'properties.whatIfSettings.resultFormat'.'.", "properties.whatIfSettings.resultFormat");
            }
            String operation = deployments.whatIf(r, (String) format);
            return ResponseEntity.accepted()
                    .header(HttpHeaders.LOCATION, resultUrl(request, r.id(), operation))
                    .header(HttpHeaders.RETRY_AFTER, "1")
                    .<Void>build();
        }));
    }

    @GetMapping({GROUP + "/{name}/whatIfOperationResults/{operationId}",
            SUBSCRIPTION + "/{name}/whatIfOperationResults/{operationId}"})
    Mono<ResponseEntity<Map<String, Object>>> whatIfResult(@PathVariable String subscriptionId,
                                                           @PathVariable String operationId,
                                                           ServerHttpRequest request) {
        return Blocking.call(() -> deployments.whatIfResult(subscriptionId, operationId)
                .map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.accepted().header(HttpHeaders.LOCATION, request.getURI().toString())
                        .header(HttpHeaders.RETRY_AFTER, "1").<Map<String, Object>>build()));
    }

    @GetMapping({GROUP + "/{name}", SUBSCRIPTION + "/{name}"})
    Mono<Map<String, Object>> get(@PathVariable String subscriptionId,
                                  @PathVariable(required = false) String resourceGroupName,
                                  @PathVariable String name) {
        return Blocking.call(() -> deployments.get(id(subscriptionId, resourceGroupName, name), name));
    }

    /** {@code az deployment group list} asks for the list with a trailing slash, which ARM answers alike. */
    @GetMapping({GROUP, SUBSCRIPTION, GROUP + "/", SUBSCRIPTION + "/"})
    Mono<Map<String, List<Map<String, Object>>>> list(@PathVariable String subscriptionId,
                                                      @PathVariable(required = false) String resourceGroupName) {
        return Blocking.call(() -> {
            groupLocation(subscriptionId, resourceGroupName);
            return Map.of("value", deployments.list(scopeId(subscriptionId, resourceGroupName)));
        });
    }

    @DeleteMapping({GROUP + "/{name}", SUBSCRIPTION + "/{name}"})
    Mono<ResponseEntity<Void>> delete(@PathVariable String subscriptionId,
                                      @PathVariable(required = false) String resourceGroupName,
                                      @PathVariable String name) {
        return Blocking.call(() -> deployments.delete(id(subscriptionId, resourceGroupName, name), name)
                ? ResponseEntity.accepted().<Void>build() : ResponseEntity.noContent().<Void>build());
    }

    /** ARM also serves a group's deployment operations without the provider segment, the path the SDKs use. */
    @GetMapping({GROUP + "/{name}/operations", SUBSCRIPTION + "/{name}/operations",
            "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}/deployments/{name}/operations"})
    Mono<Map<String, List<Map<String, Object>>>> operations(@PathVariable String subscriptionId,
                                                            @PathVariable(required = false) String resourceGroupName,
                                                            @PathVariable String name) {
        return Blocking.call(() -> Map.of("value",
                deployments.operations(id(subscriptionId, resourceGroupName, name), name)));
    }

    @GetMapping({GROUP + "/{name}/operationStatuses/{operationId}",
            SUBSCRIPTION + "/{name}/operationStatuses/{operationId}"})
    Mono<ResponseEntity<Map<String, Object>>> status(@PathVariable String subscriptionId,
                                                     @PathVariable(required = false) String resourceGroupName,
                                                     @PathVariable String name, @PathVariable String operationId) {
        return Blocking.call(() -> {
            Map<String, Object> status = deployments.status(id(subscriptionId, resourceGroupName, name), name);
            // while it runs, when to ask again: without it the SDKs and the CLI wait 30 s between polls
            return Deployments.isTerminal(status.get("status")) ? ResponseEntity.ok(status)
                    : ResponseEntity.ok().header(HttpHeaders.RETRY_AFTER, "1").body(status);
        });
    }

    @PostMapping({GROUP + "/{name}/cancel", SUBSCRIPTION + "/{name}/cancel"})
    Mono<ResponseEntity<Void>> cancel(@PathVariable String subscriptionId,
                                      @PathVariable(required = false) String resourceGroupName,
                                      @PathVariable String name) {
        return Blocking.call(() -> {
            deployments.cancel(id(subscriptionId, resourceGroupName, name), name);
            return ResponseEntity.noContent().<Void>build();
        });
    }

    @PostMapping({GROUP + "/{name}/exportTemplate", SUBSCRIPTION + "/{name}/exportTemplate"})
    Mono<Map<String, Object>> exportTemplate(@PathVariable String subscriptionId,
                                             @PathVariable(required = false) String resourceGroupName,
                                             @PathVariable String name) {
        return Blocking.call(() -> deployments.exportTemplate(id(subscriptionId, resourceGroupName, name), name));
    }

    // ------------------------------------------------------------------------------------------ reading the request

    @SuppressWarnings("unchecked")
    private Deployments.Request request(String subscriptionId, String group, String name, String tenant, byte[] raw,
                                        String authorization) {
        Deployments.checkName(name);
        String groupLocation = groupLocation(subscriptionId, group);
        Map<String, Object> body;
        JsonDocument document;
        try {
            document = raw.length == 0 ? JsonDocument.of(null) : JsonDocument.parse(raw);
        } catch (JsonDocument.NotJson notJson) {
            throw invalidContent("The request content was invalid and could not be deserialized: '"
                    + notJson.getMessage() + "'.", null);
        }
        if (!(document.value() instanceof Map<?, ?> parsed)) {
            throw invalidContent("The request content was invalid and could not be deserialized: the body must "
                    + "be a JSON object.", null);
        }
        body = (Map<String, Object>) parsed;
        if (!(Values.property(body, "properties") instanceof Map<?, ?> p)) {
            throw invalidContent("The request content was invalid and could not be deserialized: 'Required property "
                    + "'properties' not found in JSON. Path '', line 1, position 2.'.", "properties");
        }
        Map<String, Object> props = (Map<String, Object>) p;
        Object mode = Values.property(props, "mode");
        if (!(mode instanceof String m) || !(m.equalsIgnoreCase("Incremental") || m.equalsIgnoreCase("Complete"))) {
            throw invalidContent("The request content was invalid and could not be deserialized: 'Error converting "
                    + "value " + Values.json(mode) + " to type 'DeploymentMode'. Path 'properties.mode'.'.",
                    "properties.mode");
        }
        if (group == null && m.equalsIgnoreCase("Complete")) {
            throw ArmErrorException.badRequest("InvalidDeploymentMode", "The deployment mode 'Complete' is not "
                    + "supported for deployments at subscription scope.", "properties.mode");
        }
        Object location = Values.property(body, "location");
        if (group == null && !(location instanceof String)) {
            throw ArmErrorException.badRequest("LocationRequired", "The location property is required for this "
                    + "definition.", "location");
        }
        Object template = Values.property(props, "template");
        Object link = Values.property(props, "templateLink");
        if ((template == null) == (link == null)) {
            throw ArmErrorException.badRequest("InvalidRequestContent", "The request content was invalid: exactly "
                    + "one of 'template' and 'templateLink' must be given.", "properties.template");
        }
        JsonDocument templateDocument;
        if (link != null) {
            templateDocument = fetch(link, "properties.templateLink");
        } else {
            templateDocument = document.at("properties.template", template);
        }
        Object parameters = Values.property(props, "parameters");
        if (parameters != null && !(parameters instanceof Map)) {
            throw invalidContent("The request content was invalid and could not be deserialized: 'parameters' must "
                    + "be an object.", "properties.parameters");
        }
        if (Values.property(props, "parametersLink") != null) {
            if (parameters != null) {
                throw ArmErrorException.badRequest("InvalidRequestContent", "The request content was invalid: "
                        + "'parameters' and 'parametersLink' cannot both be given.", "properties.parametersLink");
            }
            Object fetched = fetch(Values.property(props, "parametersLink"), "properties.parametersLink").value();
            parameters = fetched instanceof Map<?, ?> f && Values.property((Map<String, Object>) f, "parameters")
                    instanceof Map<?, ?> inner ? inner : fetched;
        }
        DeploymentScope scope = new DeploymentScope(subscriptionId.toLowerCase(Locale.ROOT), group, groupLocation,
                name, tenant, location instanceof String l ? l : null);
        return new Deployments.Request(scope, id(subscriptionId, group, name), m, templateDocument,
                (Map<String, Object>) parameters, body, authorization);
    }

    /**
     * Fetches a templateLink / parametersLink ({@code uri}) over http(s), within the configured timeout and size
     * (ARM's 4 MB for a template); what cannot be fetched, or is not JSON, is ARM's 400 {@code InvalidContentLink}.
     */
    @SuppressWarnings("unchecked")
    private JsonDocument fetch(Object link, String path) {
        Object uri = link instanceof Map<?, ?> l ? Values.property((Map<String, Object>) l, "uri") : null;
        if (!(uri instanceof String address) || !(address.regionMatches(true, 0, "http://", 0, 7)
                || address.regionMatches(true, 0, "https://", 0, 8))) {
            throw ArmErrorException.badRequest("InvalidTemplateLink", "The template link must have an absolute "
                    + "http or https 'uri'.", path + ".uri");
        }
        String unreachable = "Unable to download deployment content from '" + address + "'. The tracking Id is '"
                + java.util.UUID.randomUUID() + "'. Please see the linked template reference for usage details.";
        try {
            HttpResponse<java.io.InputStream> response = http.send(HttpRequest.newBuilder(URI.create(address))
                    .timeout(properties.templateLinkTimeout()).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            byte[] content = readWithin(response.body(), properties.templateLinkMaxBytes() + 1,
                    properties.templateLinkTimeout());
            if (response.statusCode() != 200) {
                throw ArmErrorException.badRequest("InvalidContentLink", unreachable, path + ".uri");
            }
            if (content.length > properties.templateLinkMaxBytes()) {
                throw ArmErrorException.badRequest("InvalidContentLink", "The content downloaded from '" + address
                        + "' is larger than the maximum of " + properties.templateLinkMaxBytes() + " bytes.",
                        path + ".uri");
            }
            try {
                return JsonDocument.parse(content);
            } catch (JsonDocument.NotJson notJson) {
                throw ArmErrorException.badRequest("InvalidContentLink", "The provided content link '" + address
                        + "' is invalid or not supported. Content at the link could not be deserialized: '"
                        + notJson.getMessage() + "'.", path + ".uri");
            }
        } catch (java.io.IOException | IllegalArgumentException | java.util.concurrent.TimeoutException e) {
            throw ArmErrorException.badRequest("InvalidContentLink", unreachable, path + ".uri");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArmErrorException(503, "ServiceUnavailable", "Interrupted", null);
        }
    }

    /** Up to {@code limit} bytes of a body, within {@code timeout} (a server that stalls is cut off). */
    private static byte[] readWithin(java.io.InputStream in, int limit, java.time.Duration timeout)
            throws java.io.IOException, InterruptedException, java.util.concurrent.TimeoutException {
        java.util.concurrent.FutureTask<byte[]> read = new java.util.concurrent.FutureTask<>(() -> {
            try (in) {
                return in.readNBytes(limit);
            }
        });
        Thread.ofVirtual().start(read);
        try {
            return read.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof java.io.IOException io ? io : new java.io.IOException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            read.cancel(true);
            in.close();
            throw e;
        }
    }

    /** The group's location (404 ResourceGroupNotFound when it does not exist); null at subscription scope. */
    private String groupLocation(String subscriptionId, String group) {
        if (group == null) {
            return null;
        }
        return jdbc.query("select location from resource_groups where subscription_id = ? and name_key = ?",
                (rs, i) -> rs.getString(1), subscriptionId.toLowerCase(Locale.ROOT), group.toLowerCase(Locale.ROOT))
                .stream().findFirst().orElseThrow(() -> new ArmErrorException(404, "ResourceGroupNotFound",
                        "Resource group '" + group + "' could not be found.", null));
    }

    private static ArmErrorException invalidContent(String message, String target) {
        return ArmErrorException.badRequest("InvalidRequestContent", message, target);
    }

    private static String scopeId(String subscriptionId, String group) {
        String subscription = "/subscriptions/" + subscriptionId.toLowerCase(Locale.ROOT);
        return group == null ? subscription : subscription + "/resourceGroups/" + group;
    }

    private static String id(String subscriptionId, String group, String name) {
        return scopeId(subscriptionId, group) + "/providers/" + Deployments.TYPE + "/" + name;
    }

    private static String resultUrl(ServerHttpRequest request, String id, String operation) {
        return UriComponentsBuilder.fromUri(request.getURI())
                .replacePath(id + "/whatIfOperationResults/{operation}")
                .replaceQuery(null)
                .queryParam(ApiVersion.PARAMETER, "{version}")
                .buildAndExpand(operation, ArmRequests.queryValue(request, ApiVersion.PARAMETER))
                .encode()
                .toUriString();
    }

    private static String statusUrl(ServerHttpRequest request, String id) {
        return UriComponentsBuilder.fromUri(request.getURI())
                .replacePath(id + "/operationStatuses/{operation}")
                .replaceQuery(null)
                .queryParam(ApiVersion.PARAMETER, "{version}")
                .buildAndExpand(java.util.UUID.randomUUID().toString().toUpperCase(Locale.ROOT),
                        ArmRequests.queryValue(request, ApiVersion.PARAMETER))
                .encode()
                .toUriString();
    }
}
