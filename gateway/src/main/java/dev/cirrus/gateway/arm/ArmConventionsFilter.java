package dev.cirrus.gateway.arm;

import java.util.List;
import java.util.Optional;

import dev.cirrus.contracts.arm.ApiVersion;
import dev.cirrus.contracts.arm.ArmError;
import dev.cirrus.gateway.provider.ProviderRegistry;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The checks ARM makes on every call before it looks at the resource: the api-version: present,
 * well-shaped, and one the addressed resource type accepts (from the {@link ProviderRegistry}: a version it lists, or
 * one newer than its newest; a type the registry does not list is left to its service; what ARM serves itself is
 * checked against {@code Microsoft.Resources}), then the shape of the subscription id.
 */
@Component
class ArmConventionsFilter implements WebFilter, Ordered {

    private final ProviderRegistry registry;

    ArmConventionsFilter(ProviderRegistry registry) {
        this.registry = registry;
    }

    @Override
    public int getOrder() {
        return ArmFilters.CONVENTIONS;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ArmPath path = ArmRequests.path(exchange);
        if (!path.isArm()) {
            return chain.filter(exchange);
        }
        if (isPlainlySupported(registry, path, exchange)) {
            return chain.filter(exchange); // the usual call, checked without the error paths' parsing
        }
        Optional<ArmError> version = ApiVersion.check(ArmRequests.queryValues(exchange.getRequest(), ApiVersion.PARAMETER));
        if (version.isPresent()) {
            ArmError e = version.get();
            return Mono.error(new ArmException(400, e.code(), e.message(), e.target()));
        }
        Optional<ArmException> unsupported = unsupportedVersion(registry, path,
                ArmRequests.queryValue(exchange.getRequest(), ApiVersion.PARAMETER));
        if (unsupported.isPresent()) {
            return Mono.error(unsupported.get());
        }
        Optional<String> subscription = path.subscriptionId();
        if (subscription.isPresent() && !ArmPath.isGuid(subscription.get())) {
            return Mono.error(new ArmException(400, "InvalidSubscriptionId",
                    "The provided subscription identifier '" + subscription.get() + "' is malformed or invalid.",
                    "subscriptionId"));
        }
        return chain.filter(exchange);
    }

    /**
     * The usual call, decided cheaply: one api-version, which the addressed type lists (so it is well-formed too),
     * and a subscription id shaped as a GUID. Anything else goes through the checks one by one, which name the
     * error.
     */
    private static boolean isPlainlySupported(ProviderRegistry registry, ArmPath path, ServerWebExchange exchange) {
        String version = plainApiVersion(exchange.getRequest().getURI().getRawQuery());
        if (version == null) {
            return false;
        }
        Optional<String> resourceManagerType = path.resourceManagerType();
        boolean supported;
        if (resourceManagerType.isPresent()) {
            supported = registry.accepts(ProviderRegistry.RESOURCE_MANAGER, resourceManagerType.get(), version);
        } else {
            Optional<List<String>> type = path.addressedType();
            supported = type.isPresent() && registry.accepts(type.get().get(0), type.get().get(1), version);
        }
        return supported && path.subscriptionId().map(ArmPath::isGuid).orElse(true);
    }

    /**
     * The api-version of a raw query that names it exactly once, as {@code api-version} and with nothing to decode
     * in its name or value; null for anything else (the query is then parsed and checked in full), so that this
     * read of the raw query never accepts what the full check would refuse.
     */
    static String plainApiVersion(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        String found = null;
        int start = 0;
        while (start <= rawQuery.length()) {
            int end = rawQuery.indexOf('&', start);
            end = end < 0 ? rawQuery.length() : end;
            int equals = rawQuery.indexOf('=', start);
            int nameEnd = equals >= 0 && equals < end ? equals : end;
            boolean encodedName = false;
            for (int i = start; i < nameEnd; i++) {
                char c = rawQuery.charAt(i);
                encodedName |= c == '%' || c == '+';
            }
            if (encodedName) {
                return null;
            }
            if (rawQuery.regionMatches(true, start, ApiVersion.PARAMETER, 0, ApiVersion.PARAMETER.length())
                    && nameEnd - start == ApiVersion.PARAMETER.length()) {
                if (found != null || nameEnd == end
                        || !rawQuery.startsWith(ApiVersion.PARAMETER, start)) {
                    return null; // twice, without a value, or in another casing: the full check decides
                }
                found = rawQuery.substring(nameEnd + 1, end);
            }
            start = end + 1;
        }
        return found == null || found.isEmpty() || found.indexOf('%') >= 0 || found.indexOf('+') >= 0 ? null : found;
    }

    /**
     * An api-version the addressed resource type does not accept is ARM's 400 {@code NoRegisteredProviderFound},
     * naming the supported versions and locations (ARM also names the request's location, which the
     * gateway does not read from a body).
     */
    static Optional<ArmException> unsupportedVersion(ProviderRegistry registry, ArmPath path, String version) {
        if (version == null) {
            return Optional.empty();
        }
        Optional<String> resourceManagerType = path.resourceManagerType();
        if (resourceManagerType.isPresent()) {
            return unsupportedByResourceManager(registry, resourceManagerType.get(), version);
        }
        Optional<List<String>> addressed = path.addressedType();
        if (addressed.isEmpty()) {
            return Optional.empty();
        }
        Optional<ProviderRegistry.ResourceType> type = registry.type(addressed.get().get(0), addressed.get().get(1));
        if (type.isEmpty() || registry.accepts(type.get().namespace(), type.get().name(), version.strip())) {
            return Optional.empty();
        }
        return Optional.of(ArmException.badRequest("NoRegisteredProviderFound", "No registered resource provider "
                + "found for API version '" + version + "' for type '" + addressed.get().get(1) + "'. The supported "
                + "api-versions are '" + String.join(", ", type.get().apiVersions()) + "'. The supported locations are '"
                + String.join(", ", registry.displayLocations(type.get())) + "'.", null));
    }

    /**
     * What ARM itself serves (subscriptions, resource groups, /resources, providers, operation results) has no
     * resource provider to be missing: an api-version {@code Microsoft.Resources} does not accept is ARM's 400
     * {@code InvalidApiVersionParameter}, "The api-version '…' is invalid. The supported versions are '…'."
     * (ARM's list comma-separated without spaces), followed by the supported locations.
     */
    static Optional<ArmException> unsupportedByResourceManager(ProviderRegistry registry, String resourceType,
                                                               String version) {
        ProviderRegistry.ResourceType type = registry.type(ProviderRegistry.RESOURCE_MANAGER, resourceType)
                .orElseThrow(() -> new IllegalStateException("the registry lacks Microsoft.Resources/" + resourceType));
        if (registry.accepts(type.namespace(), type.name(), version.strip())) {
            return Optional.empty();
        }
        return Optional.of(ArmException.badRequest("InvalidApiVersionParameter", "The api-version '" + version
                + "' is invalid. The supported versions are '" + String.join(",", type.apiVersions())
                + "'. The supported locations are '" + String.join(",", registry.locations()) + "'.",
                ApiVersion.PARAMETER));
    }
}
