-- Tenants, subscriptions and service principals (the directory), and role assignments (RBAC). Ids are GUIDs kept
-- in lower case.
create table tenants (
    id           text        primary key,
    display_name text        not null,
    created_at   timestamptz not null
);

create table subscriptions (
    id           text        primary key,
    tenant_id    text        not null references tenants (id),
    display_name text        not null,
    state        text        not null,  -- Enabled
    created_at   timestamptz not null
);

create table service_principals (
    object_id     text        primary key,
    app_id        text        not null unique,
    tenant_id     text        not null references tenants (id),
    display_name  text        not null,
    secret_sha256 text        not null,  -- hex SHA-256 of the client secret (secrets are 256-bit random strings)
    created_at    timestamptz not null
);

-- A role assignment: a principal holds a role at a scope ("/", a subscription, a resource group or a resource) and
-- at everything below it. scope is shown in the casing supplied; scope_key (lower-cased) is the identity.
create table role_assignments (
    scope_key          text        not null,
    name               text        not null,  -- GUID, lower-cased
    scope              text        not null,
    role_definition_id text        not null,  -- GUID of the role definition
    principal_id       text        not null,
    principal_type     text        not null,
    description        text,
    created_at         timestamptz not null,
    created_by         text,
    primary key (scope_key, name),
    unique (scope_key, principal_id, role_definition_id)
);
create index role_assignments_by_principal on role_assignments (principal_id);
