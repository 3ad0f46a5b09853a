package dev.cirrus.gateway.authorization;

import java.util.Locale;
import java.util.Optional;

import dev.cirrus.gateway.arm.ArmFilters;
import dev.cirrus.gateway.arm.ArmPath;
import dev.cirrus.gateway.arm.ArmRequests;
import dev.cirrus.gateway.identity.BearerChallenge;
import dev.cirrus.gateway.identity.Caller;
import dev.cirrus.gateway.identity.Directory;
import dev.cirrus.gateway.support.Blocking;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Authorizes every ARM call before anything is looked up or routed: the subscription must exist (404
 * {@code SubscriptionNotFound}) in the token's tenant (401 {@code InvalidAuthenticationTokenTenant}), and one of the
 * caller's role assignments at the call's scope or above must allow the call's {@link ArmAction action} (403
 * {@code AuthorizationFailed}, naming client, action and scope). Because this runs before the resource-group check
 * and the services, a principal without a role learns nothing about what exists under a scope: not even whether a
 * resource group does.
 *
 * <p>{@code GET /subscriptions} (the caller's own subscriptions) is not checked here: it lists only what the caller
 * has a role in.
 */
@Component
class AuthorizationFilter implements WebFilter, Ordered {

    private final Directory directory;
    private final Authorizer authorizer;

    AuthorizationFilter(Directory directory, Authorizer authorizer) {
        this.directory = directory;
        this.authorizer = authorizer;
    }

    @Override
    public int getOrder() {
        return ArmFilters.AUTHORIZATION;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ArmPath path = ArmRequests.path(exchange);
        Optional<Caller> caller = Caller.of(exchange);
        if (!path.isArm() || caller.isEmpty() || path.segments().size() == 1) {
            return chain.filter(exchange);
        }
        HttpMethod method = exchange.getRequest().getMethod();
        ArmAction action = ArmAction.of(method, path);
        Optional<String> subscriptionId = path.subscriptionId().map(s -> s.toLowerCase(Locale.ROOT));
        Directory.Subscription cachedSubscription = subscriptionId.map(directory::cachedSubscription).orElse(null);
        var cachedAssignments = authorizer.cachedAssignments(caller.get());
        if ((subscriptionId.isEmpty() || cachedSubscription != null) && cachedAssignments != null) {
            // the hot path: everything known, decided on the event loop without a database round trip
            try {
                subscriptionId.ifPresent(sub -> requireSubscription(sub, caller.get(), exchange));
                if (!Authorizer.allows(cachedAssignments, action) && !(VisibleGroups.isGroupList(action)
                        && VisibleGroups.attach(exchange, action.scope(), cachedAssignments))) {
                    return Mono.error(Authorizer.denied(caller.get(), action));
                }
            } catch (ArmException e) {
                return Mono.error(e);
            }
            return chain.filter(exchange);
        }
        return Blocking.call(() -> {
            path.subscriptionId().ifPresent(sub -> requireSubscription(sub, caller.get(), exchange));
            var held = authorizer.held(caller.get());
            if (!Authorizer.allows(held, action) && !(VisibleGroups.isGroupList(action)
                    && VisibleGroups.attach(exchange, action.scope(), held))) {
                throw Authorizer.denied(caller.get(), action);
            }
            return true;
        }).flatMap(ok -> chain.filter(exchange));
    }

    @Override
    public String toString() {
        return "AuthorizationFilter"; // Spring names each filter's checkpoint with this, on every request
    }

    private void requireSubscription(String subscriptionId, Caller caller, ServerWebExchange exchange) {
        Directory.Subscription subscription = directory.subscription(subscriptionId.toLowerCase(Locale.ROOT))
                .orElseThrow(() -> ArmException.notFound("SubscriptionNotFound",
                        "The subscription '" + subscriptionId + "' could not be found."));
        if (!subscription.tenantId().equals(caller.tenantId())) {
            String message = "The access token is from the wrong issuer. It must match the tenant '"
                    + subscription.tenantId() + "' associated with this subscription. Please use the authority "
                    + "(URL) '/" + subscription.tenantId() + "' to get the token.";
            throw BearerChallenge.refusal(exchange, "InvalidAuthenticationTokenTenant", message, message);
        }
    }
}
