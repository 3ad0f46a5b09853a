package dev.cirrus.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.TransferEncodingNormalizationHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.XForwardedHeadersFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Pins what the gateway's own filters replace in Spring Cloud Gateway: for the same request, {@link ProxiedHeaders}
 * must give the service the headers the framework's four header filters would have given it (RemoveForwarded,
 * XForwarded trusting the peer, TransferEncodingNormalization, RemoveHopByHop, in their order), the answer the
 * headers RemoveHopByHop would leave, and {@link RequestUrlFilter} the URL {@link RouteToRequestUrlFilter} makes.
 * A framework upgrade that changes any of that fails here, so the copy is brought in line (or dropped) knowingly.
 */
class FrameworkBehaviourPinTest {

    static final InetSocketAddress CLIENT = new InetSocketAddress("198.51.100.23", 50123);

    /** The framework's request header filters that {@link ProxiedHeaders#REQUEST} replaces, in their own order. */
    static List<HttpHeadersFilter> frameworkRequestFilters() {
        List<HttpHeadersFilter> filters = new ArrayList<>(List.of(new RemoveForwardedHeadersFilter(),
                new XForwardedHeadersFilter(".*"), new TransferEncodingNormalizationHeadersFilter(),
                new RemoveHopByHopHeadersFilter()));
        filters.sort(Comparator.comparingInt(f -> ((Ordered) f).getOrder()));
        return filters;
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("a plain GET", "http://127.0.0.1:8080/subscriptions/s/x?api-version=1", Map.of(
                        "Accept", "application/json", "Authorization", "Bearer t", "User-Agent", "sdk")),
                Arguments.of("the hop-by-hop headers and those Connection names", "http://127.0.0.1:8080/p", Map.of(
                        "Connection", "keep-alive, X-Hop-Named", "X-Hop-Named", "1", "Keep-Alive", "timeout=5",
                        "TE", "trailers", "Trailer", "X-T", "Proxy-Authorization", "Basic YTpi",
                        "Upgrade", "websocket", "X-Application-Context", "app", "X-End-To-End", "kept")),
                Arguments.of("a Forwarded header", "http://127.0.0.1:8080/p", Map.of(
                        "Forwarded", "for=192.0.2.60;proto=https", "Accept", "*/*")),
                Arguments.of("a Content-Length beside chunked", "http://127.0.0.1:8080/p", Map.of(
                        "Transfer-Encoding", "chunked", "Content-Length", "12", "Content-Type", "application/json")),
                Arguments.of("a Content-Length alone", "http://127.0.0.1:8080/p", Map.of(
                        "Content-Length", "12", "Content-Type", "application/json")),
                Arguments.of("X-Forwarded-* already there, appended to", "https://cirrus.example.com/p", Map.of(
                        "X-Forwarded-For", "203.0.113.7", "X-Forwarded-Proto", "https", "X-Forwarded-Host",
                        "edge.example", "X-Forwarded-Port", "443")),
                Arguments.of("a default port", "https://cirrus.example.com/p", Map.of("Accept", "*/*")),
                Arguments.of("another port", "http://localhost:9080/p?q=%20x", Map.of("Accept", "*/*")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void theRoutedCallsHeadersAreTheFrameworksFilters(String name, String url, Map<String, String> headers) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get(url).remoteAddress(CLIENT);
        headers.forEach(request::header);
        ServerWebExchange exchange = MockServerWebExchange.from(request);

        HttpHeaders framework = HttpHeadersFilter.filterRequest(frameworkRequestFilters(), exchange);
        HttpHeaders ours = ProxiedHeaders.REQUEST.filter(exchange.getRequest().getHeaders(), exchange);

        assertThat(normalised(ours)).isEqualTo(normalised(framework))
                .containsKeys("x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port")
                .doesNotContainKeys("forwarded", "connection", "keep-alive", "proxy-authorization");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void theAnswersHeadersAreTheFrameworksFilters(String name, String url, Map<String, String> headers) {
        ServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(url).remoteAddress(CLIENT));
        HttpHeaders answer = new HttpHeaders();
        headers.forEach(answer::add);

        HttpHeaders framework = HttpHeadersFilter.filter(List.of(new RemoveHopByHopHeadersFilter()),
                copy(answer), exchange, HttpHeadersFilter.Type.RESPONSE);
        HttpHeaders ours = HttpHeadersFilter.filter(List.of(ProxiedHeaders.RESPONSE), copy(answer), exchange,
                HttpHeadersFilter.Type.RESPONSE);

        assertThat(normalised(ours)).isEqualTo(normalised(framework));
    }

    @Test
    void theHopByHopHeadersAreTheFrameworksList() {
        HttpHeaders all = new HttpHeaders();
        RemoveHopByHopHeadersFilter.HEADERS_REMOVED_ON_REQUEST.forEach(h -> all.add(h, "x"));
        all.add("X-Kept", "y");

        assertThat(ProxiedHeaders.withoutHopByHop(all, null).headerNames()).containsExactly("X-Kept");
    }

    static Stream<Arguments> urls() {
        return Stream.of(
                Arguments.of("/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/vm?api-version=2024-07-01"),
                Arguments.of("/p/a%20b/c?x=%2Fy&$filter=name%20eq%20%27v%27"),
                Arguments.of("/p/(x)!*'~?a=b+c&d=e,f;g"),
                Arguments.of("/functions/app/api/f"),
                Arguments.of("/p?"),
                Arguments.of("/"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("urls")
    void theRoutedUrlIsTheFrameworks(String pathAndQuery) {
        Route route = Route.async().id("service").uri(URI.create("http://127.0.0.1:8081"))
                .predicate(e -> true).build();

        URI framework = routedUrl(new RouteToRequestUrlFilter(), pathAndQuery, route);
        URI ours = routedUrl(new RequestUrlFilter(), pathAndQuery, route);

        assertThat(ours).isEqualTo(framework);
        assertThat(ours.toString()).isEqualTo(framework.toString());
    }

    private static URI routedUrl(RouteToRequestUrlFilter filter, String pathAndQuery, Route route) {
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.get("http://127.0.0.1:8080" + pathAndQuery).build());
        exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR, route);
        AtomicReference<URI> url = new AtomicReference<>();
        filter.filter(exchange, e -> {
            url.set(e.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR));
            return Mono.empty();
        }).block();
        return url.get();
    }

    private static HttpHeaders copy(HttpHeaders headers) {
        HttpHeaders copy = new HttpHeaders();
        copy.addAll(headers);
        return copy;
    }

    /** Names compared case-insensitively, values as one comma-separated list (appending may join or add). */
    private static Map<String, String> normalised(HttpHeaders headers) {
        Map<String, String> map = new TreeMap<>();
        headers.forEach((name, values) -> map.merge(name.toLowerCase(Locale.ROOT), String.join(",", values),
                (a, b) -> a + "," + b));
        return map;
    }
}
