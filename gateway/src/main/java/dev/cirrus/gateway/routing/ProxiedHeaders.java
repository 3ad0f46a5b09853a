package dev.cirrus.gateway.routing;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.cirrus.gateway.arm.RequestIdFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * The headers of a routed call ({@link #REQUEST}) and of the service's answer ({@link #RESPONSE}), each in one
 * copy. Spring Cloud Gateway's default header filters do the same one after another, each copying every header
 * (about 10 % of the gateway's CPU per routed GET): {@code RemoveForwardedHeadersFilter} (no {@code Forwarded}:
 * services read X-Forwarded-* only), {@code XForwardedHeadersFilter}, {@code TransferEncodingNormalizationHeadersFilter} and
 * {@code RemoveHopByHopHeadersFilter}; the request ids are added here too ({@link RequestIdFilter#forwardTo}).
 * {@link CirrusRoutingFilter} applies these two instead of that list.
 *
 * <p>The request keeps every client header except the hop-by-hop ones (RFC 9110 §7.6.1, and those its
 * {@code Connection} header names), {@code Forwarded}, and {@code Content-Length} beside {@code Transfer-Encoding:
 * chunked} (RFC 9112 §6.3: such a length is not to be trusted). X-Forwarded-For, -Proto, -Port and -Host come from
 * the request as the gateway sees it: its own Host and scheme and the client's address, or what a trusted proxy's
 * forwarded headers said ({@code arm/ForwardedHeaders.java} took those into the request and removed them; a client
 * that is no trusted proxy has its own removed, so it cannot choose the URLs the services build). No route
 * here rewrites a path (none uses StripPrefix, RewritePath and the like), so there is no X-Forwarded-Prefix.
 */
abstract sealed class ProxiedHeaders implements HttpHeadersFilter {

    static final ProxiedHeaders REQUEST = new Request();
    static final ProxiedHeaders RESPONSE = new Response();

    /** Spring Cloud Gateway's hop-by-hop list ({@code RemoveHopByHopHeadersFilter}), compared case-insensitively. */
    private static final Set<String> HOP_BY_HOP = caseInsensitive(List.of("connection", "keep-alive",
            "transfer-encoding", "te", "trailer", "proxy-authorization", "proxy-authenticate", "x-application-context",
            "upgrade"));

    private static final String X_FORWARDED_FOR = "X-Forwarded-For";
    private static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";
    private static final String X_FORWARDED_PORT = "X-Forwarded-Port";
    private static final String X_FORWARDED_HOST = "X-Forwarded-Host";

    /**
     * The headers to pass on: all but the hop-by-hop ones and {@code also}. Read with {@code forEach}, which a
     * request's read-only headers answer from their backing map ({@code headerSet()} would first copy every entry).
     */
    static HttpHeaders withoutHopByHop(HttpHeaders input, String also) {
        List<String> connection = input.getConnection();
        Set<String> named = connection.isEmpty() ? Set.of() : caseInsensitive(connection);
        HttpHeaders kept = new HttpHeaders();
        input.forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name) && !named.contains(name) && (also == null || !also.equalsIgnoreCase(name))) {
                kept.addAll(name, values);
            }
        });
        return kept;
    }

    private static Set<String> caseInsensitive(Collection<String> names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : names) {
            set.add(name.strip());
        }
        return set;
    }

    private static final class Request extends ProxiedHeaders {

        @Override
        public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
            HttpHeaders headers = withoutHopByHop(input, "Forwarded");
            String transferEncoding = input.getFirst(HttpHeaders.TRANSFER_ENCODING);
            if (transferEncoding != null && transferEncoding.strip().equalsIgnoreCase("chunked")) {
                headers.remove(HttpHeaders.CONTENT_LENGTH);
            }
            ServerHttpRequest request = exchange.getRequest();
            URI uri = request.getURI();
            // a trusted proxy's client address (taken from its X-Forwarded-For by arm.ForwardedHeaders) is an
            // unresolved address: named by its host string (Spring Cloud Gateway's filter dropped it)
            String remote = request.getRemoteAddress() != null ? request.getRemoteAddress().getHostString() : null;
            append(headers, X_FORWARDED_FOR, remote);
            String scheme = uri.getScheme();
            append(headers, X_FORWARDED_PROTO, scheme);
            int port = uri.getPort();
            append(headers, X_FORWARDED_PORT, String.valueOf(port >= 0 ? port : "https".equals(scheme) ? 443 : 80));
            boolean defaultPort = port < 0 || port == 80 && "http".equals(scheme) || port == 443 && "https".equals(scheme);
            append(headers, X_FORWARDED_HOST, defaultPort ? uri.getHost() : uri.getHost() + ":" + port);
            RequestIdFilter.forwardTo(headers, exchange);
            // read-only: the routing filter only reads them (forEach), which read-only headers answer without copying
            return HttpHeaders.readOnlyHttpHeaders(headers);
        }

        /** Appends to what the header already says, as one comma-separated value. */
        private static void append(HttpHeaders headers, String name, String value) {
            List<String> existing = headers.get(name);
            if (existing == null || existing.isEmpty()) {
                if (value != null) {
                    headers.set(name, value);
                }
                return;
            }
            String joined = String.join(",", existing);
            headers.set(name, value == null ? joined : joined + "," + value);
        }

        @Override
        public boolean supports(Type type) {
            return type == Type.REQUEST;
        }
    }

    private static final class Response extends ProxiedHeaders {

        @Override
        public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
            // the routing filter's own fresh, writable copy of the answer's headers (CirrusRoutingFilter applies no
            // other filter): the hop-by-hop ones are taken out of it rather than everything else copied again
            List<String> connection = input.getConnection();
            Set<String> named = connection.isEmpty() ? Set.of() : caseInsensitive(connection);
            List<String> drop = null;
            for (String name : input.headerNames()) {
                if (HOP_BY_HOP.contains(name) || named.contains(name)) {
                    drop = drop == null ? new ArrayList<>() : drop;
                    drop.add(name);
                }
            }
            if (drop != null) {
                drop.forEach(input::remove);
            }
            return input;
        }

        @Override
        public boolean supports(Type type) {
            return type == Type.RESPONSE;
        }
    }
}
