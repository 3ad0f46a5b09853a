package dev.cirrus.gateway.resourcegroup;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import dev.cirrus.contracts.arm.ApiVersion;
import dev.cirrus.gateway.arm.ArmRequests;
import dev.cirrus.gateway.authorization.VisibleGroups;
import dev.cirrus.gateway.support.Blocking;
import dev.cirrus.gateway.support.RequestBodies;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code /subscriptions/{sub}/resourcegroups[/{name}]} (the segment is matched case-insensitively,
 * see {@link dev.cirrus.gateway.arm.ArmPathMatching}). api-version, subscription shape and body size were checked by the ARM filters.
 */
@RestController
@RequestMapping("/subscriptions/{subscriptionId}/resourcegroups")
class ResourceGroupController {

    private final ResourceGroupService service;
    private final ResourceGroupRequests requests;
    private final ResourceGroupExporter exporter;

    ResourceGroupController(ResourceGroupService service, ResourceGroupExporter exporter, ObjectMapper json) {
        this.service = service;
        this.exporter = exporter;
        this.requests = new ResourceGroupRequests(json);
    }

    /** The groups of the subscription the caller may read (all of them with a role at the subscription or root). */
    @GetMapping
    Mono<Map<String, List<ResourceGroupResource>>> list(@PathVariable String subscriptionId,
                                                       ServerWebExchange exchange) {
        Predicate<String> visible = VisibleGroups.of(exchange).orElse(id -> true);
        return Blocking.call(() -> Map.of("value", service.list(canonical(subscriptionId)).stream()
                .filter(group -> visible.test(group.id())).map(ResourceGroupResource::of).toList()));
    }

    @PutMapping("/{resourceGroupName}")
    Mono<ResponseEntity<ResourceGroupResource>> createOrUpdate(@PathVariable String subscriptionId,
                                                               @PathVariable String resourceGroupName,
                                                               ServerHttpRequest request) {
        return jsonBody(request)
                .flatMap(body -> Blocking.call(() -> service.createOrUpdate(canonical(subscriptionId),
                        resourceGroupName, requests.definition(body))))
                .map(change -> ResponseEntity.status(change.created() ? HttpStatus.CREATED : HttpStatus.OK)
                        .body(ResourceGroupResource.of(change.group())));
    }

    @GetMapping("/{resourceGroupName}")
    Mono<ResourceGroupResource> get(@PathVariable String subscriptionId, @PathVariable String resourceGroupName) {
        return Blocking.call(() -> ResourceGroupResource.of(service.get(canonical(subscriptionId), resourceGroupName)));
    }

    /** Checks existence: 204, or 404 (with no body, as for every HEAD). */
    @RequestMapping(path = "/{resourceGroupName}", method = RequestMethod.HEAD)
    Mono<ResponseEntity<Void>> exists(@PathVariable String subscriptionId, @PathVariable String resourceGroupName) {
        return Blocking.call(() -> service.exists(canonical(subscriptionId), resourceGroupName))
                .map(exists -> exists ? ResponseEntity.noContent().<Void>build()
                        : ResponseEntity.notFound().<Void>build());
    }

    @PatchMapping("/{resourceGroupName}")
    Mono<ResourceGroupResource> update(@PathVariable String subscriptionId, @PathVariable String resourceGroupName,
                                       ServerHttpRequest request) {
        return jsonBody(request)
                .flatMap(body -> Blocking.call(() -> service.patch(canonical(subscriptionId), resourceGroupName,
                        requests.patch(body))))
                .map(change -> ResourceGroupResource.of(change.group()));
    }

    /** The group as a template: 200 with {@code {template, error?}} ({@link ResourceGroupExporter}). */
    @PostMapping("/{resourceGroupName}/exportTemplate")
    Mono<Map<String, Object>> exportTemplate(@PathVariable String subscriptionId, @PathVariable String resourceGroupName,
                                             ServerHttpRequest request) {
        return jsonBody(request)
                .map(requests::exportRequest)
                .flatMap(export -> Blocking.call(() -> exporter.export(canonical(subscriptionId), resourceGroupName,
                        export)));
    }

    /**
     * 202 with a Location to poll and {@code Retry-After: 1} (without it the SDKs wait 30 s before the first poll);
     * the group is already gone when the answer leaves.
     */
    @DeleteMapping("/{resourceGroupName}")
    Mono<ResponseEntity<Void>> delete(@PathVariable String subscriptionId, @PathVariable String resourceGroupName,
                                      ServerHttpRequest request) {
        String subscription = canonical(subscriptionId);
        return Blocking.call(() -> service.delete(subscription, resourceGroupName))
                .map(operationId -> ResponseEntity.accepted().header(HttpHeaders.RETRY_AFTER, "1")
                        .location(operationUrl(request, subscription, operationId)).<Void>build());
    }

    private static URI operationUrl(ServerHttpRequest request, String subscription, String operationId) {
        return UriComponentsBuilder.fromUri(request.getURI())
                .replacePath("/subscriptions/{sub}/operationresults/{id}")
                .replaceQuery(null)
                .queryParam(ApiVersion.PARAMETER, "{version}")
                .buildAndExpand(subscription, operationId, ArmRequests.queryValue(request, ApiVersion.PARAMETER))
                .encode()
                .toUri();
    }

    /** The whole body (the 4 MB limit is enforced by the body-limit filter); JSON or no declared type only. */
    private static Mono<byte[]> jsonBody(ServerHttpRequest request) {
        MediaType type = request.getHeaders().getContentType();
        if (type != null && !MediaType.APPLICATION_JSON.isCompatibleWith(type)
                && !type.getSubtype().endsWith("+json")) {
            return Mono.error(new UnsupportedMediaTypeStatusException(type, List.of(MediaType.APPLICATION_JSON)));
        }
        return RequestBodies.bytes(request);
    }

    /** Subscription ids are GUIDs, which ARM shows in lower case. */
    private static String canonical(String subscriptionId) {
        return subscriptionId.toLowerCase(Locale.ROOT);
    }
}
