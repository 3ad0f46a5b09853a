-- Metrics and the load model (monitor/) and autoscale settings (autoscale/): compute-vm/README.md.

-- a load profile set on a VM, a scale set or a Uniform instance (scope_key: its lower-cased id)
create table load_profiles (
    scope_key     text        primary key,
    profile       jsonb       not null,      -- the properties as monitor/LoadProfileJson.java writes them
    etag          text        not null,
    time_modified timestamptz not null
);

-- one sample per running VM and minute of monitor time
create table metric_samples (
    resource_key           text             not null,
    scale_set_key          text,                        -- the instance's set (pooled for the set's metrics)
    display_name           text             not null,   -- VMName: the VM's name, or {set}_{instanceId}
    minute                 timestamptz      not null,   -- the minute's start
    percent_cpu            double precision not null,
    network_in_bytes       double precision not null,   -- bytes in that minute
    network_out_bytes      double precision not null,
    available_memory_bytes double precision not null,
    primary key (resource_key, minute)
);
create index metric_samples_by_set on metric_samples (scale_set_key, minute) where scale_set_key is not null;
create index metric_samples_by_minute on metric_samples (minute);

-- the sampler's mark: the last minute sampled (null before the first round)
create table metric_sampler_state (
    id          integer primary key check (id = 1),
    last_minute timestamptz
);
insert into metric_sampler_state (id, last_minute) values (1, null);

create table autoscale_settings (
    resource_key       text        primary key,   -- lower-cased ARM id
    subscription_key   text        not null,
    resource_group_key text        not null,
    subscription_id    text        not null,
    resource_group     text        not null,
    name               text        not null,
    location           text        not null,
    target_key         text        not null unique, -- one setting per target resource
    properties         jsonb       not null,      -- as accepted (autoscale/AutoscaleSettingJson.java)
    tags               jsonb       not null,
    etag               text        not null,
    time_created       timestamptz not null,
    last_scale_time    timestamptz                -- monitor time of the last scale action (cooldowns count from it)
);
create index autoscale_settings_by_group on autoscale_settings (subscription_key, resource_group_key, resource_key);
create index autoscale_settings_by_subscription on autoscale_settings (subscription_key, resource_key);

-- what autoscale did, in the activity log's shape (GET …/providers/Microsoft.Insights/eventtypes/management/values)
create table autoscale_history (
    id               uuid        primary key,
    subscription_key text        not null,
    subscription_id  text        not null,
    resource_group   text        not null,
    setting_id       text        not null,
    target_id        text        not null,
    event_time       timestamptz not null,
    operation        text        not null,   -- Scaleup | Scaledown
    status           text        not null,   -- Succeeded | Failed
    old_capacity     integer     not null,
    new_capacity     integer     not null,
    description      text        not null,
    profile_name     text        not null,
    notifications    jsonb       not null    -- webhooks posted (uri, status) and e-mails recorded
);
create index autoscale_history_by_subscription on autoscale_history (subscription_key, event_time);
