-- Resource groups, owned by the gateway. ARM matches names case-insensitively and echoes the casing last supplied:
-- name_key (lower-cased) is the identity, name the casing to show.
create table resource_groups (
    subscription_id text        not null,  -- lower-cased GUID
    name_key        text        not null,
    name            text        not null,
    location        text        not null,  -- normalised: lower-case, no spaces ("westus")
    tags            jsonb       not null default '{}'::jsonb,
    managed_by      text,
    created_at      timestamptz not null,
    changed_at      timestamptz not null,
    primary key (subscription_id, name_key)
);

-- The results of asynchronous ARM operations the gateway answers with 202 + Location (today: resource group
-- deletion). A client polls /subscriptions/{sub}/operationresults/{id}: 202 while InProgress, then 200.
create table operation_results (
    id              text        primary key,
    subscription_id text        not null,
    operation       text        not null,  -- e.g. Microsoft.Resources/resourceGroups/delete
    resource_id     text        not null,
    status          text        not null,  -- InProgress | Succeeded | Failed
    started_at      timestamptz not null,
    ended_at        timestamptz
);
