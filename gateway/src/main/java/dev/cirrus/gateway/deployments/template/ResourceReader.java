package dev.cirrus.gateway.deployments.template;

import java.util.Map;

/** How {@code reference()} and {@code list*()} reach live resources while a deployment runs. */
public interface ResourceReader {

    /** The resource as a GET answers it; refuses with {@code ResourceNotFound} when it does not exist. */
    Map<String, Object> read(String resourceId, String apiVersion);

    /** The answer of {@code POST {resourceId}/{action}}. */
    Object post(String resourceId, String action, String apiVersion, Object body);
}
