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

    /** The request's path, decoded segment by segment. */
    public static ArmPath path(ServerHttpRequest request) {
        return new ArmPath(request.getPath().pathWithinApplication().elements().stream()
                .filter(PathContainer.PathSegment.class::isInstance)
                .map(e -> ((PathContainer.PathSegment) e).valueToMatch())
                .toList());
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
        return queryValues(request, name).stream().filter(v -> v != null && !v.isBlank()).findFirst().orElse(null);
    }
}
