package dev.cirrus.gateway.routing;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which service owns which ARM provider namespace (the segment after {@code /providers/}), matched
 * case-insensitively: {@code microsoft.compute} is {@code Microsoft.Compute}.
 *
 * <p>{@code Microsoft.Web} goes to app-service as a whole for now; function apps ({@code Microsoft.Web/sites} of kind
 * {@code functionapp}) belong to serverless and will be routed by the body's kind and the resource index once that
 * index exists.
 */
public final class ProviderNamespaces {

    /** Canonical namespace to owning module. */
    private static final Map<String, String> OWNERS = Map.of(
            "Microsoft.Compute", "compute-vm",
            // compute-vm also owns Batch accounts and autoscale settings (docs/architecture.md)
            "Microsoft.Batch", "compute-vm",
            "Microsoft.Insights", "compute-vm",
            "Microsoft.ContainerInstance", "compute-container",
            "Microsoft.ContainerService", "compute-container",
            "Microsoft.Web", "app-service",
            "Microsoft.Logic", "serverless",
            "Microsoft.Consumption", "billing",
            "Microsoft.CostManagement", "billing");

    private static final Map<String, String> BY_LOWER_CASE = OWNERS.entrySet().stream()
            .collect(Collectors.toUnmodifiableMap(e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue));

    private ProviderNamespaces() {
    }

    /** The module that owns a namespace, if any. */
    public static Optional<String> owner(String namespace) {
        return Optional.ofNullable(BY_LOWER_CASE.get(namespace.toLowerCase(Locale.ROOT)));
    }

    /** Microsoft.Authorization (role assignments and definitions) is the gateway's own. */
    public static boolean servedByTheGateway(String namespace) {
        return namespace.equalsIgnoreCase("Microsoft.Authorization");
    }

    /** The namespaces Cirrus serves, canonically cased and sorted, for error messages. */
    public static String supported() {
        return String.join(", ", new TreeMap<>(OWNERS).keySet());
    }
}
