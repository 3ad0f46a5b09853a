package dev.cirrus.computevm.scaleset;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The latest rolling upgrade of each scale set (table {@code rolling_upgrades}): started by a model change under a
 * Rolling policy (ScaleSets), cancelled by the user (the worker then ends it at its next step, after the batch in
 * flight), ended Completed or Faulted by the worker (ScaleSetWorker#rollOn).
 */
@Repository
class RollingUpgrades {

    record Status(String code, Instant startTime, String lastAction, Instant lastActionTime, String errorCode,
                  String errorMessage) {
    }

    private final JdbcClient jdbc;

    RollingUpgrades(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void started(String setKey, Instant now) {
        jdbc.sql("""
                        insert into rolling_upgrades (scale_set_key, status, start_time, last_action, last_action_time)
                        values (?, 'RollingForward', ?, 'Start', ?)
                        on conflict (scale_set_key) do update set status = 'RollingForward', start_time = excluded.start_time,
                            last_action = 'Start', last_action_time = excluded.last_action_time, error_code = null,
                            error_message = null""")
                .param(setKey).param(Timestamp.from(now)).param(Timestamp.from(now)).update();
    }

    /** True when a rolling upgrade was running and is now cancelled. */
    boolean cancel(String setKey, Instant now) {
        return jdbc.sql("update rolling_upgrades set status = 'Cancelled', last_action = 'Cancel', last_action_time = ? "
                        + "where scale_set_key = ? and status = 'RollingForward'")
                .param(Timestamp.from(now)).param(setKey).update() == 1;
    }

    boolean cancelled(String setKey) {
        return jdbc.sql("select status from rolling_upgrades where scale_set_key = ?").param(setKey)
                .query(String.class).optional().map("Cancelled"::equals).orElse(false);
    }

    /** The upgrade ended: Completed, or Faulted with the error; a cancelled one stays Cancelled. */
    void ended(String setKey, String errorCode, String errorMessage) {
        jdbc.sql("update rolling_upgrades set status = ?, error_code = ?, error_message = ? "
                        + "where scale_set_key = ? and status = 'RollingForward'")
                .param(errorCode == null ? "Completed" : "Faulted").param(errorCode).param(errorMessage)
                .param(setKey).update();
    }

    Optional<Status> find(String setKey) {
        return jdbc.sql("select status, start_time, last_action, last_action_time, error_code, error_message "
                        + "from rolling_upgrades where scale_set_key = ?")
                .param(setKey)
                .query((rs, i) -> new Status(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getString(6)))
                .optional();
    }

    void delete(String setKey) {
        jdbc.sql("delete from rolling_upgrades where scale_set_key = ?").param(setKey).update();
    }
}
