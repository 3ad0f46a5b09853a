package dev.cirrus.gateway.routing;

import java.util.Optional;

import dev.cirrus.contracts.arm.ApiVersion;
import dev.cirrus.gateway.arm.ArmFilters;
import dev.cirrus.gateway.arm.ArmPath;
import dev.cirrus.gateway.arm.ArmRequests;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A path under {@code /providers/{namespace}} whose namespace no Cirrus service owns is refused the way ARM refuses
 * an unregistered provider: 400 {@code NoRegisteredProviderFound}. ARM's message names a location
 * too; the gateway does not read request bodies, so it names the namespace and the supported namespaces instead.
 */
@Component
class ProviderRegistrationFilter implements WebFilter, Ordered {

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
        Optional<String> namespace = path.providerNamespace();
        if (!path.isArm() || namespace.isEmpty() || ProviderNamespaces.owner(namespace.get()).isPresent()
                || ProviderNamespaces.servedByTheGateway(namespace.get())) {
            return chain.filter(exchange);
        }
        String type = namespace.get() + path.resourceType().map(t -> "/" + t).orElse("");
        String version = ArmRequests.queryValue(exchange.getRequest(), ApiVersion.PARAMETER);
        return Mono.error(ArmException.badRequest("NoRegisteredProviderFound",
                "No registered resource provider found for namespace '" + namespace.get() + "' and API version '"
                        + version + "' for type '" + type + "'. The supported namespaces are '"
                        + ProviderNamespaces.supported() + "'.", null));
    }
}
