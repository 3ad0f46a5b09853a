package dev.cirrus.gateway.arm;

import java.util.UUID;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * ARM's request ids (reference §1.10), on every answer, errors included: a new {@code x-ms-request-id}, the client's
 * {@code x-ms-correlation-request-id} or a new one, and {@code x-ms-client-request-id} echoed when the client sent
 * it. The services receive the request and correlation ids too, so their logs name the same request.
 */
@Component
class RequestIdFilter implements WebFilter, Ordered {

    static final String REQUEST_ID = "x-ms-request-id";
    static final String CORRELATION_REQUEST_ID = "x-ms-correlation-request-id";
    static final String CLIENT_REQUEST_ID = "x-ms-client-request-id";

    @Override
    public int getOrder() {
        return ArmFilters.REQUEST_IDS;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpHeaders incoming = exchange.getRequest().getHeaders();
        String requestId = UUID.randomUUID().toString();
        String correlationId = firstNonBlank(incoming.getFirst(CORRELATION_REQUEST_ID), UUID.randomUUID().toString());
        String clientRequestId = incoming.getFirst(CLIENT_REQUEST_ID);

        ServerHttpResponse response = exchange.getResponse();
        // at commit time, so that no later writer (a routed service's answer, the error handler) can drop them
        response.beforeCommit(() -> {
            HttpHeaders headers = response.getHeaders();
            headers.set(REQUEST_ID, requestId);
            headers.set(CORRELATION_REQUEST_ID, correlationId);
            if (clientRequestId != null && !clientRequestId.isBlank()) {
                headers.set(CLIENT_REQUEST_ID, clientRequestId);
            } else {
                headers.remove(CLIENT_REQUEST_ID);
            }
            return Mono.empty();
        });

        ServerHttpRequest request = exchange.getRequest().mutate()
                .headers(h -> {
                    h.set(REQUEST_ID, requestId);
                    h.set(CORRELATION_REQUEST_ID, correlationId);
                })
                .build();
        return chain.filter(exchange.mutate().request(request).build());
    }

    private static String firstNonBlank(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
