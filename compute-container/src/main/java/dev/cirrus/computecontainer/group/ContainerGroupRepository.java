package dev.cirrus.computecontainer.group;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.cirrus.plumbing.arm.KeysetPage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** The {@code container_groups} and {@code container_states} tables (db/migration/V2__container_groups.sql). */
@Repository
public class ContainerGroupRepository {

    private static final TypeReference<LinkedHashMap<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final TypeReference<LinkedHashMap<Integer, Integer>> PORT_MAP = new TypeReference<>() { };

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    ContainerGroupRepository(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public Optional<ContainerGroup> find(String resourceKey) {
        return jdbc.query("select * from container_groups where resource_key = ?", this::map,
                resourceKey.toLowerCase(Locale.ROOT)).stream().findFirst();
    }

    /** The group, its row locked until the transaction ends: the read of a read-change-write. */
    public Optional<ContainerGroup> findForUpdate(String resourceKey) {
        return jdbc.query("select * from container_groups where resource_key = ? for update", this::map,
                resourceKey.toLowerCase(Locale.ROOT)).stream().findFirst();
    }

    public Optional<ContainerGroup> findByGroupId(UUID groupId) {
        return jdbc.query("select * from container_groups where group_id = ?", this::map, groupId).stream()
                .findFirst();
    }

    /** The group whose DNS name label in its region is {@code labelKey} ({@code label.region}, lower case). */
    public Optional<ContainerGroup> findByDnsLabel(String labelKey) {
        return jdbc.query("select * from container_groups where dns_label_key = ?", this::map,
                labelKey.toLowerCase(Locale.ROOT)).stream().findFirst();
    }

    /** Serialises the creations of one subscription until the transaction ends, so a quota cannot be passed twice. */
    void lockSubscription(String subscriptionId) {
        jdbc.query("select pg_advisory_xact_lock(hashtext(?))", rs -> null,
                "container_groups/" + subscriptionId.toLowerCase(Locale.ROOT));
    }

    /** The vCPU a subscription's groups request in a region. */
    BigDecimal cpuInRegion(String subscriptionId, String location) {
        BigDecimal n = jdbc.queryForObject("select coalesce(sum(cpu), 0) from container_groups where subscription_key = ?"
                + " and location = ?", BigDecimal.class, subscriptionId.toLowerCase(Locale.ROOT), location);
        return n == null ? BigDecimal.ZERO : n;
    }

    List<ContainerGroup> list(String subscriptionId, String resourceGroupOrNull, String afterKey, int limit) {
        KeysetPage page = KeysetPage.of("select * from container_groups where true", subscriptionId,
                resourceGroupOrNull, afterKey, limit);
        return jdbc.query(page.sql(), this::map, page.params().toArray());
    }

    /** The groups whose containers should be running: what the monitor watches. */
    public List<ContainerGroup> running() {
        return jdbc.query("select * from container_groups where state = 'Running' and provisioning_state = 'Succeeded'",
                this::map);
    }

    /** Every group's platform id: what the runtime may keep when it adopts containers after a restart. */
    public List<ContainerGroup> all() {
        return jdbc.query("select * from container_groups", this::map);
    }

    void insert(ContainerGroup g) {
        jdbc.update("insert into container_groups(resource_key, subscription_key, resource_group_key, resource_id,"
                        + " subscription_id, resource_group, name, location, group_id, spec, cpu, memory_in_gb, tags,"
                        + " provisioning_state, state, dns_label_key, host, rack, cluster, fault_domain, published_ports,"
                        + " operation_id, failure_code, failure_message, created_at, last_modified, state_changed_at,"
                        + " etag) values (?,?,?,?,?,?,?,?,?,?::jsonb,?,?,?::jsonb,?,?,?,?,?,?,?,?::jsonb,?,?,?,?,?,?,?)",
                g.key(), g.subscriptionId().toLowerCase(Locale.ROOT), g.resourceGroup().toLowerCase(Locale.ROOT),
                g.resourceId(), g.subscriptionId(), g.resourceGroup(), g.name(), g.location(), g.groupId(),
                json.writeValueAsString(g.spec()), g.spec().cpu(), g.spec().memoryInGB(),
                json.writeValueAsString(g.tags()), g.provisioningState(), g.state(), g.dnsLabelKey(),
                host(g), rack(g), cluster(g), faultDomain(g), json.writeValueAsString(g.publishedPorts()),
                g.operationId(), failureCode(g), failureMessage(g), Timestamp.from(g.createdAt()),
                Timestamp.from(g.lastModified()), Timestamp.from(g.stateChangedAt()), g.etag());
    }

    /** Saves everything but identity, location and definition (the casing of the names may change). */
    public void update(ContainerGroup g) {
        jdbc.update("update container_groups set resource_id = ?, resource_group = ?, name = ?, tags = ?::jsonb,"
                        + " provisioning_state = ?, state = ?, host = ?, rack = ?, cluster = ?, fault_domain = ?,"
                        + " published_ports = ?::jsonb, operation_id = ?, failure_code = ?, failure_message = ?,"
                        + " last_modified = ?, state_changed_at = ?, etag = ? where resource_key = ?",
                g.resourceId(), g.resourceGroup(), g.name(), json.writeValueAsString(g.tags()), g.provisioningState(),
                g.state(), host(g), rack(g), cluster(g), faultDomain(g), json.writeValueAsString(g.publishedPorts()),
                g.operationId(), failureCode(g), failureMessage(g), Timestamp.from(g.lastModified()),
                Timestamp.from(g.stateChangedAt()), g.etag(), g.key());
    }

    void delete(String key) {
        jdbc.update("delete from container_groups where resource_key = ?", key);
    }

    /** The instance views of a group's containers, in the order of its definition. */
    public Map<String, ContainerInstanceView> views(String key) {
        Map<String, ContainerInstanceView> views = new LinkedHashMap<>();
        jdbc.query("select * from container_states where resource_key = ?", rs -> {
            views.put(rs.getString("container_name"), new ContainerInstanceView(rs.getString("container_name"),
                    rs.getString("docker_id"), rs.getInt("restart_count"),
                    read(rs.getString("current_state"), ContainerInstanceView.State.class),
                    read(rs.getString("previous_state"), ContainerInstanceView.State.class),
                    List.of(json.readValue(rs.getString("events"), ContainerInstanceView.ViewEvent[].class))));
        }, key);
        return views;
    }

    public void saveView(String key, ContainerInstanceView v) {
        jdbc.update("insert into container_states(resource_key, container_name, docker_id, restart_count, current_state,"
                        + " previous_state, events) values (?,?,?,?,?::jsonb,?::jsonb,?::jsonb) on conflict"
                        + " (resource_key, container_name) do update set docker_id = excluded.docker_id,"
                        + " restart_count = excluded.restart_count, current_state = excluded.current_state,"
                        + " previous_state = excluded.previous_state, events = excluded.events",
                key, v.containerName(), v.dockerId(), v.restartCount(), write(v.currentState()),
                write(v.previousState()), json.writeValueAsString(v.events()));
    }

    private <T> T read(String text, Class<T> type) {
        return text == null ? null : json.readValue(text, type);
    }

    private String write(Object value) {
        return value == null ? null : json.writeValueAsString(value);
    }

    private static String host(ContainerGroup g) {
        return g.placement() == null ? null : g.placement().host();
    }

    private static String rack(ContainerGroup g) {
        return g.placement() == null ? null : g.placement().rack();
    }

    private static String cluster(ContainerGroup g) {
        return g.placement() == null ? null : g.placement().cluster();
    }

    private static Integer faultDomain(ContainerGroup g) {
        return g.placement() == null ? null : g.placement().faultDomain();
    }

    private static String failureCode(ContainerGroup g) {
        return g.failure() == null ? null : g.failure().code();
    }

    private static String failureMessage(ContainerGroup g) {
        return g.failure() == null ? null : g.failure().message();
    }

    private ContainerGroup map(ResultSet rs, int row) throws SQLException {
        String host = rs.getString("host");
        String failureCode = rs.getString("failure_code");
        return new ContainerGroup(rs.getString("resource_key"), rs.getString("resource_id"),
                rs.getString("subscription_id"), rs.getString("resource_group"), rs.getString("name"),
                rs.getString("location"), rs.getObject("group_id", UUID.class),
                json.readValue(rs.getString("spec"), ContainerGroupSpec.class),
                json.readValue(rs.getString("tags"), STRING_MAP), rs.getString("provisioning_state"),
                rs.getString("state"),
                host == null ? null : new ContainerGroup.Placement(host, rs.getString("rack"), rs.getString("cluster"),
                        rs.getInt("fault_domain")),
                json.readValue(rs.getString("published_ports"), PORT_MAP), rs.getObject("operation_id", UUID.class),
                failureCode == null ? null : new ContainerGroup.Failure(failureCode, rs.getString("failure_message")),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("last_modified").toInstant(),
                rs.getTimestamp("state_changed_at").toInstant(), rs.getString("etag"));
    }
}
