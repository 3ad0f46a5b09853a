package dev.cirrus.gateway.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Spring Cloud Gateway's routing filter (the call to the service over Reactor Netty) with two changes on the hot
 * path: the headers of the call and of its answer go through {@link ProxiedHeaders} (one copy each) instead of the
 * list of every {@link HttpHeadersFilter} bean; and the HTTP client configured for a route (its connect timeout) is
 * made once per route, not on every call (each configuration step copies the client's whole configuration). The
 * routes are fixed at start-up ({@link RoutingConfiguration}), so a route id names one configuration.
 *
 * <p>The response timeout is this filter's too: the time from sending the call to the service's status and headers,
 * as Spring Cloud Gateway measures it, but timed on the client connection's event loop ({@link ResponseTimeout}). A route names it in
 * its {@link #RESPONSE_TIMEOUT} metadata (and sets Spring Cloud Gateway's own to -1, none); running out is Spring
 * Cloud Gateway's {@code TimeoutException}, which {@code ServiceCallFilter} answers with 504.
 */
class CirrusRoutingFilter extends NettyRoutingFilter {

    private static final List<HttpHeadersFilter> HEADERS = List.of(ProxiedHeaders.REQUEST, ProxiedHeaders.RESPONSE);

    /** Route metadata: how long the service may take to answer (a {@link Duration}); none when absent. */
    static final String RESPONSE_TIMEOUT = "cirrus.response-timeout";

    private final Map<String, HttpClient> byRoute = new ConcurrentHashMap<>();

    CirrusRoutingFilter(HttpClient httpClient, HttpClientProperties properties) {
        super(httpClient, null, properties);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        Mono<Void> call = super.filter(exchange, chain);
        if (route == null || !(route.getMetadata().get(RESPONSE_TIMEOUT) instanceof Duration timeout)) {
            return call;
        }
        return ResponseTimeout.of(call, timeout, exchange);
    }

    @Override
    public List<HttpHeadersFilter> getHeadersFilters() {
        return HEADERS;
    }

    @Override
    protected HttpClient getHttpClient(Route route, ServerWebExchange exchange) {
        return byRoute.computeIfAbsent(route.getId(), id -> super.getHttpClient(route, exchange));
    }
}
