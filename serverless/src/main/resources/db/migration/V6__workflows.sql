-- Logic Apps (Microsoft.Logic/workflows): the workflows, their versions, and the durable state of their runs: a run
-- is a row, each execution of an action (one per Foreach repetition) is a row the engine's workers claim with
-- FOR UPDATE SKIP LOCKED (dev.cirrus.serverless.workflow.engine).
-- JSON is stored as json, not jsonb: member order is the user's and Azure keeps it.
create table workflows (
    id              text primary key,          -- the ARM id in lower case
    resource_id     text        not null,      -- the ARM id as first written
    subscription_id text        not null,
    resource_group  text        not null,
    name            text        not null,
    location        text        not null,
    state           text        not null,      -- Enabled | Disabled
    definition      json       not null,
    parameters      json       not null,      -- the workflow's parameter values: {"name": {"type","value"}}
    tags            json       not null,
    access_id       text        not null unique, -- the callback URLs' /workflows/{access_id}
    access_key      text        not null,      -- the HMAC key of the callback URLs' sig
    version         text        not null,
    created_at      timestamptz not null,
    changed_at      timestamptz not null,
    etag            text        not null
);
create index workflows_by_group on workflows (lower(subscription_id), lower(resource_group), id);

create table workflow_versions (
    workflow_id text        not null references workflows (id) on delete cascade,
    version     text        not null,
    state       text        not null,
    definition  json       not null,
    parameters  json       not null,
    created_at  timestamptz not null,
    changed_at  timestamptz not null,
    primary key (workflow_id, version)
);

create table workflow_runs (
    workflow_id   text        not null references workflows (id) on delete cascade,
    name          text        not null,      -- reverse ticks: newest first in name order
    version       text        not null,
    status        text        not null,      -- Running | Succeeded | Failed | Cancelled | TimedOut
    trigger       json       not null,      -- the trigger record: name, inputs, outputs, startTime, endTime, status
    error         json,
    outputs       json,
    response      json,                     -- a Response action's answer to a synchronous Request trigger
    variables     json       not null default '{}', -- the run's variables, changed by the variable actions
    start_time    timestamptz not null,
    end_time      timestamptz,
    primary key (workflow_id, name)
);

-- one execution of one action; repetition is '' at top level, else the loop indexes ("000002" or "000002-000000")
create table workflow_run_actions (
    workflow_id  text        not null,
    run_name     text        not null,
    name         text        not null,
    repetition   text        not null,
    status       text        not null,      -- Ready | Running | Waiting | Succeeded | Failed | Skipped | TimedOut | Cancelled
    inputs       json,
    outputs      json,
    error        json,
    state        json,                     -- a container's progress (next index of a Foreach, count of an Until)
    attempts     integer     not null default 0,
    due_at       timestamptz not null,      -- runnable from then on (a retry's or a Wait's time)
    start_time   timestamptz,
    end_time     timestamptz,
    seq          bigserial,
    primary key (workflow_id, run_name, name, repetition),
    foreign key (workflow_id, run_name) references workflow_runs (workflow_id, name) on delete cascade
);
create index workflow_run_actions_ready on workflow_run_actions (due_at) where status = 'Ready';

create table workflow_trigger_histories (
    workflow_id  text        not null references workflows (id) on delete cascade,
    trigger_name text        not null,
    name         text        not null,
    status       text        not null,      -- Succeeded | Failed | Skipped
    fired        boolean     not null,
    run_name     text,
    inputs       json,
    outputs      json,
    error        json,
    start_time   timestamptz not null,
    end_time     timestamptz not null,
    primary key (workflow_id, trigger_name, name)
);

-- a Recurrence or polling trigger's next due time, persisted so a restart neither misses nor doubles a run
create table workflow_schedules (
    workflow_id  text        not null references workflows (id) on delete cascade,
    trigger_name text        not null,
    next_due     timestamptz not null,
    primary key (workflow_id, trigger_name)
);
