-- WebJobs: the runs of triggered jobs (Kudu's history) and the continuous jobs stopped through the API.
create table webjob_runs (
    id          text        not null,      -- Kudu's run id (the start time, yyyyMMddHHmmssSSS)
    site_key    text        not null,      -- the site's (or slot's) lower-case ARM id
    job_name    text        not null,
    status      text        not null,      -- Running, Success, Failed
    run_trigger text        not null,      -- e.g. "External - Kudu API", "Schedule - 0 */5 * * * *"
    started_at  timestamptz not null,
    ended_at    timestamptz,
    exit_code   integer,
    output      text        not null default '', -- the run's output (its last 64 KB)
    primary key (site_key, job_name, id)
);
create index webjob_runs_by_job on webjob_runs (site_key, job_name, started_at desc);

create table webjob_stopped (
    site_key text not null,
    job_name text not null,
    primary key (site_key, job_name)
);
