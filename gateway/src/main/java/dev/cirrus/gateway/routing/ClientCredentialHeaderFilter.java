package dev.cirrus.gateway.routing;

import dev.cirrus.plumbing.security.ServiceCredential;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Drops a client's own {@link ServiceCredential#HEADER}: only the gateway puts the platform's credential on a routed
 * call ({@link RoutingConfiguration}), and a client's guess must not travel beside it. Requests without the header (all
 * but a stray few) pass untouched, without a copy.
 */
@Component
class ClientCredentialHeaderFilter implements GlobalFilter, Ordered {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (!exchange.getRequest().getHeaders().containsHeader(ServiceCredential.HEADER)) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate()
                .request(r -> r.headers(h -> h.remove(ServiceCredential.HEADER))).build());
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
