-- compute-vm: Azure Batch (package dev.cirrus.computevm.batch, compute-vm/README.md "Batch").

-- Microsoft.Batch/batchAccounts. endpoint_key = lower-cased "{name}.{location}": the account's data-plane host is
-- {name}.{location}.batch.{domain}, so a name is unique within a region.
create table batch_accounts (
    resource_key       text        primary key,   -- lower-cased ARM id
    subscription_key   text        not null,
    resource_group_key text        not null,
    subscription_id    text        not null,
    resource_group     text        not null,
    name               text        not null,
    location           text        not null,
    endpoint_key       text        not null unique,
    tags               jsonb       not null,
    properties         jsonb       not null,      -- the writable properties as the user last set them
    primary_key        text        not null,      -- base64 of 64 random bytes, Azure's key shape
    secondary_key      text        not null,
    etag               text        not null,
    created_at         timestamptz not null
);
create index batch_accounts_by_group on batch_accounts (subscription_key, resource_group_key, resource_key);
create index batch_accounts_by_subscription on batch_accounts (subscription_key, resource_key);

-- Data plane: pools, their nodes, jobs and tasks. Ids are matched case-insensitively (id_key) and kept as given.
create table batch_pools (
    account_key      text        not null references batch_accounts (resource_key) on delete cascade,
    id_key           text        not null,
    id               text        not null,
    spec             jsonb       not null,        -- the pool as added (vmSize, startTask, taskSlotsPerNode, ...)
    state            text        not null,        -- active | deleting
    allocation_state text        not null,        -- steady | resizing | stopping
    allocation_state_time timestamptz not null,
    target_dedicated integer     not null,
    target_low_priority integer  not null,
    deallocation_option text,                      -- of the running resize: requeue | terminate | taskcompletion | retaineddata
    resize_errors    jsonb       not null default '[]',
    etag             text        not null,
    created_at       timestamptz not null,
    last_modified    timestamptz not null,
    primary key (account_key, id_key)
);

create table batch_nodes (
    account_key      text        not null,
    pool_key         text        not null,
    node_id          text        not null,        -- tvmps_{uuid without dashes}, Azure's node id shape
    vm_id            uuid        not null unique, -- the placement engine's allocation key
    dedicated        boolean     not null,
    state            text        not null,        -- creating | starting | waitingforstarttask | idle | running | rebooting
                                                  -- | leavingpool | starttaskfailed | unusable
    scheduling_state text        not null,        -- enabled | disabled
    host             text,
    fault_domain     integer,
    update_domain    integer,
    state_time       timestamptz not null,
    allocation_time  timestamptz not null,
    start_task_info  jsonb,
    ordinal          bigserial,
    primary key (account_key, pool_key, node_id),
    foreign key (account_key, pool_key) references batch_pools (account_key, id_key) on delete cascade
);

create table batch_jobs (
    account_key      text        not null references batch_accounts (resource_key) on delete cascade,
    id_key           text        not null,
    id               text        not null,
    spec             jsonb       not null,
    pool_key         text        not null,
    state            text        not null,        -- active | disabled | terminating | completed | deleting
    state_time       timestamptz not null,
    terminate_reason text,
    end_time         timestamptz,
    etag             text        not null,
    created_at       timestamptz not null,
    last_modified    timestamptz not null,
    primary key (account_key, id_key)
);

create table batch_tasks (
    account_key      text        not null,
    job_key          text        not null,
    id_key           text        not null,
    id               text        not null,
    seq              bigserial,                   -- queue order
    spec             jsonb       not null,
    state            text        not null,        -- active | running | completed
    state_time       timestamptz not null,
    node_id          text,
    pool_key         text,
    retry_count      integer     not null default 0,
    requeue_count    integer     not null default 0,
    exit_code        integer,
    result           text,                        -- success | failure
    failure_info     jsonb,
    start_time       timestamptz,
    end_time         timestamptz,
    scheduled_at     timestamptz,                 -- when the scheduler gave it a node
    etag             text        not null,
    created_at       timestamptz not null,
    last_modified    timestamptz not null,
    primary key (account_key, job_key, id_key),
    foreign key (account_key, job_key) references batch_jobs (account_key, id_key) on delete cascade
);
create index batch_tasks_active on batch_tasks (account_key, seq) where state = 'active';
create index batch_tasks_on_node on batch_tasks (account_key, node_id) where state = 'running';
