-- fault-injection rules (/cirrus/faults): kept until they expire, so they survive a restart of the gateway
create table fault_rules (
    id             uuid primary key,
    kind           text not null,             -- error, latency, drop, regionOutage
    service        text,                      -- null: any
    resource_type  text,                      -- Namespace/type; null: any
    operation      text,                      -- HTTP method or action name; null: any
    probability    numeric(7, 6) not null,    -- (0, 1]
    error_status   int,
    error_code     text,
    error_message  text,
    latency_ms     bigint,
    region         text,
    racks          text not null default '', -- regionOutage: the racks it failed, "cluster/rack" joined by ","
    created_at     timestamptz not null,
    expires_at     timestamptz not null
);
create index fault_rules_by_expiry on fault_rules (expires_at);
