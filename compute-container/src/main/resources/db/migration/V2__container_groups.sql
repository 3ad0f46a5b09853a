-- Container groups (Microsoft.ContainerInstance/containerGroups). Keyed as KeysetPage (plumbing) pages them:
-- lower-case ids. The group's definition (containers, volumes, ipAddress, credentials) is one JSON document, secure
-- values and registry passwords included: the service needs them to run the containers; the API never returns them.
create table container_groups (
    resource_key        text primary key,      -- the ARM id in lower case
    subscription_key    text        not null,  -- lower case
    resource_group_key  text        not null,  -- lower case
    resource_id         text        not null,  -- the ARM id as first written
    subscription_id     text        not null,
    resource_group      text        not null,
    name                text        not null,
    location            text        not null,  -- the ARM name of a region of the placement topology
    group_id            uuid        not null,  -- the platform's id of the group: the placement key, the Docker label
    spec                jsonb       not null,  -- ContainerGroupSpec
    cpu                 numeric     not null,  -- the vCPU the group requests (the regional quota counts it)
    memory_in_gb        numeric     not null,
    tags                jsonb       not null,
    provisioning_state  text        not null,  -- Creating, Updating, Succeeded, Failed
    state               text        not null,  -- the instance view's state: Pending, Running, Succeeded, Failed, Stopped
    dns_label_key       text,                  -- lower-case {label}.{region}: unique while the group exists
    host                text,                  -- the placement engine's host, while placed
    rack                text,
    cluster             text,
    fault_domain        integer,
    published_ports     jsonb       not null default '{}'::jsonb,  -- container port -> host port on 127.0.0.1
    operation_id        uuid,                  -- the operation under way, or null
    failure_code        text,
    failure_message     text,
    created_at          timestamptz not null,
    last_modified       timestamptz not null,
    state_changed_at    timestamptz not null,
    etag                text        not null
);
create unique index container_groups_by_group_id on container_groups (group_id);
create index container_groups_by_group on container_groups (subscription_key, resource_group_key, resource_key);
create unique index container_groups_dns_label on container_groups (dns_label_key) where dns_label_key is not null;

-- The instance view of each container of a group: what the runtime last observed (group/GroupMonitor).
create table container_states (
    resource_key   text    not null references container_groups (resource_key) on delete cascade,
    container_name text    not null,
    docker_id      text,
    restart_count  integer not null default 0,
    current_state  jsonb,
    previous_state jsonb,
    events         jsonb   not null default '[]'::jsonb,
    primary key (resource_key, container_name)
);

-- ARM long-running operations (Azure-AsyncOperation) of container groups; InProgress ones are the worker's queue.
create table operations (
    id               uuid primary key,
    subscription_key text        not null,
    location         text        not null,
    resource_key     text        not null,
    kind             text        not null,   -- Create, Start, Restart, Delete
    status           text        not null,   -- InProgress, Succeeded, Failed, Canceled
    start_time       timestamptz not null,
    end_time         timestamptz,
    next_attempt_at  timestamptz,
    attempts         integer     not null default 0,
    last_error       text,
    error_code       text,
    error_message    text
);
create index operations_due on operations (next_attempt_at) where status = 'InProgress';
