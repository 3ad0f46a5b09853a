package dev.cirrus.gateway.routing;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.cirrus.gateway.arm.ArmRequests;
import dev.cirrus.gateway.arm.DownstreamFailure;
import dev.cirrus.gateway.functions.FunctionsTraffic;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.cloud.gateway.support.TimeoutException;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.netty.http.client.PrematureCloseException;

/**
 * Wraps every routed call: a service that cannot be reached answers 503 {@code ServiceUnavailable} naming the
 * service, one that does not answer within the response timeout 504 {@code GatewayTimeout}; both within bounded
 * time (connect timeout 2 s, response timeout 60 s by default). One circuit breaker per service counts those
 * transport failures only (never the ARM errors a service answers with, which pass through unchanged); while it is
 * open the gateway answers 503 at once, with {@code Retry-After}, without calling the service.
 */
@Component
class ServiceCallFilter implements GlobalFilter, Ordered {

    private final CircuitBreakerRegistry breakers;
    /**
     * The breaker of each service, taken from the registry once: the registry bean is a refresh-scoped proxy, whose
     * every call takes a lock and goes through AOP (about 2 % of the gateway's CPU when asked on every request).
     */
    private final Map<String, CircuitBreaker> byService = new ConcurrentHashMap<>();

    ServiceCallFilter(CircuitBreakerRegistry breakers) {
        this.breakers = breakers;
    }

    @Override
    public int getOrder() {
        // around everything that talks to the service, NettyRoutingFilter and NettyWriteResponseFilter included
        return Ordered.HIGHEST_PRECEDENCE + 100;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        if (route == null) {
            return chain.filter(exchange);
        }
        Object named = route.getMetadata().get(RoutingConfiguration.SERVICE);
        String service = named != null ? named.toString() : route.getId();
        String namespace = FunctionsTraffic.app(exchange).isPresent() ? service
                : ArmRequests.path(exchange).providerNamespace().orElse(service);
        CircuitBreaker breaker = byService.computeIfAbsent(service, breakers::circuitBreaker);
        if (!breaker.tryAcquirePermission()) {
            return Mono.error(unavailable(service, openFor(breaker), null));
        }
        long start = System.nanoTime();
        return chain.filter(exchange)
                .onErrorMap(t -> translate(t, service, namespace))
                .doOnError(t -> {
                    if (t instanceof DownstreamFailure) {
                        breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, t);
                    } else {
                        breaker.releasePermission();
                    }
                })
                .doFinally(signal -> {
                    if (signal == SignalType.ON_COMPLETE) {
                        breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    } else if (signal == SignalType.CANCEL) {
                        breaker.releasePermission();
                    }
                });
    }

    private static Throwable translate(Throwable t, String service, String namespace) {
        if (t instanceof DownstreamFailure) {
            return t;
        }
        if (isTimeout(t)) {
            return new DownstreamFailure("The gateway did not receive a response from '" + namespace
                    + "' (service '" + service + "') within the specified time period.", true, null, t);
        }
        if (isUnreachable(t)) {
            return unavailable(service, null, t);
        }
        return t;
    }

    private static DownstreamFailure unavailable(String service, Duration retryAfter, Throwable cause) {
        return new DownstreamFailure("The service '" + service + "' is unavailable. Retry the request later.",
                false, retryAfter, cause);
    }

    private static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof TimeoutException
                    || c instanceof ResponseStatusException r && r.getStatusCode().value() == 504) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUnreachable(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            // ConnectException covers Netty's refused connections and its ConnectTimeoutException
            if (c instanceof ConnectException || c instanceof NoRouteToHostException
                    || c instanceof UnknownHostException || c instanceof PrematureCloseException) {
                return true;
            }
        }
        return false;
    }

    private static Duration openFor(CircuitBreaker breaker) {
        return Duration.ofMillis(breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1));
    }
}
