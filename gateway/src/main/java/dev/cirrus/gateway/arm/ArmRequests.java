package dev.cirrus.gateway.arm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/** Reads the ARM-relevant parts of a WebFlux request. */
public final class ArmRequests {

    private ArmRequests() {
    }

    /** The exchange attribute holding the request's parsed path ({@link Parsed}). */
    private static final String PATH = ArmRequests.class.getName() + ".path";

    /** A path as parsed, with the request path it was parsed from (a filter may change a request's path). */
    private record Parsed(PathContainer from, ArmPath path) {
    }

    /**
     * The request's path, decoded segment by segment; parsed once per request (and again only when a filter changed
     * the path): every filter, route predicate and handler of a request asks for it, so it is read far more often
     * than it is built. Kept in the exchange's attributes, not in anything per thread.
     */
    public static ArmPath path(ServerWebExchange exchange) {
        PathContainer within = exchange.getRequest().getPath().pathWithinApplication();
        if (exchange.getAttributes().get(PATH) instanceof Parsed parsed
                && (parsed.from() == within || parsed.from().value().equals(within.value()))) {
            return parsed.path();
        }
        ArmPath path = parse(within);
        exchange.getAttributes().put(PATH, new Parsed(within, path));
        return path;
    }

    /** The request's path, decoded segment by segment, parsed on every call (prefer {@link #path(ServerWebExchange)}). */
    public static ArmPath path(ServerHttpRequest request) {
        return parse(request.getPath().pathWithinApplication());
    }

    private static ArmPath parse(PathContainer within) {
        List<String> segments = new ArrayList<>();
        for (PathContainer.Element e : within.elements()) {
            if (e instanceof PathContainer.PathSegment segment) {
                segments.add(segment.valueToMatch());
            }
        }
        return new ArmPath(segments);
    }

    /** Every value of a query parameter, its name matched case-insensitively as ARM does. */
    public static List<String> queryValues(ServerHttpRequest request, String name) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : request.getQueryParams().entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                values.addAll(e.getValue());
            }
        }
        return values;
    }

    /** The first non-blank value of a query parameter, or null. */
    public static String queryValue(ServerHttpRequest request, String name) {
        for (Map.Entry<String, List<String>> e : request.getQueryParams().entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                for (String v : e.getValue()) {
                    if (v != null && !v.isBlank()) {
                        return v;
                    }
                }
            }
        }
        return null;
    }
}
