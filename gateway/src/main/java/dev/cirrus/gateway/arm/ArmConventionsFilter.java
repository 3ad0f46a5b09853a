package dev.cirrus.gateway.arm;

import java.util.Optional;

import dev.cirrus.contracts.arm.ApiVersion;
import dev.cirrus.contracts.arm.ArmError;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The checks ARM makes on every call before it looks at the resource: the api-version (reference §1.2), then the
 * shape of the subscription id. Any GUID-shaped subscription is accepted for now: subscriptions as resources (and
 * {@code SubscriptionNotFound}) arrive with identity.
 */
@Component
class ArmConventionsFilter implements WebFilter, Ordered {

    @Override
    public int getOrder() {
        return ArmFilters.CONVENTIONS;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ArmPath path = ArmRequests.path(exchange.getRequest());
        if (!path.isArm()) {
            return chain.filter(exchange);
        }
        Optional<ArmError> version = ApiVersion.check(ArmRequests.queryValues(exchange.getRequest(), ApiVersion.PARAMETER));
        if (version.isPresent()) {
            ArmError e = version.get();
            return Mono.error(new ArmException(400, e.code(), e.message(), e.target()));
        }
        Optional<String> subscription = path.subscriptionId();
        if (subscription.isPresent() && !ArmPath.isGuid(subscription.get())) {
            return Mono.error(new ArmException(400, "InvalidSubscriptionId",
                    "The provided subscription identifier '" + subscription.get() + "' is malformed or invalid.",
                    "subscriptionId"));
        }
        return chain.filter(exchange);
    }
}
