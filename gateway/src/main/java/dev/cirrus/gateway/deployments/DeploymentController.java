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
import tools.jackson.core.FormatFeature;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.ObjectMapper;

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

    /**
     * ARM reads a deployment's body leniently, and {@code az deployment group create --template-file} counts on it:
     * the CLI splices the template file's text in as it is, after an unquoted {@code template:}, comments included
     * (DeploymentBodiesAsTheAzureCliSendsThemTest shows the body).
     */
    private static final FormatFeature[] AS_ARM_READS_IT = {JsonReadFeature.ALLOW_UNQUOTED_PROPERTY_NAMES,
            JsonReadFeature.ALLOW_JAVA_COMMENTS};

    private final Deployments deployments;
    private final ObjectMapper json;
    private final JdbcTemplate jdbc;
    private final DeploymentsProperties properties;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    DeploymentController(Deployments deployments, ObjectMapper json, JdbcTemplate jdbc,
                         DeploymentsProperties properties) {
        this.deployments = deployments;
        this.json = json;
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
        try {
            Object parsed = raw.length == 0 ? null : Values.normalize(json.readerFor(Object.class)
                    .withFeatures(AS_ARM_READS_IT).readValue(raw));
            if (!(parsed instanceof Map<?, ?> m)) {
                throw invalidContent("The request content was invalid and could not be deserialized: the body must "
                        + "be a JSON object.", null);
            }
            body = (Map<String, Object>) m;
        } catch (tools.jackson.core.JacksonException notJson) {
            throw invalidContent("The request content was invalid and could not be deserialized: '"
                    + notJson.getOriginalMessage() + "'.", null);
        }
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
        if (link != null) {
            template = fetch(link);
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
            Object fetched = fetch(Values.property(props, "parametersLink"));
            parameters = fetched instanceof Map<?, ?> f && Values.property((Map<String, Object>) f, "parameters")
                    instanceof Map<?, ?> inner ? inner : fetched;
        }
        DeploymentScope scope = new DeploymentScope(subscriptionId.toLowerCase(Locale.ROOT), group, groupLocation,
                name, tenant, location instanceof String l ? l : null);
        return new Deployments.Request(scope, id(subscriptionId, group, name), m, template,
                (Map<String, Object>) parameters, body, authorization);
    }

    /** Fetches a templateLink / parametersLink ({@code uri}) over http(s), within the configured timeout. */
    @SuppressWarnings("unchecked")
    private Object fetch(Object link) {
        Object uri = link instanceof Map<?, ?> l ? Values.property((Map<String, Object>) l, "uri") : null;
        if (!(uri instanceof String address) || !(address.startsWith("http://") || address.startsWith("https://"))) {
            throw ArmErrorException.badRequest("InvalidTemplateLink", "The template link must have an absolute "
                    + "http or https 'uri'.", "properties.templateLink.uri");
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(address))
                    .timeout(properties.templateLinkTimeout()).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw ArmErrorException.badRequest("InvalidContentLink", "Unable to download deployment content from '"
                        + address + "'. The tracking Id is '" + java.util.UUID.randomUUID() + "'. Please see the "
                        + "linked template reference for usage details.", "properties.templateLink.uri");
            }
            return Values.normalize(json.readValue(response.body(), Object.class));
        } catch (tools.jackson.core.JacksonException notJson) {
            throw ArmErrorException.badRequest("InvalidContentLink", "The content downloaded from '" + address
                    + "' is not valid JSON.", "properties.templateLink.uri");
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw ArmErrorException.badRequest("InvalidContentLink", "Unable to download deployment content from '"
                    + address + "': " + e.getMessage(), "properties.templateLink.uri");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArmErrorException(503, "ServiceUnavailable", "Interrupted", null);
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
