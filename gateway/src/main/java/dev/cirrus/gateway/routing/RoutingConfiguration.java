package dev.cirrus.gateway.routing;

import java.util.Optional;

import dev.cirrus.gateway.arm.ArmRequests;
import dev.cirrus.gateway.functions.FunctionsProperties;
import dev.cirrus.gateway.functions.FunctionsTraffic;
import dev.cirrus.gateway.resourceindex.RoutedWrites;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.server.ServerWebExchange;

/**
 * One route per service, id = module name, matched by the provider namespace of the path
 * ({@link ProviderNamespaces}, case-insensitive: a path predicate could not be). The client's path and query are
 * forwarded unchanged (Spring Cloud Gateway keeps them and swaps only scheme, host and port). The Host header stays
 * the gateway's, and {@code XForwardedHeadersFilter} adds X-Forwarded-Host/-Proto/-Port/-For, so the services'
 * absolute Location and Azure-AsyncOperation URLs point at the gateway.
 *
 * <p>One more route, {@code functions}, takes the Functions data plane ({@link FunctionsTraffic}) to serverless,
 * with its own response timeout (230 s by default instead of ARM's 60 s); it shares serverless's circuit breaker
 * ({@link #SERVICE} metadata).
 */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

    /** Route metadata naming the service a route calls (its circuit breaker and its name in 503/504 messages). */
    static final String SERVICE = "cirrus.service";

    @Bean
    RouteLocator serviceRoutes(RouteLocatorBuilder builder, ServiceEndpoints endpoints, FunctionsProperties functions) {
        RouteLocatorBuilder.Builder routes = builder.routes();
        routes.route("functions", r -> r
                .order(-1)
                .predicate(exchange -> FunctionsTraffic.app(exchange).isPresent())
                .filters(f -> f.preserveHostHeader())
                .metadata(SERVICE, "serverless")
                .metadata(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, functions.responseTimeout().toMillis())
                .uri(endpoints.serverless()));
        endpoints.byModule().forEach((module, url) -> routes.route(module, r -> r
                .predicate(exchange -> FunctionsTraffic.app(exchange).isEmpty() && module.equals(owner(exchange)))
                .filters(f -> f.preserveHostHeader())
                .metadata(SERVICE, module)
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
