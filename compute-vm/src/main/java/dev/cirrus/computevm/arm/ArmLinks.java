package dev.cirrus.computevm.arm;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * Absolute URLs handed to clients (Azure-AsyncOperation, Location, nextLink). They are built from the current
 * request after {@code X-Forwarded-*} has been applied ({@code server.forward-headers-strategy: framework}), so behind
 * the gateway they point at the gateway, not at this service.
 */
public final class ArmLinks {

    private ArmLinks() {
    }

    /** {@code {base}/subscriptions/{sub}/providers/Microsoft.Compute/locations/{loc}/operations/{id}?api-version=…}. */
    public static URI operationStatus(String subscriptionId, String location, Object operationId, String apiVersion) {
        return operation("operations", subscriptionId, location, operationId, apiVersion);
    }

    /** {@code {base}/subscriptions/{sub}/providers/Microsoft.Compute/locations/{loc}/operationResults/{id}?api-version=…}. */
    public static URI operationResult(String subscriptionId, String location, Object operationId, String apiVersion) {
        return operation("operationResults", subscriptionId, location, operationId, apiVersion);
    }

    private static URI operation(String kind, String subscriptionId, String location, Object operationId,
                                 String apiVersion) {
        return ServletUriComponentsBuilder.fromCurrentContextPath()
                .path("/subscriptions/{sub}/providers/Microsoft.Compute/locations/{loc}/" + kind + "/{id}")
                .queryParam("api-version", "{v}")
                .buildAndExpand(subscriptionId, location, operationId, apiVersion).encode().toUri();
    }

    /**
     * The current request's absolute URL with {@code $skipToken} replaced: a list's nextLink. Query parameters are
     * re-encoded from their decoded values, so a client that sent {@code %24top} or {@code $top} gets one link shape.
     */
    public static String nextLink(String skipToken) {
        HttpServletRequest request =
                ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest();
        StringBuilder link = new StringBuilder(ServletUriComponentsBuilder.fromCurrentRequestUri().build(true).toUriString());
        char separator = '?';
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            if (parameter.getKey().equalsIgnoreCase("$skipToken")) {
                continue;
            }
            for (String value : parameter.getValue()) {
                link.append(separator).append(UriUtils.encodeQueryParam(parameter.getKey(), StandardCharsets.UTF_8))
                        .append('=').append(UriUtils.encodeQueryParam(value, StandardCharsets.UTF_8));
                separator = '&';
            }
        }
        return link.append(separator).append("$skipToken=").append(skipToken).toString();
    }
}
