-- Storage accounts (Microsoft.Storage/storageAccounts): the management plane only; the data plane is Azurite's or
-- whatever cirrus.storage.endpoints names. Account names are global: one row per name, whatever the subscription.
create table storage_accounts (
    id                  text primary key,          -- the ARM id in lower case
    resource_id         text        not null,      -- the ARM id as first written
    subscription_id     text        not null,
    resource_group      text        not null,
    name                text        not null unique, -- lower case: 3-24 lower-case letters and digits
    location            text        not null,
    kind                text        not null,
    sku_name            text        not null,
    access_tier         text,
    https_only          boolean     not null,
    minimum_tls_version text        not null,
    allow_blob_public_access boolean not null,
    tags                jsonb       not null,
    key1                text        not null,
    key2                text        not null,
    key1_created_at     timestamptz not null,
    key2_created_at     timestamptz not null,
    created_at          timestamptz not null,
    last_modified       timestamptz not null,
    etag                text        not null
);
create index storage_accounts_by_group on storage_accounts (lower(subscription_id), lower(resource_group), id);
