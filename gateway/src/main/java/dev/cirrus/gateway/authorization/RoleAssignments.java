package dev.cirrus.gateway.authorization;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.cirrus.gateway.support.TtlCache;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/** The {@code role_assignments} table. */
// a plain component, not a @Repository: JdbcClient already throws Spring's DataAccessExceptions, and the cached
// assignments are read on every authorized request, where the exception-translation proxy cost CPU for nothing
@Component
public class RoleAssignments {

    /**
     * A principal holds a role at a scope and below it.
     *
     * @param scope            as supplied ({@code /} at the root)
     * @param name             the assignment's GUID, lower-cased
     * @param roleDefinitionId the role's GUID
     */
    public record RoleAssignment(String scope, String name, String roleDefinitionId, String principalId,
                                 String principalType, String description, Instant createdOn, String createdBy) {

        /** {@code {scope}/providers/Microsoft.Authorization/roleAssignments/{name}}. */
        public String id() {
            return (scope.equals("/") ? "" : scope) + "/providers/Microsoft.Authorization/roleAssignments/" + name;
        }
    }

    private static final RowMapper<RoleAssignment> ROW = (rs, i) -> new RoleAssignment(rs.getString("scope"),
            rs.getString("name"), rs.getString("role_definition_id"), rs.getString("principal_id"),
            rs.getString("principal_type"), rs.getString("description"), rs.getTimestamp("created_at").toInstant(),
            rs.getString("created_by"));

    private final JdbcTemplate jdbc;
    private final TtlCache<String, List<RoleAssignment>> byPrincipal;

    RoleAssignments(JdbcTemplate jdbc, AccessCacheProperties cache, Clock clock) {
        this.jdbc = jdbc;
        this.byPrincipal = new TtlCache<>(cache.cacheTtl(), 100_000, clock);
    }

    /** A principal's assignments if they were read within the cache's time to live, else null. */
    public List<RoleAssignment> cachedOfPrincipal(String principalId) {
        return byPrincipal.getIfFresh(principalId);
    }

    /** Inserts the assignment; false when the principal already holds that role at that scope under another name. */
    public boolean insert(RoleAssignment a) {
        byPrincipal.invalidateAll();
        return jdbc.update("insert into role_assignments(scope_key, name, scope, role_definition_id, principal_id, "
                        + "principal_type, description, created_at, created_by) values (?,?,?,?,?,?,?,?,?) "
                        + "on conflict do nothing", key(a.scope()), a.name(), a.scope(), a.roleDefinitionId(),
                a.principalId(), a.principalType(), a.description(), Timestamp.from(a.createdOn()), a.createdBy()) == 1;
    }

    public Optional<RoleAssignment> find(String scope, String name) {
        return jdbc.query("select * from role_assignments where scope_key = ? and name = ?", ROW, key(scope),
                name.toLowerCase(Locale.ROOT)).stream().findFirst();
    }

    public boolean delete(String scope, String name) {
        byPrincipal.invalidateAll();
        return jdbc.update("delete from role_assignments where scope_key = ? and name = ?", key(scope),
                name.toLowerCase(Locale.ROOT)) == 1;
    }

    /**
     * Removes the assignments at a scope and under it, as ARM does when the scope (a resource group) is deleted;
     * call inside the transaction that deletes it. Returns how many went.
     */
    public int deleteAtOrBelow(String scope) {
        byPrincipal.invalidateAll();
        String k = key(scope);
        return jdbc.update("delete from role_assignments where scope_key = ? or scope_key like ?", k,
                k.replace("%", "\\%").replace("_", "\\_") + "/%");
    }

    /** Every assignment a principal holds, at any scope. */
    public List<RoleAssignment> ofPrincipal(String principalId) {
        return byPrincipal.get(principalId,
                id -> List.copyOf(jdbc.query("select * from role_assignments where principal_id = ?", ROW, id)));
    }

    /** The assignments at a scope, above it (inherited) and, with {@code below}, under it; ARM's list. */
    public List<RoleAssignment> atScope(String scope, boolean below) {
        String k = key(scope);
        return jdbc.query("select * from role_assignments where scope_key = '/' or ? = scope_key "
                        + "or ? like scope_key || '/%'" + (below ? " or scope_key like ? " : " ")
                        + "order by created_at, name", ROW,
                below ? new Object[] {k, k, k.replace("%", "\\%").replace("_", "\\_") + "/%"} : new Object[] {k, k});
    }

    static String key(String scope) {
        return scope.toLowerCase(Locale.ROOT);
    }
}
