package dev.cirrus.appservice.webjob;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code webjob_runs} and {@code webjob_stopped} tables (db/migration/V5__webjobs.sql). */
@Repository
class WebJobRepository {

    /** One run of a triggered job. */
    record Run(String id, String siteKey, String job, String status, String trigger, Instant startedAt,
               Instant endedAt, Integer exitCode, String output) {
    }

    private final JdbcTemplate jdbc;

    WebJobRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Run r) {
        jdbc.update("insert into webjob_runs(id, site_key, job_name, status, run_trigger, started_at) values "
                + "(?,?,?,?,?,?)", r.id(), r.siteKey(), r.job(), r.status(), r.trigger(), Timestamp.from(r.startedAt()));
    }

    void end(Run r) {
        jdbc.update("update webjob_runs set status = ?, ended_at = ?, exit_code = ?, output = ? where site_key = ? and "
                + "job_name = ? and id = ?", r.status(), Timestamp.from(r.endedAt()), r.exitCode(), r.output(),
                r.siteKey(), r.job(), r.id());
    }

    /** A job's runs, newest first, at most {@code limit}. */
    List<Run> runs(String siteKey, String job, int limit) {
        return jdbc.query("select * from webjob_runs where site_key = ? and job_name = ? order by started_at desc, id "
                + "desc limit ?", (rs, i) -> new Run(rs.getString("id"), rs.getString("site_key"),
                rs.getString("job_name"), rs.getString("status"), rs.getString("run_trigger"),
                rs.getTimestamp("started_at").toInstant(), rs.getTimestamp("ended_at") == null ? null
                : rs.getTimestamp("ended_at").toInstant(), (Integer) rs.getObject("exit_code"),
                rs.getString("output")), siteKey, job, limit);
    }

    Optional<Run> run(String siteKey, String job, String id) {
        return runs(siteKey, job, Integer.MAX_VALUE).stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** Runs left Running by a stop of this service: they ended with it. */
    void endAbandoned(Instant now) {
        jdbc.update("update webjob_runs set status = 'Failed', ended_at = ?, output = output || ? where status = "
                + "'Running'", Timestamp.from(now), "\n(the run ended when app-service stopped)");
    }

    /** Runs beyond the newest {@code keep} of a job are forgotten ({@code WEBJOBS_HISTORY_SIZE}). */
    void trim(String siteKey, String job, int keep) {
        jdbc.update("delete from webjob_runs where site_key = ? and job_name = ? and id not in (select id from "
                + "webjob_runs where site_key = ? and job_name = ? order by started_at desc, id desc limit ?)",
                siteKey, job, siteKey, job, keep);
    }

    boolean stopped(String siteKey, String job) {
        Integer n = jdbc.queryForObject("select count(*) from webjob_stopped where site_key = ? and job_name = ?",
                Integer.class, siteKey, job.toLowerCase(java.util.Locale.ROOT));
        return n != null && n > 0;
    }

    void setStopped(String siteKey, String job, boolean stopped) {
        String name = job.toLowerCase(java.util.Locale.ROOT);
        if (stopped) {
            jdbc.update("insert into webjob_stopped(site_key, job_name) values (?, ?) on conflict do nothing", siteKey,
                    name);
        } else {
            jdbc.update("delete from webjob_stopped where site_key = ? and job_name = ?", siteKey, name);
        }
    }

    /** A site's rows gone with it. */
    void deleteSite(String siteKey) {
        jdbc.update("delete from webjob_runs where site_key = ?", siteKey);
        jdbc.update("delete from webjob_stopped where site_key = ?", siteKey);
    }
}
