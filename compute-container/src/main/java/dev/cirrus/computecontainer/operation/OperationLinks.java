package dev.cirrus.computecontainer.operation;

import java.net.URI;

import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The URL a client polls an operation at ({@code Azure-AsyncOperation}), absolute and built from the current request
 * after {@code X-Forwarded-*} has been applied ({@code server.forward-headers-strategy: framework}), so behind the
 * gateway it points at the gateway.
 */
public final class OperationLinks {

    private OperationLinks() {
    }

    /** {@code {base}/subscriptions/{sub}/providers/Microsoft.ContainerInstance/locations/{loc}/operations/{id}}. */
    public static URI status(String subscriptionId, String location, Object operationId, String apiVersion) {
        return ServletUriComponentsBuilder.fromCurrentContextPath()
                .path("/subscriptions/{sub}/providers/Microsoft.ContainerInstance/locations/{loc}/operations/{id}")
                .queryParam("api-version", "{v}")
                .buildAndExpand(subscriptionId, location, operationId, apiVersion).encode().toUri();
    }
}
