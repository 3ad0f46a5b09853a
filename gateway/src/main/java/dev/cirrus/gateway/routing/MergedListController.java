package dev.cirrus.gateway.routing;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.cirrus.contracts.arm.ApiVersion;
import dev.cirrus.contracts.arm.NextLink;
import dev.cirrus.contracts.arm.PageRequest;
import dev.cirrus.contracts.arm.SkipToken;
import dev.cirrus.gateway.arm.ArmRequests;
import dev.cirrus.gateway.arm.DownstreamFailure;
import dev.cirrus.gateway.provider.ProviderRegistry;
import dev.cirrus.gateway.provider.RequestOwner;
import dev.cirrus.plumbing.security.ServiceCredential;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The list of a type that several services own by kind ({@code Microsoft.Web/sites}: web apps at app-service,
 * function apps at serverless), per subscription or per resource group, as Azure answers it: one list with every
 * resource of every kind. {@link ProviderRegistrationFilter} gives such a list to the gateway; this asks every owner
 * the registry names for its whole list (following its {@code nextLink}s), merges them in id order
 * (case-insensitively) and pages the result itself with the shared conventions ({@link PageRequest}: {@code $top},
 * {@code $skiptoken} holding the lower-cased id of the last item shown, {@link NextLink}).
 *
 * <p>An owner that answers 404 serves no such list (none of its resources exist there): it adds nothing. Another
 * 4xx of an owner is passed on as it answered. An owner that cannot be reached, does not answer within the response
 * timeout, answers 5xx or something that is not a list makes the whole answer 503 {@code ServiceUnavailable}
 * naming it: never a part of the list presented as the whole.
 */
@RestController
class MergedListController {

    /** the most items on a page ({@code $top} may ask for fewer) */
    static final int PAGE_SIZE = 100;
    /** a bound on an owner's nextLink chain, against a service that loops */
    private static final int MAX_OWNER_PAGES = 1000;

    private final ProviderRegistry registry;
    private final ServiceEndpoints services;
    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper json;

    MergedListController(ProviderRegistry registry, ServiceEndpoints services, HttpClient gatewayHttpClient,
                         HttpClientProperties properties, ServiceCredential credential, ObjectMapper json) {
        this.registry = registry;
        this.services = services;
        this.http = gatewayHttpClient.headers(h -> h.set(ServiceCredential.HEADER, credential.value()));
        this.timeout = properties.getResponseTimeout() == null ? Duration.ofSeconds(60) : properties.getResponseTimeout();
        this.json = json;
    }

    @GetMapping({"/subscriptions/{subscriptionId}/providers/Microsoft.Web/sites",
            "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Web/sites"})
    Mono<ResponseEntity<Object>> list(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        ProviderRegistry.ResourceType type = RequestOwner.of(exchange).flatMap(RequestOwner::type)
                .or(() -> registry.type("Microsoft.Web", "sites")).orElseThrow();
        PageRequest page = PageRequest.of(ArmRequests.queryValue(request, PageRequest.TOP),
                ArmRequests.queryValue(request, SkipToken.PARAMETER), PAGE_SIZE);
        String path = request.getPath().pathWithinApplication().value();
        String version = ArmRequests.queryValue(request, ApiVersion.PARAMETER);
        String requestId = request.getHeaders().getFirst("x-ms-correlation-request-id");
        return Flux.fromIterable(type.owners())
                .concatMap(owner -> everything(owner, path, version, requestId))
                .collectList()
                .map(answers -> {
                    for (OwnerAnswer answer : answers) {
                        if (answer.refusal() != null) {
                            return answer.refusal();
                        }
                    }
                    List<JsonNode> all = new ArrayList<>();
                    answers.forEach(a -> all.addAll(a.items()));
                    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                            .body((Object) page(all, page, request));
                });
    }

    /** One owner's whole list, or its refusal (a 4xx other than 404) to pass on. */
    private record OwnerAnswer(List<JsonNode> items, ResponseEntity<Object> refusal) {
    }

