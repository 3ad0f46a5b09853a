package dev.cirrus.gateway.resourcegroup;

import java.util.Locale;

import dev.cirrus.gateway.arm.ArmFilters;
import dev.cirrus.gateway.arm.ArmPath;
import dev.cirrus.gateway.arm.ArmRequests;
import dev.cirrus.gateway.support.Blocking;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Anything addressed inside a resource group ({@code /subscriptions/{sub}/resourceGroups/{rg}/...}) needs the
 * group: when it does not exist the gateway answers 404 {@code ResourceGroupNotFound} itself, before any service is
 * called, as ARM does.
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
        ArmPath path = ArmRequests.path(exchange.getRequest());
        if (!path.isArm() || !path.isInsideResourceGroup()) {
            return chain.filter(exchange);
        }
        String subscription = path.subscriptionId().orElseThrow().toLowerCase(Locale.ROOT);
        String group = path.resourceGroup().orElseThrow();
        if (groups.knownToExist(subscription, group)) {
            return chain.filter(exchange);
        }
        return Blocking.call(() -> groups.exists(subscription, group))
                .flatMap(exists -> exists ? chain.filter(exchange)
                        : Mono.error(ResourceGroupService.notFound(group)));
    }
}
