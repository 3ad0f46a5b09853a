package dev.cirrus.gateway.identity;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.cirrus.gateway.arm.ArmFilters;
import dev.cirrus.gateway.arm.ArmRequests;
import dev.cirrus.gateway.support.Blocking;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Every ARM call ({@code /subscriptions/**}, {@code /providers/**}) and every operator call ({@code /cirrus/**})
 * needs a bearer token from Cirrus's token endpoint, checked as ARM checks it, in this order: no
 * {@code Authorization} header → 401 {@code AuthenticationFailed}; malformed, not signed by a key of the data folder,
 * missing claims, or not valid yet ({@code nbf} more than five minutes ahead) → 401
 * {@code InvalidAuthenticationToken}; expired ({@code exp} more than five minutes past) → 401
 * {@code ExpiredAuthenticationToken}; for another audience than the management endpoint → 401
 * {@code InvalidAuthenticationTokenAudience}; from an issuer that is not this gateway's authority for the token's
 * tenant ({@link Issuers}) → 401 {@code InvalidAuthenticationToken}; for a tenant the directory does not know → 401
 * {@code InvalidAuthenticationTokenTenant}. Each with ARM's {@code WWW-Authenticate} ({@link BearerChallenge}). The
 * token endpoints, discovery documents, {@code /metadata/endpoints} and health probes are open.
 */
@Component
class AuthenticationFilter implements WebFilter, Ordered {

    /** ARM's own format of the times in ExpiredAuthenticationToken's message: {@code 11/25/2026 7:04:05 PM}. */
    private static final DateTimeFormatter ARM_TIME = DateTimeFormatter.ofPattern("M/d/yyyy h:mm:ss a", Locale.US)
            .withZone(ZoneOffset.UTC);

    private final AccessTokens tokens;
    private final Audiences audiences;
    private final Directory directory;
    private final Clock clock;

    AuthenticationFilter(AccessTokens tokens, Audiences audiences, Directory directory, Clock clock) {
        this.tokens = tokens;
        this.audiences = audiences;
        this.directory = directory;
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
            return Mono.error(BearerChallenge.refusal(exchange, "AuthenticationFailed",
                    "Authentication failed. The 'Authorization' header is missing.",
                    "The authentication failed because of missing 'Authorization' header."));
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.substring(7).isBlank()) {
            return Mono.error(BearerChallenge.refusal(exchange, "AuthenticationFailed",
                    "Authentication failed. The 'Authorization' header is provided in an invalid format.",
                    "The authentication failed because of the invalid format of the 'Authorization' header."));
        }
        Instant now = clock.instant();
        return switch (tokens.verify(authorization.substring(7).strip(), now)) {
            case AccessTokens.Verification.Valid valid -> accept(valid, exchange, chain);
            case AccessTokens.Verification.Expired expired -> {
                String message = "The access token expiry UTC time '" + ARM_TIME.format(expired.expiredAt())
                        + "' is earlier than current UTC time '" + ARM_TIME.format(now) + "'.";
                yield Mono.error(BearerChallenge.refusal(exchange, "ExpiredAuthenticationToken", message, message));
            }
            case AccessTokens.Verification.NotYetValid early -> {
                String message = "The access token is not valid before UTC time '"
                        + ARM_TIME.format(early.notBefore()) + "'; the current UTC time is '" + ARM_TIME.format(now)
                        + "'.";
                yield Mono.error(BearerChallenge.refusal(exchange, "InvalidAuthenticationToken", message, message));
            }
            case AccessTokens.Verification.Invalid invalid -> Mono.error(BearerChallenge.refusal(exchange,
                    "InvalidAuthenticationToken", "The access token is invalid.", "The access token is invalid."));
        };
    }

    /** Audience, issuer and tenant of a token whose signature and lifetime are good. */
    private Mono<Void> accept(AccessTokens.Verification.Valid valid, ServerWebExchange exchange,
                              WebFilterChain chain) {
        String host = exchange.getRequest().getURI().getHost();
        if (!audiences.isManagement(valid.audience(), host)) {
            String message = "The access token has been obtained for wrong audience or resource '" + valid.audience()
                    + "'. It should exactly match with one of the allowed audiences "
                    + "'https://management.core.windows.net/','https://management.core.windows.net',"
                    + "'https://management.azure.com/','https://management.azure.com', or this gateway's address.";
            return Mono.error(BearerChallenge.refusal(exchange, "InvalidAuthenticationTokenAudience", message,
                    message));
        }
        if (!Issuers.isOurs(valid.issuerAddress(), valid.caller().tenantId(), host, audiences)) {
            String message = "The access token is from an invalid issuer '" + valid.issuer() + "'. It must be "
                    + "issued by this gateway's authority ('" + Issuers.v2(TokenController.baseUrl(exchange),
                    valid.caller().tenantId()) + "' or '" + Issuers.adfs(TokenController.baseUrl(exchange)) + "').";
            return Mono.error(BearerChallenge.refusal(exchange, "InvalidAuthenticationToken", message, message));
        }
        String tenant = valid.caller().tenantId();
        if (directory.knownTenant(tenant)) {
            valid.caller().attachTo(exchange);
            return chain.filter(exchange);
        }
        return Blocking.call(() -> directory.tenantExists(tenant)).flatMap(exists -> {
            if (!exists) {
                String message = "The access token is from the wrong issuer '" + valid.issuer() + "'. The tenant '"
                        + tenant + "' it names does not exist in this directory. Please use the authority (URL) of "
                        + "your tenant to get the token.";
                return Mono.error(BearerChallenge.refusal(exchange, "InvalidAuthenticationTokenTenant", message,
                        message));
            }
            valid.caller().attachTo(exchange);
            return chain.filter(exchange);
        });
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
}
