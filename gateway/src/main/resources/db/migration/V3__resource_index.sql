-- The resource index: which service owns which resource id, written when a routed PUT or DELETE succeeds and
-- reconciled from the lifecycle topics. Serves /resources listings and routes Microsoft.Web/sites by their kind.
create table resource_index (
    id_key             text        primary key,  -- lower-cased resource id
    id                 text        not null,     -- as the caller last supplied it
    subscription_id    text        not null,     -- lower-cased
    resource_group_key text        not null,     -- lower-cased
    type               text        not null,     -- e.g. Microsoft.Compute/virtualMachines
    name               text        not null,
    owner              text        not null,     -- module name: compute-vm, app-service, serverless, ...
    location           text,
    kind               text,
    tags               jsonb       not null default '{}'::jsonb,
    changed_at         timestamptz not null
);
create index resource_index_by_scope on resource_index (subscription_id, resource_group_key, type, id_key);
