package dev.cirrus.gateway.authorization;

import java.util.List;
import java.util.Optional;

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

    static boolean allows(List<RoleAssignments.RoleAssignment> held, ArmAction request) {
        for (RoleAssignments.RoleAssignment assignment : held) {
            if (ArmAction.covers(assignment.scope(), request.scope())) {
                Optional<RoleDefinition> role = RoleDefinition.builtIn(assignment.roleDefinitionId());
                if (role.isPresent() && role.get().allows(request.action())) {
                    return true;
                }
            }
        }
        return false;
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
