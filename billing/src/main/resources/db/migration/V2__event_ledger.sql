-- billing, every family: the meters are derived from a ledger of accepted events, so that the totals are a function
-- of the SET of events (not of their order, batching or replays). Replaces the VM-only meter of V1: its intervals
-- were derived state and cannot be turned back into events; billing data of a pre-0.2 run starts empty.
drop table vm_usage_interval;
drop table vm_meter;

-- Transitions of interval-metered resources (VMs, scale-set instances, Batch nodes, container groups, App Service
-- plans): from occurred_at on, the resource accrues at its meter_rate rows (none: not billed), until its next transition.
create table meter_transition (
    event_id         text primary key,
    resource_key     text        not null,   -- lower-cased ARM id (the events' Kafka key)
    resource_id      text        not null,   -- as the user cased it
    resource_type    text        not null,   -- Microsoft.Compute/virtualMachines ...
    subscription_key text        not null,   -- lower-cased subscription id
    subscription_id  text        not null,
    resource_group   text        not null,
    resource_name    text        not null,
    location         text,
    event_type       text        not null,
    occurred_at      timestamptz not null,   -- to the millisecond
    ends_resource    boolean     not null    -- deletion: sorts after other transitions of the same instant
);
create index meter_transition_by_subscription on meter_transition (subscription_key, occurred_at);

-- What a resource accrues from a transition on: quantity_per_hour units of unit_of_measure per hour, at unit_price.
create table meter_rate (
    event_id          text    not null references meter_transition (event_id),
    meter_category    text    not null,
    meter_name        text    not null,
    unit_of_measure   text    not null,
    unit_price        numeric not null check (unit_price >= 0),
    quantity_per_hour numeric not null check (quantity_per_hour >= 0),
    primary key (event_id, meter_name)
);

-- Per-execution meters (Functions executions and GB-seconds, Logic Apps actions), summed per resource, UTC day and
-- meter. Each event is added once (the inbox row of consumer billing-meter is written in the same transaction), and
-- addition commutes: the sums do not depend on the order of the events.
create table execution_usage (
    resource_key     text    not null,
    usage_date       date    not null,
    meter_name       text    not null,
    meter_category   text    not null,
    unit_of_measure  text    not null,
    resource_id      text    not null,
    resource_type    text    not null,
    subscription_key text    not null,
    subscription_id  text    not null,
    resource_group   text    not null,
    resource_name    text    not null,
    location         text,
    quantity         numeric not null check (quantity >= 0),   -- exact, in unit_of_measure
    events           bigint  not null,
    primary key (resource_key, usage_date, meter_name)
);
create index execution_usage_by_subscription on execution_usage (subscription_key, usage_date);

-- Events billing could not meter, with the reason: never dropped silently, never retried forever.
create table rejected_event (
    topic          text        not null,
    kafka_partition int        not null,
    kafka_offset   bigint      not null,
    event_id       text,
    event_type     text,
    subject        text,
    reason         text        not null,
    payload        text        not null,
    rejected_at    timestamptz not null default now(),
    primary key (topic, kafka_partition, kafka_offset)
);
