package dev.cirrus.gateway.functions;

import java.net.URI;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * A call by host ({@code {app}.azurewebsites.{domain}/api/hello}) was matched as {@code /functions/{app}/api/hello};
 * serverless receives the path the client sent, and finds the app from the host ({@code Host} is preserved and
 * {@code X-Forwarded-Host} set), as Azure's front end hands a request to a Functions host.
 */
@Component
class OriginalPathFilter implements GlobalFilter, Ordered {

    @Override
    public int getOrder() {
        return RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 1;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        String original = exchange.getAttribute(FunctionsTraffic.ORIGINAL_PATH);
        URI url = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
        if (original != null && url != null) {
            URI restored = UriComponentsBuilder.fromUri(url).replacePath(original).build(true).toUri();
            exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR, restored);
        }
        return chain.filter(exchange);
    }
}
