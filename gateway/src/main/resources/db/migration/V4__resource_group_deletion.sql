-- A resource group DELETE is asynchronous: the group stays, Deleting, under its operation until every resource in
-- it has been deleted through its owning service; then the row goes and the operation succeeds.
alter table resource_groups add column delete_operation_id text;
create index resource_groups_deleting on resource_groups (changed_at) where delete_operation_id is not null;
