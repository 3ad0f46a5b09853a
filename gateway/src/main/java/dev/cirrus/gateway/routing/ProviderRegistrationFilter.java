package dev.cirrus.gateway.routing;

import java.util.List;
import java.util.Optional;

import dev.cirrus.contracts.arm.ApiVersion;
import dev.cirrus.gateway.arm.ArmFilters;
import dev.cirrus.gateway.arm.ArmPath;
import dev.cirrus.gateway.arm.ArmRequests;
import dev.cirrus.gateway.functions.FunctionsTraffic;
import dev.cirrus.gateway.provider.ProviderRegistry;
import dev.cirrus.gateway.provider.RequestOwner;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Decides which service owns an ARM request, once, from the {@link ProviderRegistry}, into the exchange's
 * {@link RequestOwner} that the routes and later filters read: the gateway for what ARM serves itself
 * ({@link ArmPath#resourceManagerType()}) and for namespaces the registry gives to the gateway
 * (Microsoft.Authorization), else the owner of the addressed type, else of the namespace. A type owned by kind
 * ({@code Microsoft.Web/sites}) addressed as one resource is left to {@code resourceindex/RoutedWrites}, which reads
 * its PUT body or the resource index and applies the registry's kind rule; its list, per subscription or group, is
 * the gateway's, which merges every owner's ({@link MergedListController}).
 *
 * <p>A path under {@code /providers/{namespace}} whose namespace the registry does not list is refused the way ARM
 * refuses an unregistered provider: 400 {@code NoRegisteredProviderFound}. ARM's message names a
 * location too; the gateway does not read request bodies, so it names the namespace and the supported namespaces
 * instead.
 */
@Component
class ProviderRegistrationFilter implements WebFilter, Ordered {

    private final ProviderRegistry registry;

    ProviderRegistrationFilter(ProviderRegistry registry) {
        this.registry = registry;
    }

    @Override
    public int getOrder() {
        return ArmFilters.PROVIDER_REGISTRATION;
    }

    @Override
    public String toString() {
        return "ProviderRegistrationFilter"; // Spring names each filter's checkpoint with this, on every request
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ArmPath path = ArmRequests.path(exchange);
        if (!path.isArm() || FunctionsTraffic.app(exchange).isPresent()) {
            return chain.filter(exchange);
        }
        if (path.resourceManagerType().isPresent()) {
            RequestOwner.GATEWAY.putInto(exchange);
            return chain.filter(exchange);
        }
        Optional<String> namespace = path.providerNamespace();
        if (namespace.isEmpty()) {
            return chain.filter(exchange); // nothing ARM serves: the gateway's 404
        }
        Optional<ProviderRegistry.Provider> provider = registry.provider(namespace.get());
        if (provider.isEmpty()) {
            String type = namespace.get() + path.resourceType().map(t -> "/" + t).orElse("");
            String version = ArmRequests.queryValue(exchange.getRequest(), ApiVersion.PARAMETER);
            return Mono.error(ArmException.badRequest("NoRegisteredProviderFound",
                    "No registered resource provider found for namespace '" + namespace.get() + "' and API version '"
                            + version + "' for type '" + type + "'. The supported namespaces are '"
                            + registry.supportedNamespaces() + "'.", null));
        }
        Optional<ProviderRegistry.ResourceType> type = type(path);
        if (type.isPresent() && type.get().ownedByKind() && isOneResource(path)) {
            return chain.filter(exchange); // RoutedWrites decides by the kind (its PUT body or the index)
        }
        if (type.isPresent() && type.get().ownedByKind() && isList(path)) {
            // one list with every owner's resources: the gateway merges them (MergedListController)
            new RequestOwner(ProviderRegistry.GATEWAY, type).putInto(exchange);
            return chain.filter(exchange);
        }
        new RequestOwner(type.map(ProviderRegistry.ResourceType::owner).orElse(provider.get().owner()), type)
                .putInto(exchange);
        return chain.filter(exchange);
    }

    /** The type after the first {@code providers} segment, with a nested type ({@code locations/vmSizes}) first. */
    private Optional<ProviderRegistry.ResourceType> type(ArmPath path) {
        List<String> s = path.segments();
        int i = path.providersIndex() + 1; // the namespace
        if (i + 1 >= s.size()) {
            return Optional.empty();
        }
        String namespace = s.get(i);
        if (i + 3 < s.size()) {
            Optional<ProviderRegistry.ResourceType> nested = registry.type(namespace, s.get(i + 1) + "/" + s.get(i + 3));
            if (nested.isPresent()) {
                return nested;
            }
        }
        return registry.type(namespace, s.get(i + 1));
    }

    /**
     * {@code /subscriptions/{s}/providers/{ns}/{type}} or {@code /subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}}:
     * the list of a top-level type.
     */
    static boolean isList(ArmPath path) {
        List<String> s = path.segments();
        return s.size() == 5 && path.providersIndex() == 2
                || s.size() == 7 && path.isInsideResourceGroup() && path.providersIndex() == 4;
    }

    /** {@code …/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/…]}: one resource (or what is under it). */
    static boolean isOneResource(ArmPath path) {
        List<String> s = path.segments();
        return path.isInsideResourceGroup() && s.size() >= 8 && s.get(4).equalsIgnoreCase("providers");
    }
}
