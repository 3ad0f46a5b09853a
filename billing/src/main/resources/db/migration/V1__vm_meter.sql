-- billing, VM metering. Times are stored to the millisecond (the meter truncates event times).

-- The meter of each VM: the last transition applied, so that events older than it (replays) are ignored.
create table vm_meter (
    vm_key             text primary key,      -- lower-cased ARM id of the VM (the events' Kafka key)
    last_transition_at timestamptz,
    last_event_id      text,
    last_event_type    text,
    power_state        text
);

-- Billed intervals: one row per stretch of time a VM spent in billed power states at one size and price.
-- An open interval (ended_at null) accrues up to "now" when usage is reported.
create table vm_usage_interval (
    id               bigserial primary key,
    vm_key           text        not null references vm_meter (vm_key),
    resource_id      text        not null,    -- the VM's ARM id as the user cased it
    subscription_key text        not null,    -- lower-cased subscription id, for look-ups
    subscription_id  text        not null,
    resource_group   text        not null,
    resource_name    text        not null,
    location         text        not null,    -- normalised: westeurope
    vm_size          text        not null,    -- as the price sheet names it
    hourly_price     numeric     not null check (hourly_price >= 0),   -- exact, from the price sheet
    currency         text        not null,
    started_at       timestamptz not null,
    ended_at         timestamptz,
    opened_by_event  text        not null,
    closed_by_event  text,
    check (ended_at is null or ended_at >= started_at)
);
create unique index vm_usage_interval_one_open_per_vm on vm_usage_interval (vm_key) where ended_at is null;
create index vm_usage_interval_by_subscription on vm_usage_interval (subscription_key, started_at);
