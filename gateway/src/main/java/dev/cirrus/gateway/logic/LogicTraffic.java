package dev.cirrus.gateway.logic;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cirrus.gateway.arm.ArmFilters;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Recognises the calls of Logic Apps Request triggers' callback URLs:
 * {@code /workflows/{accessId}/triggers/{trigger}/paths/invoke[/…]} (any method). Such a call is the workflow's, not
 * ARM's: no bearer token (serverless checks the URL's {@code sig}, an HMAC under the workflow's own key), no ARM
 * api-version or RBAC; serverless answers it, through its circuit breaker, with the Functions data plane's response
 * timeout (a Response action may answer up to 120 s after the call). Anything else under {@code /workflows/} is not
 * recognised and stays unrouted (404).
 */
@Component
public class LogicTraffic implements WebFilter, Ordered {

    /** The exchange attribute naming the workflow access id of a callback call. */
    public static final String WORKFLOW = LogicTraffic.class.getName() + ".workflow";

    /** The access id is 32 hex digits (serverless's CallbackSigner); a trigger name is one path segment. */
    private static final Pattern CALLBACK = Pattern.compile(
            "/workflows/([0-9a-f]{32})/triggers/[^/]{1,80}/paths/invoke(/.*)?");

    @Override
    public int getOrder() {
        // beside FunctionsTraffic and BatchTraffic: after the request ids, before ARM's body limit and authentication
        return ArmFilters.REQUEST_IDS + 3;
    }

    /** The workflow access id a callback call is for, if the exchange is one. */
    public static Optional<String> workflow(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(WORKFLOW));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (path.startsWith("/workflows/")) {
            Matcher m = CALLBACK.matcher(path);
            if (m.matches()) {
                exchange.getAttributes().put(WORKFLOW, m.group(1));
            }
        }
        return chain.filter(exchange);
    }
}
