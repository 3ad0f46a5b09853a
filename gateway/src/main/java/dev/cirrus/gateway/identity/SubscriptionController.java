package dev.cirrus.gateway.identity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.cirrus.gateway.authorization.RoleAssignments;
import dev.cirrus.gateway.support.Blocking;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code GET /subscriptions} (the subscriptions of the caller's tenant in which it holds a role: at the root, at the
 * subscription or below it) and {@code GET /subscriptions/{id}} (authorized by the filters as
 * {@code Microsoft.Resources/subscriptions/read}), in ARM's shape. Tools such as the SDKs' "default subscription"
 * read these.
 */
@RestController
class SubscriptionController {

    private final Directory directory;
    private final RoleAssignments assignments;

    SubscriptionController(Directory directory, RoleAssignments assignments) {
        this.directory = directory;
        this.assignments = assignments;
    }

    @GetMapping("/subscriptions")
    Mono<Map<String, Object>> list(ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange).orElseThrow();
        return Blocking.call(() -> {
            List<String> scopes = assignments.ofPrincipal(caller.objectId()).stream()
                    .map(a -> a.scope().toLowerCase(Locale.ROOT)).toList();
            List<Map<String, Object>> visible = directory.subscriptions(caller.tenantId()).stream()
                    .filter(s -> scopes.stream().anyMatch(scope -> scope.equals("/")
                            || scope.equals("/subscriptions/" + s.id())
                            || scope.startsWith("/subscriptions/" + s.id() + "/")))
                    .map(SubscriptionController::shape).toList();
            return Map.of("value", visible, "count", Map.of("type", "Total", "value", visible.size()));
        });
    }

    @GetMapping("/subscriptions/{subscriptionId}")
    Mono<Map<String, Object>> get(@PathVariable String subscriptionId) {
        return Blocking.call(() -> directory.subscription(subscriptionId.toLowerCase(Locale.ROOT))
                .map(SubscriptionController::shape)
                .orElseThrow(() -> ArmException.notFound("SubscriptionNotFound",
                        "The subscription '" + subscriptionId + "' could not be found.")));
    }

    static Map<String, Object> shape(Directory.Subscription s) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", "/subscriptions/" + s.id());
        body.put("authorizationSource", "RoleBased");
        body.put("managedByTenants", List.of());
        body.put("subscriptionId", s.id());
        body.put("tenantId", s.tenantId());
        body.put("displayName", s.displayName());
        body.put("state", s.state());
        body.put("subscriptionPolicies", Map.of("locationPlacementId", "Public_2014-09-01",
                "quotaId", "PayAsYouGo_2014-09-01", "spendingLimit", "Off"));
        return body;
    }
}
