package dev.cirrus.gateway.arm;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * ARM's request ids, on every answer, errors included: a new {@code x-ms-request-id}, the client's
 * {@code x-ms-correlation-request-id} or a new one, and {@code x-ms-client-request-id} echoed when the client sent
 * it. The services receive the request and correlation ids too, so their logs name the same request
 * ({@link #forwardTo}).
 *
 * <p>On the hot path: the ids are random version 4 UUIDs from {@link ThreadLocalRandom} (an id names a request, it
 * guards nothing, so it needs no {@code SecureRandom}), and the request is not rebuilt to carry them (a mutated request
 * parses its path and query again): they go into the routed call's headers ({@link #forwardTo}).
 */
@Component
public class RequestIdFilter implements WebFilter, Ordered {

    static final String REQUEST_ID = "x-ms-request-id";
    static final String CORRELATION_REQUEST_ID = "x-ms-correlation-request-id";
    static final String CLIENT_REQUEST_ID = "x-ms-client-request-id";
    /** The exchange attribute holding the request's {@link Ids}. */
    static final String IDS = RequestIdFilter.class.getName() + ".ids";

    /** The request id the gateway gave a request and its correlation id. */
    record Ids(String requestId, String correlationId) {
    }

    @Override
    public int getOrder() {
        return ArmFilters.REQUEST_IDS;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpHeaders incoming = exchange.getRequest().getHeaders();
        String requestId = newId();
        String correlation = incoming.getFirst(CORRELATION_REQUEST_ID);
        String correlationId = correlation == null || correlation.isBlank() ? newId() : correlation.strip();
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
        exchange.getAttributes().put(IDS, new Ids(requestId, correlationId));
        return chain.filter(exchange);
    }

    /** A random (version 4, IETF variant) UUID, as {@link UUID#randomUUID()} makes, from a non-blocking source. */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong() & ~0xF000L | 0x4000L;
        long low = random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    @Override
    public String toString() {
        return "RequestIdFilter"; // Spring names each filter's checkpoint with this, on every request
    }

    /**
     * Puts the request and correlation ids into the headers of a routed call (its service logs name the request);
     * nothing for a request the filter did not see.
     */
    public static void forwardTo(HttpHeaders headers, ServerWebExchange exchange) {
        Ids ids = exchange.getAttribute(IDS);
        if (ids != null) {
            headers.set(REQUEST_ID, ids.requestId());
            headers.set(CORRELATION_REQUEST_ID, ids.correlationId());
        }
    }
}
