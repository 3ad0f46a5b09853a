package dev.cirrus.gateway.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import dev.cirrus.gateway.authorization.AccessCacheProperties;
import dev.cirrus.gateway.support.TtlCache;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Tenants, subscriptions and service principals (tables {@code tenants}, {@code subscriptions},
 * {@code service_principals}). Secrets are never stored, only their SHA-256 (they are 256-bit random strings, so a
 * plain hash is as strong as a salted slow one).
 */
// a plain component, not a @Repository: JdbcClient already throws Spring's DataAccessExceptions, and this bean is asked
// on every routed request, where the exception-translation proxy cost about 2 % of the gateway's CPU
@Component
public class Directory {

    /** A service principal: object id (what role assignments name), application (client) id, tenant. */
    public record Principal(String objectId, String appId, String tenantId, String displayName) {
    }

    /** A subscription and its tenant. */
    public record Subscription(String id, String tenantId, String displayName, String state) {
    }

    private final JdbcTemplate jdbc;
    private final TtlCache<String, Subscription> subscriptions;
    /** The tenants known to exist: every authenticated call asks, and tenants are never deleted. */
    private final TtlCache<String, Boolean> tenants;

    Directory(JdbcTemplate jdbc, AccessCacheProperties cache, Clock clock) {
        this.jdbc = jdbc;
        this.subscriptions = new TtlCache<>(cache.cacheTtl(), 100_000, clock);
        this.tenants = new TtlCache<>(cache.cacheTtl(), 10_000, clock);
    }

    /** True when the tenant was found to exist within the cache's time to live; false when not known yet. */
    public boolean knownTenant(String id) {
        return Boolean.TRUE.equals(tenants.getIfFresh(id));
    }

    /** The subscription if it was read within the cache's time to live, else null. */
    public Subscription cachedSubscription(String id) {
        return subscriptions.getIfFresh(id);
    }

    public void ensureTenant(String id, String displayName, Instant at) {
        jdbc.update("insert into tenants(id, display_name, created_at) values (?,?,?) on conflict (id) do nothing",
                id, displayName, Timestamp.from(at));
    }

    public boolean tenantExists(String id) {
        if (knownTenant(id)) {
            return true;
        }
        boolean exists = Boolean.TRUE.equals(jdbc.queryForObject("select exists(select 1 from tenants where id = ?)",
                Boolean.class, id));
        if (exists) {
            tenants.put(id, true);
        }
        return exists;
    }

    /** Creates the subscription or renames it; false when it exists in another tenant. */
    public boolean putSubscription(String id, String tenantId, String displayName, Instant at) {
        subscriptions.invalidate(id);
        return jdbc.update("insert into subscriptions(id, tenant_id, display_name, state, created_at) "
                + "values (?,?,?,'Enabled',?) on conflict (id) do update set display_name = excluded.display_name "
                + "where subscriptions.tenant_id = excluded.tenant_id", id, tenantId, displayName, Timestamp.from(at)) == 1;
    }

    public Optional<Subscription> subscription(String id) {
        Subscription cached = subscriptions.getIfFresh(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Subscription> found = jdbc.query("select id, tenant_id, display_name, state from subscriptions "
                        + "where id = ?",
                (rs, i) -> new Subscription(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), id)
                .stream().findFirst();
        found.ifPresent(s -> subscriptions.put(id, s));
        return found;
    }

    public List<Subscription> subscriptions(String tenantId) {
        return jdbc.query("select id, tenant_id, display_name, state from subscriptions where tenant_id = ? order by id",
                (rs, i) -> new Subscription(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)),
                tenantId);
    }

    /** Creates the principal, or sets its secret when the application id exists (a restart with a new secret). */
    public void putPrincipal(Principal principal, String secret, Instant at) {
        jdbc.update("insert into service_principals(object_id, app_id, tenant_id, display_name, secret_sha256, "
                        + "created_at) values (?,?,?,?,?,?) on conflict (app_id) do update "
                        + "set secret_sha256 = excluded.secret_sha256, display_name = excluded.display_name",
                principal.objectId(), principal.appId(), principal.tenantId(), principal.displayName(),
                sha256(secret), Timestamp.from(at));
    }

    public Optional<Principal> principalByAppId(String appId) {
        return jdbc.query("select object_id, app_id, tenant_id, display_name from service_principals where app_id = ?",
                (rs, i) -> new Principal(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), appId)
                .stream().findFirst();
    }

    public Optional<Principal> principal(String objectId) {
        return jdbc.query("select object_id, app_id, tenant_id, display_name from service_principals "
                        + "where object_id = ?",
                (rs, i) -> new Principal(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), objectId)
                .stream().findFirst();
    }

    /** True when the secret is the principal's (compared in constant time). */
    public boolean secretMatches(String appId, String secret) {
        List<String> stored = jdbc.queryForList("select secret_sha256 from service_principals where app_id = ?",
                String.class, appId);
        return !stored.isEmpty() && MessageDigest.isEqual(stored.getFirst().getBytes(StandardCharsets.US_ASCII),
                sha256(secret).getBytes(StandardCharsets.US_ASCII));
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
