package dev.cirrus.serverless.workflow;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The {@code workflow_schedules} table: the next due time of each Recurrence and Http polling trigger of an enabled
 * workflow. Armed when a workflow version is saved enabled, cleared when it is disabled or deleted; the scheduler
 * claims a due row, starts the run and moves the due time in one transaction.
 */
@Repository
public class Schedules {

    /** One due trigger. */
    public record Due(String workflowKey, String trigger, Instant due) {
    }

    private final JdbcTemplate jdbc;

    Schedules(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The workflow's schedules replaced by those of its current definition (none when it is disabled). */
    void arm(Workflow w, Instant now) {
        jdbc.update("delete from workflow_schedules where workflow_id = ?", w.key());
        if (!w.enabled()) {
            return;
        }
        for (String name : w.triggerNames()) {
            String type = w.trigger(name).path("type").asString("").toLowerCase(Locale.ROOT);
            if (type.equals("recurrence") || type.equals("http")) {
                Recurrence r = Recurrence.read(w.trigger(name).get("recurrence"), "recurrence");
                // a recurrence without a start time fires first at once (Azure's behaviour), then every interval
                Instant due = r.anchorStart() == null ? now : r.next(now.minusNanos(1), now);
                jdbc.update("insert into workflow_schedules(workflow_id, trigger_name, next_due) values (?,?,?)",
                        w.key(), name, Timestamp.from(due));
            }
        }
    }

    /** Due rows, locked and skipped by other replicas: the caller moves them on in the same transaction. */
    public List<Due> claimDue(Instant now, int limit) {
        return jdbc.query("select * from workflow_schedules where next_due <= ? order by next_due limit ?"
                        + " for update skip locked", (rs, i) -> new Due(rs.getString("workflow_id"),
                        rs.getString("trigger_name"), rs.getTimestamp("next_due").toInstant()),
                Timestamp.from(now), limit);
    }

    public void moveTo(String workflowKey, String trigger, Instant next) {
        jdbc.update("update workflow_schedules set next_due = ? where workflow_id = ? and trigger_name = ?",
                Timestamp.from(next), workflowKey, trigger);
    }

    /** The next due time of a trigger, when it has a schedule. */
    public java.util.Optional<Instant> nextDue(String workflowKey, String trigger) {
        return jdbc.query("select next_due from workflow_schedules where workflow_id = ? and trigger_name = ?",
                (rs, i) -> rs.getTimestamp(1).toInstant(), workflowKey, trigger).stream().findFirst();
    }
}
