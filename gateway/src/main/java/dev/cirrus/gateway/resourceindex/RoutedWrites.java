package dev.cirrus.gateway.resourceindex;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.cirrus.gateway.arm.ArmFilters;
import dev.cirrus.gateway.arm.ArmPath;
import dev.cirrus.gateway.arm.ArmRequests;
import dev.cirrus.gateway.provider.ProviderRegistry;
import dev.cirrus.gateway.provider.RequestOwner;
import dev.cirrus.gateway.support.Blocking;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.gateway.support.RequestBodies;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
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
 * Keeps the {@link ResourceIndex} from the routed calls that change resources, decides the owner of a resource of a
 * type owned by kind ({@code Microsoft.Web/sites}), and refuses a located resource in a location the placement
 * topology does not define.
 *
 * <p>For a top-level resource ({@code /subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}}): a PUT
 * the owning service accepts (2xx) is indexed with the location, kind and tags of its body (the body reaches the
 * service unchanged); a DELETE answered 200 or 204 removes it (a 202 leaves it to the lifecycle events, see
 * {@link LifecycleReconciler}). A PUT of a located type (the {@link ProviderRegistry}) whose {@code location} is not
 * one of the regions is ARM's 400 {@code LocationNotAvailableForResourceType}, naming the available regions, before
 * any service sees it.
 *
 * <p>A type owned by kind belongs to two services: a PUT goes to the owner the registry's kind rule names for its
 * body's {@code kind} (e.g. {@code "functionapp,linux"} → serverless, any other → app-service); the resource's later
 * calls (GET, DELETE, actions, child resources) go to the owner the index recorded (the type's default owner for a
 * resource it does not know). That owner is the request's {@link RequestOwner}. Its name is global: a PUT of a site
 * whose name an indexed site of the other owner has is 409 {@code Conflict} (each owner refuses its own duplicates),
 * so that a host name names one site ({@link SiteOwners}).
 */
@Component
public class RoutedWrites implements WebFilter, Ordered {

    private final ResourceIndex index;
    private final ProviderRegistry registry;
    private final ObjectMapper json;
    private final Clock clock;

    RoutedWrites(ResourceIndex index, ProviderRegistry registry, ObjectMapper json, Clock clock) {
        this.index = index;
        this.registry = registry;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public int getOrder() {
        return ArmFilters.PROVIDER_REGISTRATION + 5;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ArmPath path = ArmRequests.path(exchange);
        List<String> s = path.segments();
        if (!path.isArm() || !path.isInsideResourceGroup() || s.size() < 8 || !s.get(4).equalsIgnoreCase("providers")
                || registry.provider(s.get(5)).isEmpty()) {
            return chain.filter(exchange);
        }
        Optional<ProviderRegistry.ResourceType> type = registry.type(s.get(5), s.get(6));
        boolean byKind = type.isPresent() && type.get().ownedByKind();
        Optional<RequestOwner> decided = RequestOwner.of(exchange);
        if (!byKind && (decided.isEmpty() || decided.get().isGateway())) {
            return chain.filter(exchange);
        }
        String id = "/" + String.join("/", s.subList(0, 8));
        String typeName = type.map(ProviderRegistry.ResourceType::fullName).orElse(s.get(5) + "/" + s.get(6));
        HttpMethod method = exchange.getRequest().getMethod();
        boolean resourceItself = s.size() == 8;
        if (resourceItself && method == HttpMethod.PUT) {
            return put(exchange, chain, id, typeName, type, decided);
        }
        Mono<Void> call = byKind
                ? Blocking.call(() -> index.ownerOf(id).orElse(type.get().owner())).flatMap(owner -> {
                    new RequestOwner(owner, type).putInto(exchange);
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

    private Mono<Void> put(ServerWebExchange exchange, WebFilterChain chain, String id, String typeName,
                           Optional<ProviderRegistry.ResourceType> type, Optional<RequestOwner> decided) {
        return RequestBodies.bytes(exchange.getRequest())
                .flatMap(bytes -> {
                    JsonNode body = parse(bytes);
                    String kind = body.path("kind").isString() ? body.path("kind").asString() : null;
                    String rawLocation = body.path("location").isString() ? body.path("location").asString() : null;
                    if (type.isPresent() && type.get().located() && rawLocation != null && !rawLocation.isBlank()
                            && !registry.isLocation(rawLocation)) {
                        return Mono.error(ArmException.badRequest("LocationNotAvailableForResourceType",
                                "The provided location '" + rawLocation + "' is not available for resource type '"
                                        + type.get().fullName() + "'. List of available regions for the resource type is '"
                                        + String.join(",", registry.locations()) + "'.", "location"));
                    }
                    String owner;
                    if (type.isPresent() && type.get().ownedByKind()) {
                        owner = type.get().ownerOfKind(kind);
                        new RequestOwner(owner, type).putInto(exchange);
                    } else {
                        owner = decided.orElseThrow().service();
                    }
                    ServerHttpRequest replay = new ServerHttpRequestDecorator(exchange.getRequest()) {
                        @Override
                        public Flux<DataBuffer> getBody() {
                            return Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(bytes)));
                        }
                    };
                    Mono<Void> routed = Mono.defer(() -> chain.filter(exchange.mutate().request(replay).build()))
                            .then(Mono.defer(() -> {
                        HttpStatusCode status = exchange.getResponse().getStatusCode();
                        if (status == null || !status.is2xxSuccessful()) {
                            return Mono.empty();
                        }
                        String location = rawLocation == null ? null : ProviderRegistry.normalizeLocation(rawLocation);
                        Map<String, String> tags = new LinkedHashMap<>();
                        body.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asString("")));
                        return Blocking.call(() -> {
                            index.put(id, typeName, owner, location, kind, tags, clock.instant());
                            return true;
                        }).then();
                    }));
                    if (type.isEmpty() || !type.get().ownedByKind()) {
                        return routed;
                    }
                    // a site's name is global (its host name is {name}.azurewebsites.…): each owner keeps its own
                    // sites' names apart, and a name a site of the other owner has is Azure's 409 here, before
                    // either service sees the PUT, so that a host never names two sites; the same site PUT again
                    // with a kind of the other owner would become a second site of that name: refused too
                    String name = id.substring(id.lastIndexOf('/') + 1);
                    return Blocking.call(() -> index.site(name).filter(e -> !owner.equals(e.owner())))
                            .flatMap(other -> other.isEmpty() ? routed : Mono.error(other.get().id()
                                    .equalsIgnoreCase(id)
                                    ? ArmException.conflict("Conflict", "The site '" + name + "' exists with the kind '"
                                            + other.get().kind() + "': a PUT cannot make it a site of kind '" + kind
                                            + "' (function apps and web apps are different services).")
                                    : ArmException.conflict("Conflict", "Website with given name " + name
                                            + " already exists.")));
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
