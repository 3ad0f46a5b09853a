package dev.cirrus.gateway.faults;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.cirrus.contracts.events.CloudEvent;
import dev.cirrus.contracts.events.EventTypes;
import dev.cirrus.contracts.events.FaultInjectedData;
import dev.cirrus.contracts.events.Topics;
import dev.cirrus.contracts.placement.v1.Host;
import dev.cirrus.contracts.placement.v1.HostSelector;
import dev.cirrus.contracts.placement.v1.RackRef;
import dev.cirrus.gateway.operator.PlacementOperator;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.plumbing.events.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * The fault-injection rules: kept in the gateway's database ({@code fault_rules}) until they expire, so that they
 * survive a restart, and in memory for the request path ({@link #active()}, re-read after every change). Each
 * change and each injected fault is an event on {@code cirrus.faults} (through the outbox, in the transaction of the
 * change). A region outage fails every rack of its region through the placement engine when it is created, and
 * recovers them when it is deleted or expires ({@link FaultExpiry}).
 */
@Component
class FaultRules {

    private static final Logger log = LoggerFactory.getLogger(FaultRules.class);
    static final String SOURCE = "gateway";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final Clock clock;
    private final PlacementOperator placement;
    private volatile List<FaultRule> active = List.of();

    FaultRules(JdbcTemplate jdbc, TransactionTemplate tx, Outbox outbox, ObjectMapper json, Clock clock,
               PlacementOperator placement) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.outbox = outbox;
        this.json = json;
        this.clock = clock;
        this.placement = placement;
    }

    /** The rules not yet swept away (the request path also checks their expiry). */
    List<FaultRule> active() {
        return active;
    }

    /** Re-reads the rules from the database. */
    void reload() {
        active = List.copyOf(jdbc.query("select * from fault_rules order by created_at, id", FaultRules::rule));
    }

    List<FaultRule> list() {
        Instant now = clock.instant();
        return jdbc.query("select * from fault_rules order by created_at, id", FaultRules::rule).stream()
                .filter(r -> !r.expiredAt(now)).toList();
    }

    Optional<FaultRule> get(String id) {
        Instant now = clock.instant();
        return jdbc.query("select * from fault_rules where id = ?", FaultRules::rule, UUID.fromString(id)).stream()
                .filter(r -> !r.expiredAt(now)).findFirst();
    }

    /** Stores a rule (a region outage first fails its region's racks) and announces it. */
    FaultRule create(FaultRule rule) {
        FaultRule stored = rule.kind() == FaultRule.Kind.REGION_OUTAGE ? failRegion(rule) : rule;
        try {
            tx.executeWithoutResult(s -> {
                jdbc.update("insert into fault_rules (id, kind, service, resource_type, operation, probability, "
                                + "error_status, error_code, error_message, latency_ms, region, racks, created_at, "
                                + "expires_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        UUID.fromString(stored.id()), stored.kind().wire, stored.service(), stored.resourceType(),
                        stored.operation(), stored.probability(), stored.errorStatus(), stored.errorCode(),
                        stored.errorMessage(), stored.latency() == null ? null : stored.latency().toMillis(),
                        stored.region(), String.join(",", stored.racks()), Timestamp.from(stored.createdAt()),
                        Timestamp.from(stored.expiresAt()));
                outbox.append(Topics.FAULTS, CloudEvent.of(SOURCE, EventTypes.FAULT_RULE_CREATED, stored.subject(),
                        clock.instant(), json.valueToTree(stored.data(null))));
            });
        } catch (RuntimeException e) {
            recoverRacks(stored);
            throw e;
        } finally {
            reload();
        }
        return stored;
    }

    /** Deletes a rule (a region outage's racks recovered first); empty when there is none. */
    Optional<FaultRule> delete(String id, String reason) {
        Optional<FaultRule> rule = jdbc.query("select * from fault_rules where id = ?", FaultRules::rule,
                UUID.fromString(id)).stream().findFirst();
        if (rule.isEmpty()) {
            return rule;
        }
        recoverRacks(rule.get());
        Boolean deleted = tx.execute(s -> {
            if (jdbc.update("delete from fault_rules where id = ?", UUID.fromString(id)) == 0) {
                return false; // a concurrent delete or sweep announced it
            }
            outbox.append(Topics.FAULTS, CloudEvent.of(SOURCE, EventTypes.FAULT_RULE_DELETED, rule.get().subject(),
                    clock.instant(), json.valueToTree(rule.get().data(reason))));
            return true;
        });
        reload();
        return Boolean.TRUE.equals(deleted) ? rule : Optional.empty();
    }

    /** Removes every expired rule ("Expired"); a region outage whose racks cannot be recovered yet stays for the next sweep. */
    void sweep() {
        Instant now = clock.instant();
        List<String> expired = jdbc.queryForList("select id::text from fault_rules where expires_at <= ?", String.class,
                Timestamp.from(now));
        for (String id : expired) {
            try {
                delete(id, "Expired");
            } catch (RuntimeException e) {
                log.warn("fault rule {} expired but could not be removed yet: {}", id, e.toString());
            }
        }
    }

    /** Announces a fault injected into one request (its own transaction). */
    void injected(FaultRule rule, FaultInjectedData data) {
        tx.executeWithoutResult(s -> outbox.append(Topics.FAULTS, CloudEvent.of(SOURCE, EventTypes.FAULT_INJECTED,
                rule.subject(), clock.instant(), json.valueToTree(data))));
    }

    private FaultRule failRegion(FaultRule rule) {
        List<Host> hosts = placement.listHosts(rule.region()).getHostsList();
        Set<String> racks = new LinkedHashSet<>();
        hosts.forEach(h -> racks.add(h.getCluster() + "/" + h.getRack()));
        if (racks.isEmpty()) {
            throw ArmException.notFound("LocationNotFound", "The region '" + rule.region() + "' has no racks.");
        }
        List<String> failed = new ArrayList<>();
        FaultRule stored = new FaultRule(rule.id(), rule.kind(), null, null, null, rule.probability(), null, null,
                null, null, rule.region(), List.copyOf(racks), rule.createdAt(), rule.expiresAt());
        try {
            for (String rack : racks) {
                placement.fail(selector(rack), "RackNotFound");
                failed.add(rack);
            }
        } catch (RuntimeException e) {
            recoverRacks(new FaultRule(rule.id(), rule.kind(), null, null, null, rule.probability(), null, null, null,
                    null, rule.region(), failed, rule.createdAt(), rule.expiresAt()));
            throw e;
        }
        return stored;
    }

    private void recoverRacks(FaultRule rule) {
        for (String rack : rule.racks()) {
            placement.recover(selector(rack), "RackNotFound");
        }
    }

    private static HostSelector selector(String clusterAndRack) {
        String[] parts = clusterAndRack.split("/", 2);
        return HostSelector.newBuilder().setRack(RackRef.newBuilder().setCluster(parts[0]).setRack(parts[1])).build();
    }

    private static FaultRule rule(ResultSet rs, int row) throws SQLException {
        long latency = rs.getLong("latency_ms");
        Duration latencyValue = rs.wasNull() ? null : Duration.ofMillis(latency);
        int status = rs.getInt("error_status");
        Integer statusValue = rs.wasNull() ? null : status;
        String racks = rs.getString("racks");
        return new FaultRule(rs.getString("id"), FaultRule.Kind.of(rs.getString("kind")), rs.getString("service"),
                rs.getString("resource_type"), rs.getString("operation"), rs.getBigDecimal("probability")
                .stripTrailingZeros(), statusValue, rs.getString("error_code"), rs.getString("error_message"),
                latencyValue, rs.getString("region"), racks == null || racks.isEmpty() ? List.of()
                : Arrays.asList(racks.split(",")), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("expires_at").toInstant());
    }
}
