package dev.cirrus.gateway.provider;

import java.util.Optional;

import org.springframework.web.server.ServerWebExchange;

/**
 * The service that owns an ARM request, decided once per request from the {@link ProviderRegistry} (by
 * {@code routing/ProviderRegistrationFilter}, or for a type owned by kind by {@code resourceindex/RoutedWrites},
 * which reads the PUT body or the resource index) and read by the later filters and the routes.
 *
 * @param service the owning service (a module name) or {@link ProviderRegistry#GATEWAY}
 * @param type    the resource type addressed, when the registry lists it
 */
public record RequestOwner(String service, Optional<ProviderRegistry.ResourceType> type) {

    /** The exchange attribute holding it. */
    public static final String ATTRIBUTE = RequestOwner.class.getName();

    /** The owner of a request the gateway serves itself. */
    public static final RequestOwner GATEWAY = new RequestOwner(ProviderRegistry.GATEWAY, Optional.empty());

    public boolean isGateway() {
        return ProviderRegistry.GATEWAY.equals(service);
    }

    public void putInto(ServerWebExchange exchange) {
        exchange.getAttributes().put(ATTRIBUTE, this);
    }

    /** The owner decided for the exchange, if any (none for what is not ARM, or not decided yet). */
    public static Optional<RequestOwner> of(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(ATTRIBUTE));
    }
}
