package dev.cirrus.gateway.routing;

import java.util.Optional;

import dev.cirrus.gateway.arm.ArmRequests;
import dev.cirrus.gateway.resourceindex.RoutedWrites;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.server.ServerWebExchange;

/**
 * One route per service, id = module name, matched by the provider namespace of the path
 * ({@link ProviderNamespaces}, case-insensitive: a path predicate could not be). The client's path and query are
 * forwarded unchanged (Spring Cloud Gateway keeps them and swaps only scheme, host and port). The Host header stays
 * the gateway's, and {@code XForwardedHeadersFilter} adds X-Forwarded-Host/-Proto/-Port/-For, so the services'
 * absolute Location and Azure-AsyncOperation URLs point at the gateway.
 */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

    @Bean
    RouteLocator serviceRoutes(RouteLocatorBuilder builder, ServiceEndpoints endpoints) {
        RouteLocatorBuilder.Builder routes = builder.routes();
        endpoints.byModule().forEach((module, url) -> routes.route(module, r -> r
                .predicate(exchange -> module.equals(owner(exchange)))
                .filters(f -> f.preserveHostHeader())
                .uri(url)));
        return routes.build();
    }

    private static String owner(ServerWebExchange exchange) {
        Optional<String> site = RoutedWrites.owner(exchange);
        if (site.isPresent()) {
            return site.get();
        }
        return ArmRequests.path(exchange.getRequest()).providerNamespace()
                .flatMap(ProviderNamespaces::owner).orElse(null);
    }
}
