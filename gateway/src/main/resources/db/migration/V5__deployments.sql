-- template deployments (Microsoft.Resources/deployments) at resource-group and subscription scope
create table deployments (
    id_key      text primary key,          -- the deployment's id in lower case
    scope_key   text not null,             -- the scope's id (subscription or resource group) in lower case
    name        text not null,
    state       text not null,             -- provisioningState: Accepted, Running, Succeeded, Failed, Canceled
    template    jsonb not null,
    resource    jsonb not null,            -- the deployment as GET answers it (secure values never stored)
    created_at  timestamptz not null,
    changed_at  timestamptz not null
);
create index deployments_by_scope on deployments (scope_key);

create table deployment_operations (
    deployment_key text not null references deployments (id_key) on delete cascade,
    operation_id   text not null,
    position       int not null,
    body           jsonb not null,
    primary key (deployment_key, operation_id)
);
