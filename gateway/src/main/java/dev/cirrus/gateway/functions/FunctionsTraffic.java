package dev.cirrus.gateway.functions;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cirrus.gateway.arm.ArmFilters;
import dev.cirrus.gateway.resourceindex.SiteOwners;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Recognises the Functions data plane: {@code /functions/{app}/**} (any method), and any request whose
 * {@code Host} header is {@code {app}.azurewebsites.{host-domain}} or the app's Kudu host
 * {@code {app}.scm.azurewebsites.{host-domain}}. Only the host the client connected to counts, never an
 * {@code X-Forwarded-Host} (which a client may write: naming an app there must not turn an ARM call into a call of
 * the app); an ingress in front of the gateway keeps the client's {@code Host}. Such a call is the app's,
 * not ARM's: no bearer token (serverless checks the function keys), no api-version, no RBAC; it is still throttled
 * per app and goes through serverless's circuit breaker (503/504 when serverless is down or slow).
 *
 * <p>A call by host is matched here as {@code /functions/{app}{path}}, so that none of the gateway's own ARM
 * endpoints can answer it; the owning service receives the original path with the host kept ({@code Host} preserved
 * and {@code X-Forwarded-Host}), see {@link OriginalPathFilter}.
 *
 * <p>The site a host names belongs to one service: the resource index's entry for the site decides it by the site's
 * kind ({@link SiteOwners}): serverless for a function app, app-service for a web app; a site the index does not know
 * is serverless's (its data plane was the only one before web apps). {@link #OWNER} carries the decision to the
 * routes. Calls by path ({@code /functions/{app}/**}) are always serverless's.
 */
@Component
public class FunctionsTraffic implements WebFilter, Ordered {

    /** The exchange attribute naming the function app of a data-plane call. */
    public static final String APP = FunctionsTraffic.class.getName() + ".app";
    /** The exchange attribute naming the service that owns the site of a data-plane call. */
    public static final String OWNER = FunctionsTraffic.class.getName() + ".owner";
    /** The owner of the Functions data plane, and of a site the resource index does not know. */
    public static final String SERVERLESS = "serverless";
    /** The raw path a call by host arrived with (it is forwarded unchanged). */
    static final String ORIGINAL_PATH = FunctionsTraffic.class.getName() + ".originalPath";
    static final String PREFIX = "/functions/";

    /** Azure's site names: letters, digits and hyphens, 2 to 60, as host labels. */
    private static final String APP_NAME = "([a-z0-9][a-z0-9-]{0,59})";

    private final Pattern host;
    private final SiteOwners owners;

    FunctionsTraffic(FunctionsProperties properties, SiteOwners owners) {
        this.owners = owners;
        // {app}.scm.azurewebsites.{domain} is the app's Kudu site (zip deploy): serverless answers it too
        this.host = Pattern.compile(APP_NAME + "(?:\\.scm)?\\.azurewebsites\\." + Pattern.quote(properties.hostDomain()));
    }

    @Override
    public int getOrder() {
        // after the request ids (a function's answer carries them too), before ARM's body limit and authentication
        return ArmFilters.REQUEST_IDS + 5;
    }

    /** The function app a data-plane call is for, if the exchange is one. */
    public static Optional<String> app(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(APP));
    }

    /** The service a data-plane call goes to: the site's owner, serverless for calls by path. */
    public static String owner(ServerWebExchange exchange) {
        String owner = exchange.getAttribute(OWNER);
        return owner == null ? SERVERLESS : owner;
    }

    /** The name in a {@code Host} header, lower-cased, without its port; null without one. */
    static String hostName(String hostHeader) {
        if (hostHeader == null || hostHeader.isEmpty() || hostHeader.charAt(0) == '[') {
            return null; // an IPv6 literal is never an app's host
        }
        int colon = hostHeader.indexOf(':');
        return (colon < 0 ? hostHeader : hostHeader.substring(0, colon)).toLowerCase(Locale.ROOT);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String lowerHost = hostName(request.getHeaders().getFirst(HttpHeaders.HOST));
        // the pattern only on hosts that can match it (an ARM call's host is the gateway's: no regex per call)
        Matcher byHost = lowerHost == null || !lowerHost.contains(".azurewebsites.") ? null : host.matcher(lowerHost);
        if (byHost != null && byHost.matches()) {
            String app = byHost.group(1);
            String rawPath = request.getURI().getRawPath();
            exchange.getAttributes().put(APP, app);
            exchange.getAttributes().put(ORIGINAL_PATH, rawPath == null || rawPath.isEmpty() ? "/" : rawPath);
            ServerHttpRequest matched = request.mutate().path(PREFIX + app + (rawPath == null ? "" : rawPath)).build();
            return owners.ownerOf(app).flatMap(owner -> {
                exchange.getAttributes().put(OWNER, owner);
                return chain.filter(exchange.mutate().request(matched).build());
            });
        }
        String path = request.getPath().pathWithinApplication().value();
        if (path.startsWith(PREFIX)) {
            int end = path.indexOf('/', PREFIX.length());
            String app = end < 0 ? path.substring(PREFIX.length()) : path.substring(PREFIX.length(), end);
            if (!app.isEmpty()) {
                exchange.getAttributes().put(APP, app);
            }
        }
        return chain.filter(exchange);
    }
}
