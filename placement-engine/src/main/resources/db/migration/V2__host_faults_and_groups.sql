-- Host faults and drains, and the group a VM belongs to.

-- Failed: the host is down (an operator said so); its VMs were moved off where possible, the rest are stranded on
-- it. Drained: the host takes no new VMs and its VMs were moved off. Both take no new VMs until recovered.
alter table host drop constraint host_state_check;
alter table host add constraint host_state_check check (state in ('InService', 'Failed', 'Drained', 'Retired'));

-- The VM's group as the request described it, so that a VM moved off a failed host keeps its set's rules.
-- Null for standalone VMs (and for group VMs placed before this migration, which are then moved as standalone).
alter table allocation add column group_kind text check (group_kind in ('AVAILABILITY_SET', 'SCALE_SET'));
alter table allocation add column group_fault_domains integer;
alter table allocation add column group_update_domains integer;
create index allocation_by_group on allocation (group_id) where group_id is not null;
