package dev.cirrus.computevm.monitor;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The load profiles users set on a VM, a scale set or one of its instances (table {@code load_profiles}). A VM's
 * effective profile is its own, else its scale set's, else {@link LoadProfile#IDLE}.
 */
@Service
class LoadProfiles {

    /** A stored profile: the scope it is set on, and its ETag. */
    record Stored(String scopeKey, LoadProfile profile, String etag) {
    }

    private final JdbcClient jdbc;
    private final MonitoredResources resources;
    private final ObjectMapper json;

    LoadProfiles(JdbcClient jdbc, MonitoredResources resources, ObjectMapper json) {
        this.jdbc = jdbc;
        this.resources = resources;
        this.json = json;
    }

    /** PUT: the scope must exist; answers whether it was created. */
    boolean put(String scopeKey, String scopeDescription, LoadProfile profile) {
        requireScope(scopeKey, scopeDescription);
        String body = json.writeValueAsString(LoadProfileJson.properties(profile, json));
        int updated = jdbc.sql("update load_profiles set profile = ?::jsonb, etag = ?, time_modified = now() "
                        + "where scope_key = ?")
                .param(body).param(UUID.randomUUID().toString()).param(scopeKey).update();
        if (updated == 1) {
            return false;
        }
        jdbc.sql("insert into load_profiles (scope_key, profile, etag, time_modified) values (?, ?::jsonb, ?, now()) "
                        + "on conflict (scope_key) do update set profile = excluded.profile, etag = excluded.etag")
                .param(scopeKey).param(body).param(UUID.randomUUID().toString()).update();
        return true;
    }

    Optional<Stored> get(String scopeKey) {
        return jdbc.sql("select profile::text, etag from load_profiles where scope_key = ?").param(scopeKey)
                .query((rs, i) -> new Stored(scopeKey, read(rs.getString(1)), rs.getString(2))).optional();
    }

    Stored require(String scopeKey, String scopeDescription) {
        requireScope(scopeKey, scopeDescription);
        return get(scopeKey).orElseThrow(() -> ArmException.notFound("ResourceNotFound",
                "The load profile 'default' of " + scopeDescription + " was not found."));
    }

    /** DELETE: true when there was one. */
    boolean delete(String scopeKey) {
        return jdbc.sql("delete from load_profiles where scope_key = ?").param(scopeKey).update() == 1;
    }

    /** Every stored profile by scope, for one sampling round. */
    Map<String, LoadProfile> all() {
        Map<String, LoadProfile> all = new HashMap<>();
        jdbc.sql("select scope_key, profile::text from load_profiles")
                .query((rs, i) -> Map.entry(rs.getString(1), read(rs.getString(2))))
                .list().forEach(e -> all.put(e.getKey(), e.getValue()));
        return all;
    }

    /** The profiles of resources that no longer exist go with them. */
    int removeOrphans() {
        return jdbc.sql("""
                delete from load_profiles p where not exists (select 1 from virtual_machines v where v.resource_key = p.scope_key)
                  and not exists (select 1 from scale_sets s where s.resource_key = p.scope_key)""").update();
    }

    private void requireScope(String scopeKey, String scopeDescription) {
        if (resources.find(scopeKey).isEmpty()) {
            throw ArmException.notFound("ResourceNotFound", "The Resource '" + scopeDescription + "' was not found.");
        }
    }

    private LoadProfile read(String stored) {
        ObjectNode wrapper = json.createObjectNode();
        wrapper.set("properties", json.readTree(stored));
        return LoadProfileJson.parse(wrapper, Instant.EPOCH);
    }

    static LoadProfile effective(Map<String, LoadProfile> profiles, String vmKey, String scaleSetKey) {
        LoadProfile own = profiles.get(vmKey);
        if (own != null) {
            return own;
        }
        LoadProfile set = scaleSetKey == null ? null : profiles.get(scaleSetKey);
        return set != null ? set : LoadProfile.IDLE;
    }

    JsonNode represent(String scopeId, Stored stored) {
        ObjectNode r = json.createObjectNode();
        r.put("id", scopeId + "/providers/Cirrus.Monitor/loadProfiles/default");
        r.put("name", "default");
        r.put("type", "Cirrus.Monitor/loadProfiles");
        r.put("etag", stored.etag());
        r.set("properties", LoadProfileJson.properties(stored.profile(), json));
        return r;
    }
}
