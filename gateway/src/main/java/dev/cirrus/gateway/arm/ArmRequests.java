package dev.cirrus.gateway.arm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** Reads the ARM-relevant parts of a WebFlux request. */
public final class ArmRequests {

    private ArmRequests() {
    }

    /**
     * The last path each thread read: every filter, route predicate and handler of a request asks for its path, on
     * the thread that runs the request at that moment, so this is read far more often than it is built.
     */
    private static final ThreadLocal<Last> LAST = ThreadLocal.withInitial(Last::new);

    private static final class Last {
        String key;
        ArmPath path;
    }

    /** The request's path, decoded segment by segment. */
    public static ArmPath path(ServerHttpRequest request) {
        PathContainer within = request.getPath().pathWithinApplication();
        String key = within.value();
        Last last = LAST.get();
        if (key.equals(last.key)) {
            return last.path; // an ArmPath is immutable: the same path, the same answer
        }
        List<String> segments = new ArrayList<>();
        for (PathContainer.Element e : within.elements()) {
            if (e instanceof PathContainer.PathSegment segment) {
                segments.add(segment.valueToMatch());
            }
        }
        ArmPath path = new ArmPath(segments);
        last.path = path;
        last.key = key;
        return path;
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
