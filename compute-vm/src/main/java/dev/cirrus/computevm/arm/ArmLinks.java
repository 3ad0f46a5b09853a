package dev.cirrus.computevm.arm;

import java.net.URI;

import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Absolute URLs of this service's operations handed to clients (Azure-AsyncOperation, Location); a list's
 * nextLink is the plumbing's {@code ArmPaging}. They are built from the current request after {@code X-Forwarded-*} has been applied ({@code server.forward-headers-strategy: framework}), so behind
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
}
