package dev.cirrus.gateway.arm;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

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
 * <p>On the hot path: the ids are version 4 UUIDs whose bits come from SplitMix64 over one atomic counter seeded by
 * {@code SecureRandom} at start-up (an id names a request, it guards nothing: it must be unique, not unpredictable;
 * SplitMix64's mix is a bijection, so no two ids of one run repeat), with no per-thread state and no lock; and the
 * request is not rebuilt to carry them (a mutated request parses its path and query again): they go into the routed
 * call's headers ({@link #forwardTo}).
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

    /** The request id the gateway gave this request (null before this filter ran). */
    public static String requestId(ServerWebExchange exchange) {
        Ids ids = exchange.getAttribute(IDS);
        return ids == null ? null : ids.requestId();
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

    /** SplitMix64's increment (the odd integer nearest 2^64 divided by the golden ratio). */
    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    private static final AtomicLong SEED = new AtomicLong(new SecureRandom().nextLong());

    /** A version 4 (IETF variant) UUID, shaped as {@link UUID#randomUUID()} makes it, from a non-blocking source. */
    static String newId() {
        long high = mix(SEED.addAndGet(GAMMA)) & ~0xF000L | 0x4000L;
        long low = mix(SEED.addAndGet(GAMMA)) & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** SplitMix64's output function (Steele, Lea and Flood), as {@code java.util.SplittableRandom} uses it. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
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
