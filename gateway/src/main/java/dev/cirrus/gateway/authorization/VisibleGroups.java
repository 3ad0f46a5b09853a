package dev.cirrus.gateway.authorization;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

import org.springframework.web.server.ServerWebExchange;

/**
 * {@code GET /subscriptions/{sub}/resourcegroups} by a principal whose roles lie below the subscription: it may list,
 * and sees only the groups where a role of its allows reading the group (a role at the group, the subscription or
 * the root), as in ARM. A principal with no such role anywhere in the subscription is refused (403) as before.
 */
public final class VisibleGroups {

    static final String READ = "Microsoft.Resources/subscriptions/resourceGroups/read";
    private static final String ATTRIBUTE = VisibleGroups.class.getName();

    private VisibleGroups() {
    }

    /** When the caller may list only some groups: which (by group id), else empty (it sees them all). */
    @SuppressWarnings("unchecked")
    public static Optional<Predicate<String>> of(ServerWebExchange exchange) {
        return Optional.ofNullable((Predicate<String>) exchange.getAttribute(ATTRIBUTE));
    }

    /**
     * Lets a group list through for a caller not allowed to read every group of the subscription when it may read
     * some group in it; false when it may read none.
     */
    static boolean attach(ServerWebExchange exchange, String subscriptionScope,
                          List<RoleAssignments.RoleAssignment> held) {
        String groups = subscriptionScope.toLowerCase(Locale.ROOT) + "/resourcegroups/";
        boolean some = held.stream().anyMatch(a -> a.scope().toLowerCase(Locale.ROOT).startsWith(groups)
                && Authorizer.allows(List.of(a), new ArmAction(READ, a.scope())));
        if (some) {
            exchange.getAttributes().put(ATTRIBUTE,
                    (Predicate<String>) groupId -> Authorizer.allows(held, new ArmAction(READ, groupId)));
        }
        return some;
    }

    /** True for the list of a subscription's groups. */
    static boolean isGroupList(ArmAction action) {
        return action.action().equals(READ) && action.scope().toLowerCase(Locale.ROOT).matches("/subscriptions/[^/]+");
    }
}
