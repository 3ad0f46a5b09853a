package dev.cirrus.gateway.identity;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.cirrus.gateway.arm.ArmFilters;
import dev.cirrus.gateway.arm.ArmRefusal;
import dev.cirrus.gateway.arm.ArmRequests;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Every ARM call ({@code /subscriptions/**}, {@code /providers/**}) and every operator call ({@code /cirrus/**})
 * needs a bearer token from Cirrus's token endpoint, as ARM answers: no {@code Authorization} header
 * → 401 {@code AuthenticationFailed}; a token that is not one of ours (malformed, bad signature, not for the
 * management endpoint) → 401 {@code InvalidAuthenticationToken}; an expired one → 401
 * {@code ExpiredAuthenticationToken}; each with ARM's {@code WWW-Authenticate: Bearer authorization_uri=…,
 * error="invalid_token", error_description=…}. The token endpoints, discovery documents and health probes are open.
 */
@Component
class AuthenticationFilter implements WebFilter, Ordered {

    /** ARM's own format of the times in ExpiredAuthenticationToken's message: {@code 11/25/2026 7:04:05 PM}. */
    private static final DateTimeFormatter ARM_TIME = DateTimeFormatter.ofPattern("M/d/yyyy h:mm:ss a", Locale.US)
            .withZone(ZoneOffset.UTC);

    private final AccessTokens tokens;
    private final Audiences audiences;
    private final Clock clock;

    AuthenticationFilter(AccessTokens tokens, Audiences audiences, Clock clock) {
        this.tokens = tokens;
        this.audiences = audiences;
        this.clock = clock;
    }

    @Override
    public int getOrder() {
        return ArmFilters.AUTHENTICATION;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!needsToken(exchange)) {
            return chain.filter(exchange);
        }
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            return Mono.error(refusal(exchange, "AuthenticationFailed",
                    "Authentication failed. The 'Authorization' header is missing.",
                    "The authentication failed because of missing 'Authorization' header."));
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.substring(7).isBlank()) {
            return Mono.error(refusal(exchange, "AuthenticationFailed",
                    "Authentication failed. The 'Authorization' header is provided in an invalid format.",
                    "The authentication failed because of the invalid format of the 'Authorization' header."));
        }
        Instant now = clock.instant();
        AccessTokens.Verification verification = tokens.verify(authorization.substring(7).strip(), now);
        return switch (verification) {
            case AccessTokens.Verification.Valid valid
                    when audiences.isManagement(valid.audience(), exchange.getRequest().getURI().getHost()) -> {
                valid.caller().attachTo(exchange);
                yield chain.filter(exchange);
            }
            case AccessTokens.Verification.Valid valid -> Mono.error(refusal(exchange, "InvalidAuthenticationToken",
                    "The access token has been obtained for wrong audience or resource '" + valid.audience()
                            + "'. It should exactly match with one of the allowed audiences "
                            + "'https://management.core.windows.net/','https://management.azure.com/'.",
                    "The access token has been obtained for wrong audience or resource."));
            case AccessTokens.Verification.Expired expired -> {
                String message = "The access token expiry UTC time '" + ARM_TIME.format(expired.expiredAt())
                        + "' is earlier than current UTC time '" + ARM_TIME.format(now) + "'.";
                yield Mono.error(refusal(exchange, "ExpiredAuthenticationToken", message, message));
            }
            case AccessTokens.Verification.Invalid invalid -> Mono.error(refusal(exchange,
                    "InvalidAuthenticationToken", "The access token is invalid.",
                    "The access token is invalid."));
        };
    }

    @Override
    public String toString() {
        return "AuthenticationFilter"; // Spring names each filter's checkpoint with this, on every request
    }

    static boolean needsToken(ServerWebExchange exchange) {
        if (ArmRequests.path(exchange).isArm()) {
            return true;
        }
        String path = exchange.getRequest().getPath().pathWithinApplication().value().toLowerCase(Locale.ROOT);
        return path.equals("/cirrus") || path.startsWith("/cirrus/");
    }

    private static ArmRefusal refusal(ServerWebExchange exchange, String code, String message, String description) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer authorization_uri=\""
                + TokenController.baseUrl(exchange) + "/\", error=\"invalid_token\", error_description=\""
                + description.replace("\"", "'") + "\"");
        return new ArmRefusal(401, code, message, headers);
    }
}
