package dev.cirrus.gateway.batch;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cirrus.gateway.arm.ArmFilters;
import dev.cirrus.gateway.functions.FunctionsTraffic;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Recognises the Batch service API: any request whose {@code Host} is {@code {account}.{region}.batch.{host-domain}}
 * (as Azure's account endpoint), and, for clients that cannot resolve such hosts, the path form
 * {@code /batch/{account}.{region}/…}. Such a call is the account's, not ARM's: no bearer token (compute-vm checks
 * the Shared Key signature), no ARM api-version or RBAC; compute-vm answers it, through its circuit breaker.
 *
 * <p>compute-vm serves the path form only. A call by host is sent there as {@code /batch/{account}.{region}{path}},
 * with the path the client sent (and signed) in {@link #SIGNED_PATH}; the path form never carries that header (one a
 * client sends is removed), so a client cannot make compute-vm check its signature against another path. As for
 * functions ({@link FunctionsTraffic}), only the host the client connected to counts, never an X-Forwarded-Host.
 */
@Component
public class BatchTraffic implements WebFilter, Ordered {

    /** The exchange attribute naming the account endpoint ({@code {account}.{region}}) of a Batch call. */
    public static final String ENDPOINT = BatchTraffic.class.getName() + ".endpoint";
    /** compute-vm's header for the path a client signed when its call came by host. */
    static final String SIGNED_PATH = "X-Cirrus-Batch-Path";
    static final String PREFIX = "/batch/";

    /** Azure's account names (3 to 24 lower-case letters and digits) and region names, as host labels. */
    private static final String ENDPOINT_LABELS = "([a-z0-9]{3,24}\\.[a-z0-9]{2,40})";

    private final Pattern host;

    BatchTraffic(BatchProperties properties) {
        this.host = Pattern.compile(ENDPOINT_LABELS + "\\.batch\\." + Pattern.quote(properties.hostDomain()));
    }

    @Override
    public int getOrder() {
        // beside FunctionsTraffic: after the request ids, before ARM's body limit and authentication
        return ArmFilters.REQUEST_IDS + 4;
    }

    /** The account endpoint a Batch call is for, if the exchange is one. */
    public static Optional<String> endpoint(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(ENDPOINT));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String hostHeader = request.getHeaders().getFirst(HttpHeaders.HOST);
        String lowerHost = hostName(hostHeader);
        Matcher byHost = lowerHost == null || !lowerHost.contains(".batch.") ? null : host.matcher(lowerHost);
        if (byHost != null && byHost.matches()) {
            String endpoint = byHost.group(1);
            String rawPath = request.getURI().getRawPath();
            String signed = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
            exchange.getAttributes().put(ENDPOINT, endpoint);
            ServerHttpRequest routed = request.mutate().path(PREFIX + endpoint + (rawPath == null ? "" : rawPath))
                    .headers(h -> h.set(SIGNED_PATH, signed)).build();
            return chain.filter(exchange.mutate().request(routed).build());
        }
        String path = request.getPath().pathWithinApplication().value();
        if (path.startsWith(PREFIX)) {
            int end = path.indexOf('/', PREFIX.length());
            String endpoint = end < 0 ? path.substring(PREFIX.length()) : path.substring(PREFIX.length(), end);
            if (!endpoint.isEmpty()) {
                exchange.getAttributes().put(ENDPOINT, endpoint);
                if (request.getHeaders().containsHeader(SIGNED_PATH)) {
                    ServerHttpRequest cleaned = request.mutate().headers(h -> h.remove(SIGNED_PATH)).build();
                    return chain.filter(exchange.mutate().request(cleaned).build());
                }
            }
        }
        return chain.filter(exchange);
    }

    /** The name in a {@code Host} header, lower-cased, without its port; null without one. */
    static String hostName(String hostHeader) {
        if (hostHeader == null || hostHeader.isEmpty() || hostHeader.charAt(0) == '[') {
            return null;
        }
        int colon = hostHeader.indexOf(':');
        return (colon < 0 ? hostHeader : hostHeader.substring(0, colon)).toLowerCase(java.util.Locale.ROOT);
    }
}
