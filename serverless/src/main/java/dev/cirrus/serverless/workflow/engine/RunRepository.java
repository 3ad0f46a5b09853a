package dev.cirrus.serverless.workflow.engine;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The durable state of runs (db/migration/V6__workflows.sql): {@code workflow_runs}, {@code workflow_run_actions}
 * (one row per execution of an action, per repetition) and {@code workflow_trigger_histories}.
 */
@Repository
public class RunRepository {

    /** A run. */
    public record Run(String workflowKey, String name, String version, String status, JsonNode trigger,
                      JsonNode error, JsonNode outputs, JsonNode response, JsonNode variables, Instant startTime,
                      Instant endTime) {

        public boolean running() {
            return "Running".equals(status);
        }
    }

    /** One execution of one action. */
    public record ActionRow(String workflowKey, String run, String name, String repetition, String status,
                            JsonNode inputs, JsonNode outputs, JsonNode error, JsonNode state, int attempts,
                            Instant dueAt, Instant startTime, Instant endTime) {

        ActionRow with(String newStatus, JsonNode newInputs, JsonNode newOutputs, JsonNode newError, JsonNode newState,
                       int newAttempts, Instant newDue, Instant newStart, Instant newEnd) {
            return new ActionRow(workflowKey, run, name, repetition, newStatus, newInputs, newOutputs, newError,
                    newState, newAttempts, newDue, newStart, newEnd);
        }

        public boolean terminal() {
            return Engine.TERMINAL.contains(status);
        }
    }

