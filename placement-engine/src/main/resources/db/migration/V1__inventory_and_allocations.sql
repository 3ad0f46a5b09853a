-- The placement engine's inventory and allocations.

-- One row per region of the inventory. A placement locks its region's row (select ... for update) for the length
-- of its transaction: placements in one region are serialized, so capacity is never over-committed, while
-- placements in different regions run in parallel.
create table region (
    name text primary key
);

-- Hosts, synced from the inventory file at start-up (upsert). A host that the file no longer lists is 'Retired':
-- it keeps its allocations but receives no new ones. fault_domain = the index of the host's rack in its cluster.
create table host (
    name         text        primary key,
    region       text        not null references region (name),
    cluster      text        not null,
    rack         text        not null,
    fault_domain integer     not null check (fault_domain >= 0),
    vcpus        integer     not null check (vcpus > 0),
    memory_mib   bigint      not null check (memory_mib > 0),
    state        text        not null check (state in ('InService', 'Retired')),
    synced_at    timestamptz not null
);
create index host_by_region on host (region, name);

-- One row per placed VM, keyed by its vmId. Where it was placed is copied from the host at placement time, so an
-- allocation reads the same even if the inventory later moves or retires its host.
create table allocation (
    vm_id         text        primary key,
    resource_id   text        not null,
    region        text        not null,
    cluster       text        not null,
    rack          text        not null,
    host          text        not null references host (name),
    fault_domain  integer     not null,
    update_domain integer     not null,
    size_name     text        not null,
    vcpus         integer     not null check (vcpus > 0),
    memory_mib    integer     not null check (memory_mib > 0),
    group_id      text,
    allocated_at  timestamptz not null
);
create index allocation_by_host on allocation (host);
