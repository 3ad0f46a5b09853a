-- Planned maintenance of a cluster, in waves (one update domain per wave), advanced by the engine in the background.
-- state: Updating = wave `wave` is rebooting its VMs (wave_vms) until due_at; Pausing = between waves until due_at.
create table maintenance (
    id         text        primary key,
    region     text        not null,
    cluster    text        not null,
    state      text        not null check (state in ('Updating', 'Pausing', 'Completed')),
    waves      integer     not null check (waves > 0),
    wave       integer     not null check (wave >= 0),
    wave_vms   text[]      not null,
    pause_ms   bigint      not null check (pause_ms >= 0),
    due_at     timestamptz not null,
    started_at timestamptz not null
);
-- at most one running maintenance per cluster
create unique index maintenance_running on maintenance (region, cluster) where state <> 'Completed';
create index maintenance_due on maintenance (due_at) where state <> 'Completed';
