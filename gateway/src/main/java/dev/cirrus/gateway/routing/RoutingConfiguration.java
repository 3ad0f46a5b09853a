package dev.cirrus.gateway.routing;

import java.util.HashMap;
import java.util.Map;

import dev.cirrus.gateway.batch.BatchTraffic;
import dev.cirrus.gateway.functions.FunctionsProperties;
import dev.cirrus.gateway.functions.FunctionsTraffic;
import dev.cirrus.gateway.logic.LogicTraffic;
import dev.cirrus.gateway.provider.RequestOwner;
import dev.cirrus.plumbing.security.ServiceCredential;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.server.ServerWebExchange;
import reactor.netty.http.client.HttpClient;

/**
 * One route per service, id = module name, matched by the owner the provider registry gives the request
 * ({@link RequestOwner}, decided once by {@link ProviderRegistrationFilter} or, for a type owned by kind, by
 * {@code resourceindex/RoutedWrites}). The client's path and query are
 * forwarded unchanged (Spring Cloud Gateway keeps them and swaps only scheme, host and port). The Host header stays
 * the gateway's, and {@link ProxiedHeaders} adds X-Forwarded-Host/-Proto/-Port/-For, so the services'
 * absolute Location and Azure-AsyncOperation URLs point at the gateway.
 *
 * <p>The routes are looked up before the gateway's own controllers ({@code handler-mapping.order} in
 * application.yml): a routed call, the hot path, is then not first compared with every controller mapping (twice:
 * Spring looks for partial matches when none matches), about 7 % of the gateway's CPU per routed GET.
 *
 * <p>One more route, {@code functions}, takes the Functions data plane ({@link FunctionsTraffic}) to serverless,
 * with its own response timeout (230 s by default instead of ARM's 60 s); it shares serverless's circuit breaker
 * ({@link #SERVICE} metadata). Its sibling {@code sites} takes the host traffic of web apps ({@code {app}.azurewebsites}
 * and {@code {app}.scm.azurewebsites} of a site app-service owns, {@link FunctionsTraffic#OWNER}) to app-service, with
 * the same timeout. Another, {@code batch}, takes the Batch service API ({@link BatchTraffic}) to compute-vm, and
 * {@code logic} the calls of Logic Apps callback URLs ({@link LogicTraffic}) to serverless, with the same timeout.
 */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

    /** Route metadata naming the service a route calls (its circuit breaker and its name in 503/504 messages). */
    static final String SERVICE = "cirrus.service";
    /** The service that owns web apps (sites of kind app, api, mobileapp). */
    static final String WEB_APPS = "app-service";

    @Bean
    RouteLocator serviceRoutes(RouteLocatorBuilder builder, ServiceEndpoints endpoints, FunctionsProperties functions,
                               HttpClientProperties httpClient) {
        RouteLocatorBuilder.Builder routes = builder.routes();
        // the response timeouts are CirrusRoutingFilter's (timed on the event loop), Spring Cloud Gateway's are off
        routes.route("functions", r -> r
                .order(-1)
                .predicate(exchange -> FunctionsTraffic.app(exchange).isPresent()
                        && FunctionsTraffic.SERVERLESS.equals(FunctionsTraffic.owner(exchange)))
                .filters(f -> f.preserveHostHeader())
                .metadata(SERVICE, "serverless")
                .metadata(CirrusRoutingFilter.RESPONSE_TIMEOUT, functions.responseTimeout())
                .metadata(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, -1)
                .uri(endpoints.serverless()));
        routes.route("logic", r -> r
                .order(-1)
                .predicate(exchange -> LogicTraffic.workflow(exchange).isPresent())
                .filters(f -> f.preserveHostHeader())
                .metadata(SERVICE, "serverless")
                .metadata(CirrusRoutingFilter.RESPONSE_TIMEOUT, functions.responseTimeout())
                .metadata(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, -1)
                .uri(endpoints.serverless()));
        routes.route("sites", r -> r
                .order(-1)
                .predicate(exchange -> FunctionsTraffic.app(exchange).isPresent()
                        && WEB_APPS.equals(FunctionsTraffic.owner(exchange)))
                .filters(f -> f.preserveHostHeader())
                .metadata(SERVICE, WEB_APPS)
                .metadata(CirrusRoutingFilter.RESPONSE_TIMEOUT, functions.responseTimeout())
                .metadata(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, -1)
                .uri(endpoints.appService()));
        Map<String, Object> timeout = new HashMap<>();
        timeout.put(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, -1);
        if (httpClient.getResponseTimeout() != null) {
            timeout.put(CirrusRoutingFilter.RESPONSE_TIMEOUT, httpClient.getResponseTimeout());
        }
        routes.route("batch", r -> r
                .order(-1)
                .predicate(exchange -> BatchTraffic.endpoint(exchange).isPresent())
                .filters(f -> f.preserveHostHeader())
                .metadata(SERVICE, "compute-vm")
                .metadata(timeout)
                .uri(endpoints.computeVm()));
        endpoints.byModule().forEach((module, url) -> routes.route(module, r -> r
                .predicate(exchange -> FunctionsTraffic.app(exchange).isEmpty() && owns(module, exchange))
                .filters(f -> f.preserveHostHeader())
                .metadata(SERVICE, module)
                .metadata(timeout)
                .uri(url)));
        return routes.build();
    }

    /**
     * The call to the service: Spring Cloud Gateway's own routing filter, with the gateway's header handling
     * ({@link CirrusRoutingFilter}); Spring Cloud Gateway's is switched off ({@code global-filter.netty-routing} in
     * application.yml), and with it its response writer, which is therefore declared here too.
     */
    @Bean
    NettyRoutingFilter cirrusRoutingFilter(HttpClient gatewayHttpClient, HttpClientProperties properties,
                                           ServiceCredential credential) {
        // every routed call carries the platform's service credential: the services refuse calls without it (a
        // client's own such header never gets this far: ClientCredentialHeaderFilter)
        return new CirrusRoutingFilter(gatewayHttpClient.headers(h -> h.set(ServiceCredential.HEADER,
                credential.value())), properties);
    }

    /** The URL of the routed call ({@link RequestUrlFilter}; Spring Cloud Gateway's {@code route-to-request-url} is off). */
    @Bean
    RouteToRequestUrlFilter cirrusRequestUrlFilter() {
        return new RequestUrlFilter();
    }

    /** Writes the service's answer (no trailer header filters: none of Spring Cloud Gateway's applies to HTTP/1.1). */
    @Bean
    NettyWriteResponseFilter cirrusWriteResponseFilter(GatewayProperties properties) {
        return new NettyWriteResponseFilter(properties.getStreamingMediaTypes(), null);
    }

    /**
     * True when the request's owner is the module: never for what the gateway serves itself (subscriptions,
     * resource groups, {@code /resources}, provider registrations, operation results, role assignments), so the
     * routes, which are looked up before the gateway's own controllers, never take those.
     */
    private static boolean owns(String module, ServerWebExchange exchange) {
        RequestOwner owner = exchange.getAttribute(RequestOwner.ATTRIBUTE);
        return owner != null && module.equals(owner.service());
    }
}
