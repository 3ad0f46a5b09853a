-- Function apps (Microsoft.Web/sites of kind functionapp), their functions, executions and timer ticks.
create table function_apps (
    id              text primary key,          -- the lower-cased ARM resource id
    resource_id     text        not null,      -- the resource id as the user spelled it
    subscription_id text        not null,
    resource_group  text        not null,
    name            text        not null,
    name_key        text        not null unique, -- lower(name): app names are host names, unique in the cloud
    location        text        not null,
    kind            text        not null,
    state           text        not null,      -- Running | Stopped
    server_farm_id  text,                      -- a dedicated plan, or null for the consumption plan
    tags            jsonb       not null,
    app_settings    jsonb       not null,
    host_json       jsonb       not null,
    master_key      text        not null,
    host_key        text        not null,
    created_at      timestamptz not null,
    version         bigint      not null       -- bumped on every change of code, settings or state
);

create table functions (
    app_id       text  not null references function_apps (id) on delete cascade,
    name_key     text  not null,
    name         text  not null,
    config       jsonb not null,               -- function.json
    files        jsonb not null,               -- file name -> content
    function_key text  not null,
    primary key (app_id, name_key)
);

create table executions (
    seq          bigserial primary key,        -- paging order
    id           uuid        not null unique,  -- the invocation id
    app_id       text        not null,
    function_name text       not null,
    trigger_type text        not null,
    started_at   timestamptz not null,
    duration_ms  bigint      not null,
    memory_mb    integer     not null,
    status       text        not null,         -- Succeeded | Failed | TimedOut | MemoryExceeded
    cold_start   boolean     not null,
    error        text,
    logs         jsonb       not null
);
create index executions_by_app on executions (app_id, seq);

-- One row per timer tick that ran: the primary key makes a tick run once however many service replicas see it.
create table timer_ticks (
    app_id   text        not null,
    function_key text    not null,
    tick     timestamptz not null,
    primary key (app_id, function_key, tick)
);
