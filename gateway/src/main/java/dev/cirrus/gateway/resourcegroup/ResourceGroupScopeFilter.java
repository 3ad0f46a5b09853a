package dev.cirrus.gateway.resourcegroup;

import java.util.Locale;

import dev.cirrus.gateway.arm.ArmFilters;
import dev.cirrus.gateway.arm.ArmPath;
import dev.cirrus.gateway.arm.ArmRequests;
import dev.cirrus.gateway.support.Blocking;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Anything addressed inside a resource group ({@code /subscriptions/{sub}/resourceGroups/{rg}/...}) needs the
 * group: when it does not exist the gateway answers 404 {@code ResourceGroupNotFound} itself, before any service is
 * called, as ARM does. While the group is being deleted, writes into it (PUT, PATCH, POST) are 409
 * {@code ResourceGroupBeingDeleted}; reads and DELETEs go on.
 */
@Component
class ResourceGroupScopeFilter implements WebFilter, Ordered {

    private final ResourceGroupService groups;

    ResourceGroupScopeFilter(ResourceGroupService groups) {
        this.groups = groups;
    }

    @Override
    public int getOrder() {
        return ArmFilters.RESOURCE_GROUP_SCOPE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ArmPath path = ArmRequests.path(exchange);
        if (!path.isArm() || !path.isInsideResourceGroup()) {
            return chain.filter(exchange);
        }
        String subscription = path.subscriptionId().orElseThrow().toLowerCase(Locale.ROOT);
        String group = path.resourceGroup().orElseThrow();
        HttpMethod method = exchange.getRequest().getMethod();
        boolean write = method == HttpMethod.PUT || method == HttpMethod.PATCH || method == HttpMethod.POST;
        ResourceGroupService.State cached = groups.cachedState(subscription, group);
        if (cached != null) {
            return decide(cached, write, group, exchange, chain);
        }
        return Blocking.call(() -> groups.state(subscription, group))
                .flatMap(state -> decide(state, write, group, exchange, chain));
    }

    private static Mono<Void> decide(ResourceGroupService.State state, boolean write, String group,
                                     ServerWebExchange exchange, WebFilterChain chain) {
        return switch (state) {
            case ABSENT -> Mono.error(ResourceGroupService.notFound(group));
            case DELETING -> write ? Mono.error(ResourceGroup.beingDeleted(group)) : chain.filter(exchange);
            case PRESENT -> chain.filter(exchange);
        };
    }
}