    /** A trigger history: one firing (or skipped check) of a trigger. */
    public record History(String workflowKey, String trigger, String name, String status, boolean fired,
                          String runName, JsonNode inputs, JsonNode outputs, JsonNode error, Instant startTime,
                          Instant endTime) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    RunRepository(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insertRun(Run r) {
        jdbc.update("insert into workflow_runs(workflow_id, name, version, status, trigger, error, outputs, response,"
                        + " variables, start_time, end_time) values (?,?,?,?,?::json,?::json,?::json,?::json,?::json,?,?)",
                r.workflowKey(), r.name(), r.version(), r.status(), write(r.trigger()), write(r.error()),
                write(r.outputs()), write(r.response()), write(r.variables()), Timestamp.from(r.startTime()),
                ts(r.endTime()));
    }

    void updateRun(Run r) {
        jdbc.update("update workflow_runs set status = ?, error = ?::json, outputs = ?::json, response = ?::json,"
                        + " variables = ?::json, end_time = ? where workflow_id = ? and name = ?", r.status(),
                write(r.error()), write(r.outputs()), write(r.response()), write(r.variables()), ts(r.endTime()),
                r.workflowKey(), r.name());
    }

    public Optional<Run> findRun(String workflowKey, String name) {
        return jdbc.query("select * from workflow_runs where workflow_id = ? and name = ?", this::mapRun, workflowKey,
                name).stream().findFirst();
    }

    Optional<Run> findRunForUpdate(String workflowKey, String name) {
        return jdbc.query("select * from workflow_runs where workflow_id = ? and name = ? for update", this::mapRun,
                workflowKey, name).stream().findFirst();
    }

    /** Runs newest first (names are reverse ticks), optionally of one status, after {@code afterName}. */
    public List<Run> listRuns(String workflowKey, String statusOrNull, String afterName, int limit) {
        String after = afterName == null ? "" : afterName;
        if (statusOrNull == null) {
            return jdbc.query("select * from workflow_runs where workflow_id = ? and name > ? order by name limit ?",
                    this::mapRun, workflowKey, after, limit);
        }
        return jdbc.query("select * from workflow_runs where workflow_id = ? and status = ? and name > ?"
                + " order by name limit ?", this::mapRun, workflowKey, statusOrNull, after, limit);
    }

    /** Inserts the row unless it exists (a repetition started twice by a resumed step is started once). */
    boolean insertAction(ActionRow a) {
        return jdbc.update("insert into workflow_run_actions(workflow_id, run_name, name, repetition, status, inputs,"
                        + " outputs, error, state, attempts, due_at, start_time, end_time)"
                        + " values (?,?,?,?,?,?::json,?::json,?::json,?::json,?,?,?,?) on conflict do nothing",
                a.workflowKey(), a.run(), a.name(), a.repetition(), a.status(), write(a.inputs()), write(a.outputs()),
                write(a.error()), write(a.state()), a.attempts(), Timestamp.from(a.dueAt()), ts(a.startTime()),
                ts(a.endTime())) > 0;
    }

    void updateAction(ActionRow a) {
        jdbc.update("update workflow_run_actions set status = ?, inputs = ?::json, outputs = ?::json,"
                        + " error = ?::json, state = ?::json, attempts = ?, due_at = ?, start_time = ?, end_time = ?"
                        + " where workflow_id = ? and run_name = ? and name = ? and repetition = ?", a.status(),
                write(a.inputs()), write(a.outputs()), write(a.error()), write(a.state()), a.attempts(),
                Timestamp.from(a.dueAt()), ts(a.startTime()), ts(a.endTime()), a.workflowKey(), a.run(), a.name(),
                a.repetition());
    }

    /** Every action row of a run, in the order they were created. */
    public List<ActionRow> actions(String workflowKey, String run) {
        return jdbc.query("select * from workflow_run_actions where workflow_id = ? and run_name = ? order by seq",
                this::mapAction, workflowKey, run);
    }

    Optional<ActionRow> actionForUpdate(String workflowKey, String run, String name, String repetition) {
        return jdbc.query("select * from workflow_run_actions where workflow_id = ? and run_name = ? and name = ?"
                + " and repetition = ? for update", this::mapAction, workflowKey, run, name, repetition).stream()
                .findFirst();
    }

    /**
     * One runnable row and its run, both locked (a step holds its run: one step of a run at a time, and a cancel,
     * which locks the run first, never waits in a cycle with a step), skipped by other workers: a Ready row that is due, or a Running one whose lease ran
     * out (an external action a crashed worker had started), of a running run.
     */
    Optional<ActionRow> claim(Instant now) {
        return jdbc.query("select a.* from workflow_run_actions a join workflow_runs r on r.workflow_id = a.workflow_id"
                        + " and r.name = a.run_name where a.status in ('Ready', 'Running') and a.due_at <= ?"
                        + " and r.status = 'Running' order by a.due_at limit 1 for update of a, r skip locked",
                this::mapAction, Timestamp.from(now)).stream().findFirst();
    }

    /** The actions of a run that never finished, marked Cancelled (a cancel or a Terminate). */
    void cancelPending(String workflowKey, String run, Instant now) {
        jdbc.update("update workflow_run_actions set status = 'Cancelled', end_time = ? where workflow_id = ?"
                + " and run_name = ? and status in ('Ready', 'Running', 'Waiting')", Timestamp.from(now), workflowKey, run);
    }

    void insertHistory(History h) {
        jdbc.update("insert into workflow_trigger_histories(workflow_id, trigger_name, name, status, fired, run_name,"
                        + " inputs, outputs, error, start_time, end_time) values (?,?,?,?,?,?,?::json,?::json,?::json,?,?)",
                h.workflowKey(), h.trigger(), h.name(), h.status(), h.fired(), h.runName(), write(h.inputs()),
                write(h.outputs()), write(h.error()), Timestamp.from(h.startTime()), Timestamp.from(h.endTime()));
    }

    public List<History> histories(String workflowKey, String trigger, String afterName, int limit) {
        return jdbc.query("select * from workflow_trigger_histories where workflow_id = ? and trigger_name = ?"
                        + " and name > ? order by name limit ?", this::mapHistory, workflowKey, trigger,
                afterName == null ? "" : afterName, limit);
    }

    public Optional<History> history(String workflowKey, String trigger, String name) {
        return jdbc.query("select * from workflow_trigger_histories where workflow_id = ? and trigger_name = ?"
                + " and name = ?", this::mapHistory, workflowKey, trigger, name).stream().findFirst();
    }

    public Optional<History> lastHistory(String workflowKey, String trigger) {
        return histories(workflowKey, trigger, null, 1).stream().findFirst();
    }

    private String write(JsonNode node) {
        return node == null ? null : json.writeValueAsString(node);
    }

    private JsonNode read(ResultSet rs, String column) throws SQLException {
        String text = rs.getString(column);
        return text == null ? null : json.readTree(text);
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private Run mapRun(ResultSet rs, int row) throws SQLException {
        return new Run(rs.getString("workflow_id"), rs.getString("name"), rs.getString("version"),
                rs.getString("status"), read(rs, "trigger"), read(rs, "error"), read(rs, "outputs"),
                read(rs, "response"), read(rs, "variables"), instant(rs, "start_time"), instant(rs, "end_time"));
    }

    private ActionRow mapAction(ResultSet rs, int row) throws SQLException {
        return new ActionRow(rs.getString("workflow_id"), rs.getString("run_name"), rs.getString("name"),
                rs.getString("repetition"), rs.getString("status"), read(rs, "inputs"), read(rs, "outputs"),
                read(rs, "error"), read(rs, "state"), rs.getInt("attempts"), instant(rs, "due_at"),
                instant(rs, "start_time"), instant(rs, "end_time"));
    }

    private History mapHistory(ResultSet rs, int row) throws SQLException {
        return new History(rs.getString("workflow_id"), rs.getString("trigger_name"), rs.getString("name"),
                rs.getString("status"), rs.getBoolean("fired"), rs.getString("run_name"), read(rs, "inputs"),
                read(rs, "outputs"), read(rs, "error"), instant(rs, "start_time"), instant(rs, "end_time"));
    }
}
