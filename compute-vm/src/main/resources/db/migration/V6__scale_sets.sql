-- compute-vm: virtual machine scale sets. Their instances are rows of virtual_machines (same state machine, same
-- worker, same placement, healing and billing paths), marked with the set they belong to.

create table scale_sets (
    resource_key         text        primary key,   -- lower-cased ARM id
    subscription_key     text        not null,
    resource_group_key   text        not null,
    subscription_id      text        not null,
    resource_group       text        not null,
    name                 text        not null,
    location             text        not null,
    unique_id            uuid        not null unique,
    orchestration_mode   text        not null,      -- Uniform | Flexible (never changes)
    sku_name             text,                      -- the instances' size; null for a Flexible set without a profile
    sku_tier             text,
    capacity             bigint      not null,
    fault_domain_count   integer     not null,
    settings             jsonb       not null,      -- singlePlacementGroup, overprovision, upgradePolicy, scaleInPolicy
    vm_profile           jsonb,                     -- virtualMachineProfile as accepted (no write-only values)
    computer_name_prefix text,                      -- osProfile.computerNamePrefix (instances: prefix + 6 base-36 digits)
    zones                jsonb,
    model_version        integer     not null,      -- +1 whenever the profile changes: latestModelApplied
    next_instance_id     bigint      not null,      -- instance ids only grow (gaps are normal)
    tags                 jsonb       not null,
    provisioning_state   text        not null,
    operation_id         uuid,                      -- the set's own long-running operation, if one runs
    wanted_instances     integer,                   -- while one runs: how many instances the set must end with
    rolling              boolean     not null default false, -- the running operation is a rolling upgrade
    rolling_next_at      timestamptz,               -- rolling: when the next batch may start (null: a batch runs)
    error_code           text,
    error_message        text,
    etag                 text        not null,
    time_created         timestamptz not null
);
create index scale_sets_by_group on scale_sets (subscription_key, resource_group_key, resource_key);
create index scale_sets_by_subscription on scale_sets (subscription_key, resource_key);
create index scale_sets_busy on scale_sets (operation_id) where operation_id is not null;

-- an instance: scale_set_key (lower-cased set id) for both modes; uniform_scale_set is the set's name for a Uniform
-- instance, whose id is …/virtualMachineScaleSets/{set}/virtualMachines/{instance id} (name holds the instance id)
alter table virtual_machines
    add column scale_set_key            text,
    add column scale_set_id             text,
    add column scale_set_fd             integer,
    add column uniform_scale_set        text,
    add column instance_seq             bigint,    -- the instance id as a number: scale-in order, listings
    add column model_version            integer,
    add column protect_from_scale_in    boolean not null default false,
    add column protect_from_set_actions boolean not null default false;
create index virtual_machines_by_scale_set on virtual_machines (scale_set_key, instance_seq)
    where scale_set_key is not null;
