-- compute-vm, VM slice: virtual machines and the ARM long-running operations that change them.

-- One row per VM. ARM matches ids case-insensitively but echoes the casing last supplied, so the key columns are
-- lower-cased and the display columns keep the user's casing.
create table virtual_machines (
    resource_key       text        primary key,   -- lower-cased ARM id
    subscription_key   text        not null,      -- lower-cased subscription id, for listings
    resource_group_key text        not null,      -- lower-cased resource group, for listings
    subscription_id    text        not null,
    resource_group     text        not null,
    name               text        not null,
    location           text        not null,      -- normalised: lower-case, no spaces
    vm_id              uuid        not null unique,
    vm_size            text        not null,
    vcpus              integer     not null,      -- of the size when the VM was created: what its events report
    memory_mib         integer     not null,
    profile            jsonb       not null,      -- hardware/storage/os/network profiles; never the admin password
    tags               jsonb       not null,
    zones              jsonb,
    provisioning_state text        not null,
    power_state        text,
    host               text,
    cluster            text,
    rack               text,
    fault_domain       integer,
    update_domain      integer,
    error_code         text,                      -- why the last operation failed, while provisioning_state = Failed
    error_message      text,
    operation_id       uuid,                      -- the long-running operation in flight, if any
    etag               text        not null,      -- changes on every write
    time_created       timestamptz not null,
    state_changed_at   timestamptz not null
);
create index virtual_machines_by_subscription on virtual_machines (subscription_key, resource_key);
create index virtual_machines_by_group on virtual_machines (subscription_key, resource_group_key, resource_key);

-- ARM operation-status resources. An InProgress operation is also the provisioning worker's to-do item: the worker
-- claims it by moving next_attempt_at forward (a lease), so a restarted service resumes whatever was in flight.
create table operations (
    id               uuid        primary key,
    subscription_key text        not null,
    location         text        not null,
    resource_key     text        not null,
    kind             text        not null,        -- Create | Delete
    status           text        not null,        -- InProgress | Succeeded | Failed | Canceled
    start_time       timestamptz not null,
    end_time         timestamptz,
    error_code       text,
    error_message    text,
    next_attempt_at  timestamptz,                 -- InProgress only: when the worker acts on it next
    attempts         integer     not null default 0,
    last_error       text                         -- the last transient failure, for diagnosis
);
create index operations_due on operations (next_attempt_at) where status = 'InProgress';
