package dev.cirrus.gateway.resourceindex;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.cirrus.gateway.arm.ArmFilters;
import dev.cirrus.gateway.arm.ArmPath;
import dev.cirrus.gateway.arm.ArmRequests;
import dev.cirrus.gateway.routing.ProviderNamespaces;
import dev.cirrus.gateway.support.Blocking;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Keeps the {@link ResourceIndex} from the routed calls that change resources, and routes {@code Microsoft.Web/sites}
 * by kind.
 *
 * <p>For a top-level resource ({@code /subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}}): a PUT
 * the owning service accepts (2xx) is indexed with the location, kind and tags of its body (the body reaches the
 * service unchanged); a DELETE answered 200 or 204 removes it (a 202 leaves it to the lifecycle events, see
 * {@link LifecycleReconciler}).
 *
 * <p>{@code Microsoft.Web/sites} belong to two services: a PUT whose {@code kind} names {@code functionapp} (e.g.
 * {@code "functionapp,linux"}) goes to serverless, any other to app-service; the site's later calls (GET, DELETE,
 * actions, child resources) go to the owner the index names (app-service for a site it does not know).
 */
@Component
public class RoutedWrites implements WebFilter, Ordered {

    static final String OWNER = RoutedWrites.class.getName() + ".owner";

    private final ResourceIndex index;
    private final ObjectMapper json;
    private final Clock clock;

    RoutedWrites(ResourceIndex index, ObjectMapper json, Clock clock) {
        this.index = index;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public int getOrder() {
        return ArmFilters.PROVIDER_REGISTRATION + 5;
    }

    /**
     * The services that may own resources of a type ({@code Namespace/type}, case-insensitive): app-service and
     * serverless for {@code Microsoft.Web/sites} (by kind), else the namespace's owner; none for a foreign namespace.
     */
    public static List<String> owners(String type) {
        if (type.equalsIgnoreCase("Microsoft.Web/sites")) {
            return List.of("app-service", "serverless");
        }
        return ProviderNamespaces.owner(type.substring(0, Math.max(0, type.indexOf('/')))).map(List::of)
                .orElse(List.of());
    }

    /** The owner chosen for the exchange when it is not the namespace's (Microsoft.Web/sites), if any. */
    public static Optional<String> owner(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(OWNER));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ArmPath path = ArmRequests.path(exchange);
        List<String> s = path.segments();
        if (!path.isArm() || !path.isInsideResourceGroup() || s.size() < 8 || !s.get(4).equalsIgnoreCase("providers")
                || ProviderNamespaces.owner(s.get(5)).isEmpty()) {
            return chain.filter(exchange);
        }
        String id = "/" + String.join("/", s.subList(0, 8));
        String type = s.get(5) + "/" + s.get(6);
        boolean site = s.get(5).equalsIgnoreCase("Microsoft.Web") && s.get(6).equalsIgnoreCase("sites");
        HttpMethod method = exchange.getRequest().getMethod();
        boolean resourceItself = s.size() == 8;
        if (resourceItself && method == HttpMethod.PUT) {
            return put(exchange, chain, id, type, site);
        }
        Mono<Void> call = site
                ? Blocking.call(() -> index.ownerOf(id).orElse("app-service")).flatMap(owner -> {
                    exchange.getAttributes().put(OWNER, owner);
                    return chain.filter(exchange);
                })
                : chain.filter(exchange);
        if (resourceItself && method == HttpMethod.DELETE) {
            return call.then(Mono.defer(() -> {
                HttpStatusCode status = exchange.getResponse().getStatusCode();
                return status != null && (status.value() == 200 || status.value() == 204)
                        ? Blocking.call(() -> {
                            index.remove(id);
                            return true;
                        }).then() : Mono.empty();
            }));
        }
        return call;
    }

    private Mono<Void> put(ServerWebExchange exchange, WebFilterChain chain, String id, String type, boolean site) {
        return DataBufferUtils.join(exchange.getRequest().getBody())
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .flatMap(bytes -> {
                    JsonNode body = parse(bytes);
                    String kind = body.path("kind").isString() ? body.path("kind").asString() : null;
                    String owner = site ? (kind != null && kind.toLowerCase(Locale.ROOT).contains("functionapp")
                            ? "serverless" : "app-service")
                            : ProviderNamespaces.owner(type.substring(0, type.indexOf('/'))).orElseThrow();
                    if (site) {
                        exchange.getAttributes().put(OWNER, owner);
                    }
                    ServerHttpRequest replay = new ServerHttpRequestDecorator(exchange.getRequest()) {
                        @Override
                        public Flux<DataBuffer> getBody() {
                            return Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(bytes)));
                        }
                    };
                    return chain.filter(exchange.mutate().request(replay).build()).then(Mono.defer(() -> {
                        HttpStatusCode status = exchange.getResponse().getStatusCode();
                        if (status == null || !status.is2xxSuccessful()) {
                            return Mono.empty();
                        }
                        String location = body.path("location").isString()
                                ? body.path("location").asString().replaceAll("\\s+", "").toLowerCase(Locale.ROOT)
                                : null;
                        Map<String, String> tags = new LinkedHashMap<>();
                        body.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asString("")));
                        return Blocking.call(() -> {
                            index.put(id, type, owner, location, kind, tags, clock.instant());
                            return true;
                        }).then();
                    }));
                });
    }

    private JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(bytes);
        } catch (RuntimeException e) {
            return json.createObjectNode(); // the owning service answers a malformed body with its own ARM error
        }
    }
}
