-- compute-vm, issue 5: power actions, availability sets, platform events (service healing, maintenance).

-- The availability set a VM was created in (lower-cased id, the id as the set spells it, and its domain counts, which
-- never change), and what the platform last did to the VM on its own: service healing, a maintenance reboot, or a
-- host it is stranded on.
alter table virtual_machines
    add column availability_set_key text,
    add column availability_set_id  text,
    add column availability_set_fd  integer,
    add column availability_set_ud  integer,
    add column platform_status      text,        -- ServiceHealing | ServiceHealed | MaintenanceRebooting
                                                  -- | MaintenanceCompleted | Stranded, or null
    add column platform_message     text,
    add column platform_status_at   timestamptz;
create index virtual_machines_by_set on virtual_machines (availability_set_key) where availability_set_key is not null;
-- quota: the vCPUs a subscription holds in a region
create index virtual_machines_by_region on virtual_machines (subscription_key, location);

create table availability_sets (
    resource_key        text        primary key,   -- lower-cased ARM id
    subscription_key    text        not null,
    resource_group_key  text        not null,
    subscription_id     text        not null,
    resource_group      text        not null,
    name                text        not null,
    location            text        not null,
    sku                 text        not null,      -- Aligned | Classic
    fault_domain_count  integer     not null,
    update_domain_count integer     not null,
    tags                jsonb       not null,
    etag                text        not null
);
create index availability_sets_by_group on availability_sets (subscription_key, resource_group_key, resource_key);
create index availability_sets_by_subscription on availability_sets (subscription_key, resource_key);
