-- The CPU time the processes of a site on a Free or Shared plan used in one UTC day, and when it used up the tier's
-- daily quota (from then until the day ends the site's processes do not run and its host answers 403).
create table site_cpu_usage (
    site_key    text        not null,
    day         date        not null,
    cpu_millis  bigint      not null,
    exceeded_at timestamptz,
    primary key (site_key, day)
);
