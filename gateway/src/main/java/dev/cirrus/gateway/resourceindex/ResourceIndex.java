package dev.cirrus.gateway.resourceindex;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/** The {@code resource_index} table: which service owns which resource, and what /resources lists. */
@Repository
public class ResourceIndex {

    /** One indexed resource. */
    public record Entry(String id, String type, String name, String owner, String location, String kind,
                        Map<String, String> tags) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    ResourceIndex(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Adds or updates a resource ({@code id} = /subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}). */
    public void put(String id, String type, String owner, String location, String kind, Map<String, String> tags,
                    Instant at) {
        String[] s = id.substring(1).split("/");
        jdbc.update("insert into resource_index(id_key, id, subscription_id, resource_group_key, type, name, owner, "
                        + "location, kind, tags, changed_at) values (?,?,?,?,?,?,?,?,?,?::jsonb,?) "
                        + "on conflict (id_key) do update set id = excluded.id, owner = excluded.owner, "
                        + "location = coalesce(excluded.location, resource_index.location), "
                        + "kind = coalesce(excluded.kind, resource_index.kind), tags = excluded.tags, "
                        + "changed_at = excluded.changed_at",
                id.toLowerCase(Locale.ROOT), id, s[1].toLowerCase(Locale.ROOT), s[3].toLowerCase(Locale.ROOT), type,
                s[s.length - 1], owner, location, kind, json.writeValueAsString(tags == null ? Map.of() : tags),
                Timestamp.from(at));
    }

    public void remove(String id) {
        jdbc.update("delete from resource_index where id_key = ?", id.toLowerCase(Locale.ROOT));
    }

    /** Forgets every resource of a deleted group. */
    public void removeGroup(String subscriptionId, String group) {
        jdbc.update("delete from resource_index where subscription_id = ? and resource_group_key = ?",
                subscriptionId.toLowerCase(Locale.ROOT), group.toLowerCase(Locale.ROOT));
    }

    public Optional<String> ownerOf(String id) {
        return jdbc.queryForList("select owner from resource_index where id_key = ?", String.class,
                id.toLowerCase(Locale.ROOT)).stream().findFirst();
    }

    /**
     * The site ({@code Microsoft.Web/sites}) named {@code name} in any subscription: a site's name is global (its host
     * name is {@code {name}.azurewebsites.…}), so there is at most one.
     */
    public Optional<Entry> site(String name) {
        return listWhere("lower(type) = 'microsoft.web/sites' and lower(name) = ? limit 1",
                name.toLowerCase(Locale.ROOT)).stream().findFirst();
    }

    @SuppressWarnings("unchecked")
    private List<Entry> listWhere(String condition, Object... args) {
        return jdbc.query("select id, type, name, owner, location, kind, tags::text from resource_index where "
                + condition, (rs, i) -> new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), (Map<String, String>) json.readValue(rs.getString(7), Map.class)),
                args);
    }

    /**
     * A page of a subscription's (or group's) resources in id order, after {@code afterIdKey} (exclusive; null for
     * the first page), of one type when {@code type} is given (case-insensitive).
     */
    public List<Entry> list(String subscriptionId, String groupOrNull, String typeOrNull, String afterIdKey, int limit) {
        ResourceFilter byType = new ResourceFilter(null, typeOrNull, null, null, null, null, null);
        return listFiltered(subscriptionId, groupOrNull, byType, afterIdKey, limit);
    }

    /** A page of a subscription's (or group's) resources in id order that pass a {@code $filter}. */
    @SuppressWarnings("unchecked")
    List<Entry> listFiltered(String subscriptionId, String groupOrNull, ResourceFilter filter, String afterIdKey,
                             int limit) {
        StringBuilder sql = new StringBuilder("select id, type, name, owner, location, kind, tags::text from "
                + "resource_index where subscription_id = ?");
        List<Object> args = new java.util.ArrayList<>(List.of(subscriptionId.toLowerCase(Locale.ROOT)));
        if (groupOrNull != null) {
            sql.append(" and resource_group_key = ?");
            args.add(groupOrNull.toLowerCase(Locale.ROOT));
        }
        if (filter.resourceGroup() != null) {
            sql.append(" and resource_group_key = ?");
            args.add(filter.resourceGroup().toLowerCase(Locale.ROOT));
        }
        if (filter.resourceType() != null) {
            sql.append(" and lower(type) = ?");
            args.add(filter.resourceType().toLowerCase(Locale.ROOT));
        }
        if (filter.name() != null) {
            sql.append(" and lower(name) = ?");
            args.add(filter.name().toLowerCase(Locale.ROOT));
        }
        if (filter.location() != null) {
            sql.append(" and lower(replace(location, ' ', '')) = ?");
            args.add(filter.location());
        }
        if (filter.nameContains() != null) {
            sql.append(" and strpos(lower(name), ?) > 0");
            args.add(filter.nameContains().toLowerCase(Locale.ROOT));
        }
        if (filter.tagName() != null) {
            sql.append(" and exists (select 1 from jsonb_each_text(tags) t where lower(t.key) = ?");
            args.add(filter.tagName().toLowerCase(Locale.ROOT));
            if (filter.tagValue() != null) {
                sql.append(" and t.value = ?");
                args.add(filter.tagValue());
            }
            sql.append(")");
        }
        if (afterIdKey != null) {
            sql.append(" and id_key > ?");
            args.add(afterIdKey);
        }
        sql.append(" order by id_key limit ?");
        args.add(limit);
        return jdbc.query(sql.toString(), (rs, i) -> new Entry(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6),
                (Map<String, String>) json.readValue(rs.getString(7), Map.class)), args.toArray());
    }
}
