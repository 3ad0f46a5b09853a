-- the latest rolling upgrade of each scale set (GET …/rollingUpgrades/latest, POST …/rollingUpgrades/cancel):
-- scaleset/RollingUpgrades.java
create table rolling_upgrades (
    scale_set_key    text        primary key,
    status           text        not null,   -- RollingForward | Cancelled | Completed | Faulted
    start_time       timestamptz not null,
    last_action      text        not null,   -- Start | Cancel
    last_action_time timestamptz not null,
    error_code       text,
    error_message    text
);
