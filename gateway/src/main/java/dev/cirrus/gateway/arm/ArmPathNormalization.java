package dev.cirrus.gateway.arm;

import dev.cirrus.gateway.functions.FunctionsTraffic;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * ARM ignores empty path segments: {@code …/providers/Microsoft.Compute//availabilitySets/x} (the Azure CLI sends
 * such paths) is {@code …/providers/Microsoft.Compute/availabilitySets/x}. An ARM path ({@link ArmPath#isArm()}) with
 * {@code //} in it is rewritten so before anything reads it, and the owning service receives the rewritten path.
 * The Functions data plane's paths are the app's and stay as they are.
 */
@Component
class ArmPathNormalization implements WebFilter, Ordered {

    @Override
    public int getOrder() {
        return ArmFilters.REQUEST_IDS + 6; // after FunctionsTraffic has taken the data plane's calls
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String raw = request.getURI().getRawPath();
        if (raw == null || !raw.contains("//") || FunctionsTraffic.app(exchange).isPresent()
                || !ArmRequests.path(request).isArm()) {
            return chain.filter(exchange);
        }
        ServerHttpRequest normalized = request.mutate().path(collapse(raw)).build();
        return chain.filter(exchange.mutate().request(normalized).build());
    }

    /** The raw path with every run of slashes made one slash. */
    static String collapse(String rawPath) {
        StringBuilder b = new StringBuilder(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c != '/' || b.isEmpty() || b.charAt(b.length() - 1) != '/') {
                b.append(c);
            }
        }
        return b.toString();
    }
}
