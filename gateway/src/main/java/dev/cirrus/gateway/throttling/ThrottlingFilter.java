package dev.cirrus.gateway.throttling;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.cirrus.gateway.arm.ArmFilters;
import dev.cirrus.gateway.arm.ArmPath;
import dev.cirrus.gateway.arm.ArmRefusal;
import dev.cirrus.gateway.arm.ArmRequests;
import dev.cirrus.gateway.functions.FunctionsTraffic;
import dev.cirrus.gateway.identity.Caller;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * ARM's throttling: every authenticated ARM call takes a token from the bucket of its subscription
 * (the tenant outside a subscription) × principal × operation class (GET/HEAD reads, DELETE deletes, anything else
 * writes). Every answer, errors included, carries {@code x-ms-ratelimit-remaining-subscription-reads|writes|deletes}
 * ({@code -tenant-} outside a subscription); an empty bucket is 429 {@code TooManyRequests} with
 * {@code Retry-After} (seconds until a token is back), and the call goes no further.
 */
@Component
class ThrottlingFilter implements WebFilter, Ordered {

    private final ThrottlingProperties limits;
    private final Clock clock;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    ThrottlingFilter(ThrottlingProperties limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public int getOrder() {
        return ArmFilters.THROTTLING;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Optional<String> app = FunctionsTraffic.app(exchange);
        if (app.isPresent()) {
            return function(exchange, chain, app.get());
        }
        ArmPath path = ArmRequests.path(exchange);
        Optional<Caller> caller = Caller.of(exchange);
        if (!path.isArm() || caller.isEmpty()) {
            return chain.filter(exchange);
        }
        HttpMethod method = exchange.getRequest().getMethod();
        String kind = method == HttpMethod.GET || method == HttpMethod.HEAD ? "reads"
                : method == HttpMethod.DELETE ? "deletes" : "writes";
        ThrottlingProperties.Limit limit = switch (kind) {
            case "reads" -> limits.reads();
            case "deletes" -> limits.deletes();
            default -> limits.writes();
        };
        Optional<String> subscription = path.subscriptionId().map(s -> s.toLowerCase(Locale.ROOT));
        String scope = subscription.map(s -> "subscription").orElse("tenant");
        String key = subscription.orElse(caller.get().tenantId()) + "|" + caller.get().objectId() + "|" + kind;
        long now = clock.millis();
        TokenBucket.Take take = buckets.computeIfAbsent(key,
                k -> new TokenBucket(limit.capacity(), limit.refillPerSecond(), now)).take(now);
        String header = "x-ms-ratelimit-remaining-" + scope + "-" + kind;
        exchange.getResponse().beforeCommit(() -> {
            exchange.getResponse().getHeaders().set(header, String.valueOf(take.remaining()));
            return Mono.empty();
        });
        if (!take.allowed()) {
            long seconds = Math.max(1, (take.retryAfterMillis() + 999) / 1000);
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
            return Mono.error(new ArmRefusal(429, "TooManyRequests", "Number of '" + kind.substring(0,
                    kind.length() - 1) + "' requests for " + scope + " '" + subscription.orElse(caller.get().tenantId())
                    + "' actor '" + caller.get().objectId() + "' exceeded. Please try again after '" + seconds
                    + "' seconds after the last request.", headers));
        }
        return chain.filter(exchange);
    }

    @Override
    public String toString() {
        return "ThrottlingFilter"; // Spring names each filter's checkpoint with this, on every request
    }

    /** A call to a function app: one bucket per app (ARM's rate-limit headers are not a function's). */
    private Mono<Void> function(ServerWebExchange exchange, WebFilterChain chain, String app) {
        long now = clock.millis();
        ThrottlingProperties.Limit limit = limits.functions();
        TokenBucket.Take take = buckets.computeIfAbsent("functions|" + app.toLowerCase(Locale.ROOT),
                k -> new TokenBucket(limit.capacity(), limit.refillPerSecond(), now)).take(now);
        if (take.allowed()) {
            return chain.filter(exchange);
        }
        long seconds = Math.max(1, (take.retryAfterMillis() + 999) / 1000);
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
        return Mono.error(new ArmRefusal(429, "TooManyRequests", "Too many requests to the function app '" + app
                + "'. Please try again after '" + seconds + "' seconds.", headers));
    }
}
