package dev.cirrus.gateway.faults;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

import dev.cirrus.contracts.events.FaultInjectedData;
import dev.cirrus.gateway.arm.ArmFilters;
import dev.cirrus.gateway.arm.ArmPath;
import dev.cirrus.gateway.arm.ArmRequests;
import dev.cirrus.gateway.arm.RequestIdFilter;
import dev.cirrus.gateway.provider.ProviderRegistry;
import dev.cirrus.gateway.provider.RequestOwner;
import dev.cirrus.gateway.support.Blocking;
import dev.cirrus.plumbing.arm.ArmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Applies the fault-injection rules ({@link FaultRules}) to ARM requests, at {@link ArmFilters#FAULT_INJECTION}
 * (after authentication, authorization and the provider check: the request is a valid call of a known service).
 * The first rule in force that matches the request's service, resource type and operation, and whose probability
 * draws it, injects its fault: an ARM error with its status and code, a delay before the request goes on, or the
 * connection closed without an answer. Each injected fault is announced on {@code cirrus.faults} first. Without
 * rules a request costs one read of an empty list.
 */
@Component
class FaultInjectionFilter implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(FaultInjectionFilter.class);

    private final FaultRules rules;
    private final ProviderRegistry registry;
    private final Clock clock;
    private final Random random = new Random();

    FaultInjectionFilter(FaultRules rules, ProviderRegistry registry, Clock clock) {
        this.rules = rules;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public int getOrder() {
        return ArmFilters.FAULT_INJECTION;
    }

    @Override
    public String toString() {
        return "FaultInjectionFilter";
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        List<FaultRule> active = rules.active();
        if (active.isEmpty()) {
            return chain.filter(exchange);
        }
        ArmPath path = ArmRequests.path(exchange);
        if (!path.isArm()) {
            return chain.filter(exchange);
        }
        String type = type(path);
        List<String> services = services(exchange, type);
        String method = exchange.getRequest().getMethod().name();
        List<String> segments = path.segments();
        String action = method.equals("POST") && !segments.isEmpty() ? segments.getLast() : null;
        Instant now = clock.instant();
        for (FaultRule rule : active) {
            if (!rule.expiredAt(now) && rule.matches(services, type, method, action) && draws(rule)) {
                return inject(rule, exchange, chain, method, services, type);
            }
        }
        return chain.filter(exchange);
    }

    private boolean draws(FaultRule rule) {
        return rule.probability().signum() > 0 && (rule.probability().compareTo(java.math.BigDecimal.ONE) >= 0
                || random.nextDouble() < rule.probability().doubleValue());
    }

    private Mono<Void> inject(FaultRule rule, ServerWebExchange exchange, WebFilterChain chain, String method,
                              List<String> services, String type) {
        FaultInjectedData data = new FaultInjectedData(rule.id(), rule.kind().wire, method,
                exchange.getRequest().getPath().value(), RequestIdFilter.requestId(exchange),
                services.isEmpty() ? null : services.getFirst(), type,
                rule.errorStatus(), rule.errorCode(), rule.latency() == null ? null : rule.latency().toString());
        Mono<Void> announced = Blocking.call(() -> {
            rules.injected(rule, data);
            return true;
        }).onErrorResume(e -> {
            log.warn("the fault injected by rule {} could not be announced: {}", rule.id(), e.toString());
            return Mono.just(false);
        }).then();
        return switch (rule.kind()) {
            case ERROR -> announced.then(Mono.error(new ArmException(rule.errorStatus(), rule.errorCode(),
                    rule.errorMessage() != null ? rule.errorMessage() : "A fault was injected by the rule '"
                            + rule.id() + "' (" + rule.errorStatus() + " " + rule.errorCode() + ").")));
            case LATENCY -> announced.then(Mono.delay(rule.latency())).then(chain.filter(exchange));
            case DROP -> announced.then(Mono.defer(() -> drop(exchange)));
            case REGION_OUTAGE -> chain.filter(exchange);
        };
    }

    /** Closes the client's connection without an answer. */
    private static Mono<Void> drop(ServerWebExchange exchange) {
        ServerHttpResponse response = exchange.getResponse();
        Object nativeResponse = ServerHttpResponseDecorator.getNativeResponse(response);
        if (nativeResponse instanceof HttpServerResponse netty) {
            netty.withConnection(connection -> connection.channel().close());
            return Mono.empty();
        }
        return Mono.error(new ArmException(502, "ConnectionDropped", "The connection was dropped by a fault rule."));
    }

    /** {@code Namespace/type} of the path, canonically cased when registered; null for a path without a type. */
    private String type(ArmPath path) {
        Optional<String> managerType = path.resourceManagerType();
        if (managerType.isPresent()) {
            return ProviderRegistry.RESOURCE_MANAGER + "/" + managerType.get();
        }
        Optional<String> namespace = path.providerNamespace();
        Optional<String> name = path.resourceType();
        if (namespace.isEmpty() || name.isEmpty()) {
            return null;
        }
        return registry.type(namespace.get(), name.get()).map(ProviderRegistry.ResourceType::fullName)
                .orElse(namespace.get() + "/" + name.get());
    }

    private List<String> services(ServerWebExchange exchange, String type) {
        Optional<RequestOwner> owner = RequestOwner.of(exchange);
        if (owner.isPresent() && !owner.get().isGateway()) {
            return List.of(owner.get().service().toLowerCase(Locale.ROOT));
        }
        if (type != null) {
            Optional<ProviderRegistry.ResourceType> registered = registry.type(type);
            if (registered.isPresent()) {
                return registered.get().owners();
            }
        }
        return owner.isPresent() ? List.of(ProviderRegistry.GATEWAY) : List.of();
    }
}
