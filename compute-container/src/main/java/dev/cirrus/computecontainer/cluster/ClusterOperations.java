package dev.cirrus.computecontainer.cluster;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code cluster_operations} table: the Azure-AsyncOperation of each cluster and agent pool change. */
@Repository
class ClusterOperations {

    /** An operation as a poller sees it. */
    record Op(UUID id, String location, String status, Instant startTime, Instant endTime, String errorCode,
              String errorMessage) {
    }

    private final JdbcTemplate jdbc;

    ClusterOperations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void start(UUID id, String sub, String location, String resourceKey, String kind, Instant now) {
        jdbc.update("insert into cluster_operations(id, subscription_key, location, resource_key, kind, status,"
                        + " start_time) values (?,?,?,?,?,'InProgress',?)", id, sub.toLowerCase(Locale.ROOT), location,
                resourceKey, kind, Timestamp.from(now));
    }

    /** Ends the operation (if it is still in progress): Succeeded, or Failed / Canceled with the error. */
    void end(UUID id, String status, String code, String message, Instant now) {
        jdbc.update("update cluster_operations set status = ?, end_time = ?, error_code = ?, error_message = ?"
                + " where id = ? and status = 'InProgress'", status, Timestamp.from(now), code, message, id);
    }

    Optional<Op> find(String sub, UUID id) {
        return jdbc.query("select * from cluster_operations where id = ? and subscription_key = ?", (rs, i) -> {
            Timestamp end = rs.getTimestamp("end_time");
            return new Op(rs.getObject("id", UUID.class), rs.getString("location"), rs.getString("status"),
                    rs.getTimestamp("start_time").toInstant(), end == null ? null : end.toInstant(),
                    rs.getString("error_code"), rs.getString("error_message"));
        }, id, sub.toLowerCase(Locale.ROOT)).stream().findFirst();
    }
}
