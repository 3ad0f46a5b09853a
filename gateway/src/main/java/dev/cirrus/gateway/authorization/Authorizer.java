package dev.cirrus.gateway.authorization;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.cirrus.gateway.identity.Caller;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.stereotype.Component;

/**
 * Decides whether a caller may perform an action at a scope: some role assignment of the caller at that scope or
 * above it names a role that allows the action. Blocking (JDBC).
 */
@Component
public class Authorizer {

    private final RoleAssignments assignments;

    Authorizer(RoleAssignments assignments) {
        this.assignments = assignments;
    }

    public boolean allows(Caller caller, ArmAction request) {
        return allows(assignments.ofPrincipal(caller.objectId()), request);
    }

    /** The caller's role assignments (blocking). */
    public List<RoleAssignments.RoleAssignment> held(Caller caller) {
        return assignments.ofPrincipal(caller.objectId());
    }

    /** The caller's assignments when cached (see {@link AccessCacheProperties}), else null. */
    public List<RoleAssignments.RoleAssignment> cachedAssignments(Caller caller) {
        return assignments.cachedOfPrincipal(caller.objectId());
    }

    /**
     * Decisions already taken, per list of assignments (the same immutable list while the cache keeps it) and
     * action: deciding matches the role's wildcard patterns, far more work than a lookup; every request asks.
     */
    private static final Map<Decision, Boolean> DECIDED = new ConcurrentHashMap<>();
    private static final int MAX_DECISIONS = 10_000;

    /** A decision's key: the assignment list by identity (immutable: {@code List.copyOf}), the action and scope. */
    private record Decision(Object held, String action, String scope) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Decision d && d.held == held && d.action.equals(action) && d.scope.equals(scope);
        }

        @Override
        public int hashCode() {
            return (System.identityHashCode(held) * 31 + action.hashCode()) * 31 + scope.hashCode();
        }
    }

    /**
     * {@link #allows(List, ArmAction)}, remembered: for the lists of {@link #held} and {@link #cachedAssignments} only
     * (immutable, and the same instance while cached), as the authorization of every request asks.
     */
    static boolean allowsRemembered(List<RoleAssignments.RoleAssignment> held, ArmAction request) {
        Decision key = new Decision(held, request.action(), request.scope());
        Boolean known = DECIDED.get(key);
        if (known != null) {
            return known;
        }
        boolean allowed = allows(held, request);
        if (DECIDED.size() >= MAX_DECISIONS) {
            DECIDED.clear(); // bounded: lists replaced by the cache leave their decisions behind
        }
        DECIDED.put(key, allowed);
        return allowed;
    }

    static boolean allows(List<RoleAssignments.RoleAssignment> held, ArmAction request) {
        return held.stream()
                .filter(a -> ArmAction.covers(a.scope(), request.scope()))
                .map(a -> RoleDefinition.builtIn(a.roleDefinitionId()))
                .anyMatch(role -> role.isPresent() && role.get().allows(request.action()));
    }

    /** Refuses with ARM's 403 unless the caller may perform the action. */
    public void require(Caller caller, ArmAction request) {
        if (!allows(caller, request)) {
            throw denied(caller, request);
        }
    }

    public static ArmException denied(Caller caller, ArmAction request) {
        String client = caller.appId() != null ? caller.appId() : caller.objectId();
        return new ArmException(403, "AuthorizationFailed", "The client '" + client + "' with object id '"
                + caller.objectId() + "' does not have authorization to perform action '" + request.action()
                + "' over scope '" + request.scope() + "' or the scope is invalid. If access was recently granted, "
                + "please refresh your credentials.", null);
    }
}