    private Mono<OwnerAnswer> everything(String owner, String path, String version, String requestId) {
        URI base = services.byModule().get(owner);
        if (base == null) {
            return Mono.error(unavailable(owner, "it is not configured", null));
        }
        URI first = UriComponentsBuilder.fromUri(base).path(path).queryParam(ApiVersion.PARAMETER, version)
                .build().encode().toUri();
        List<JsonNode> items = new ArrayList<>();
        return fetch(owner, base, first, requestId, items, 0);
    }

    private Mono<OwnerAnswer> fetch(String owner, URI base, URI url, String requestId, List<JsonNode> items,
                                    int pages) {
        if (pages >= MAX_OWNER_PAGES) {
            return Mono.error(unavailable(owner, "its list did not end after " + MAX_OWNER_PAGES + " pages", null));
        }
        return http.headers(h -> {
                    h.set(HttpHeaderNames.ACCEPT, "application/json");
                    if (requestId != null) {
                        h.set("x-ms-correlation-request-id", requestId);
                    }
                })
                .responseTimeout(timeout)
                .get().uri(url)
                .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> new Answered(response.status().code(), text)))
                .onErrorMap(e -> !(e instanceof DownstreamFailure), e -> unavailable(owner, e.toString(), e))
                .flatMap(answered -> {
                    int status = answered.status();
                    if (status == 404) {
                        return Mono.just(new OwnerAnswer(items, null));
                    }
                    if (status >= 400 && status < 500) {
                        return Mono.just(new OwnerAnswer(List.of(), ResponseEntity.status(HttpStatus.valueOf(status))
                                .contentType(MediaType.APPLICATION_JSON).body(answered.body())));
                    }
                    JsonNode list;
                    try {
                        list = status == 200 ? json.readTree(answered.body()) : null;
                    } catch (RuntimeException e) {
                        list = null;
                    }
                    if (list == null || !list.path("value").isArray()) {
                        return Mono.error(unavailable(owner, "it answered " + status + " without a list", null));
                    }
                    list.path("value").forEach(items::add);
                    String next = list.path("nextLink").isString() ? list.path("nextLink").asString() : null;
                    if (next == null || next.isBlank()) {
                        return Mono.just(new OwnerAnswer(items, null));
                    }
                    // the owner's link, asked at the owner (whatever host it names)
                    URI link = url.resolve(next);
                    URI again = UriComponentsBuilder.fromUri(base).replacePath(link.getRawPath())
                            .replaceQuery(link.getRawQuery()).build(true).toUri();
                    return fetch(owner, base, again, requestId, items, pages + 1);
                });
    }

    private record Answered(int status, String body) {
    }

    /** The page the client asked for of every owner's items, in id order. */
    private static Map<String, Object> page(List<JsonNode> all, PageRequest page, ServerHttpRequest request) {
        List<JsonNode> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(MergedListController::key));
        List<JsonNode> shown = new ArrayList<>();
        boolean more = false;
        for (JsonNode item : sorted) {
            if (page.after() != null && key(item).compareTo(page.after()) <= 0) {
                continue;
            }
            if (shown.size() == page.size()) {
                more = true;
                break;
            }
            shown.add(item);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", shown);
        if (more) {
            String url = UriComponentsBuilder.fromUri(request.getURI()).replaceQuery(null).build().toUriString();
            body.put("nextLink", NextLink.of(url, request.getQueryParams(), SkipToken.encode(key(shown.getLast()))));
        }
        return body;
    }

    private static String key(JsonNode item) {
        return item.path("id").asString("").toLowerCase(Locale.ROOT);
    }

    private static DownstreamFailure unavailable(String owner, String why, Throwable cause) {
        return new DownstreamFailure("The service '" + owner + "' is unavailable: the list cannot be given whole ("
                + why + "). Retry the request later.", false, null, cause);
    }
}
