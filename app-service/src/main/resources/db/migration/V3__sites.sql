-- Web apps (Microsoft.Web/sites of kind app, api, mobileapp). Keyed as KeysetPage (plumbing) pages them.
create table sites (
    resource_key            text primary key,      -- the ARM id in lower case
    name_key                text        not null unique, -- the name in lower case: a site's name is global
    subscription_key        text        not null,
    resource_group_key      text        not null,
    resource_id             text        not null,
    subscription_id         text        not null,
    resource_group          text        not null,
    name                    text        not null,
    location                text        not null,
    kind                    text        not null,
    server_farm_id          text        not null,
    state                   text        not null,  -- Running, Stopped
    https_only              boolean     not null,
    client_affinity_enabled boolean     not null,
    site_config             jsonb       not null,
    app_settings            jsonb       not null,  -- {name: value}, in the order given
    connection_strings      jsonb       not null,  -- {name: {value, type}}
    slot_config_names       jsonb       not null,  -- {appSettingNames, connectionStringNames}
    scm_basic_auth          boolean     not null,
    ftp_basic_auth          boolean     not null,
    publishing_password     text        not null,
    tags                    jsonb       not null,
    metadata                jsonb       not null default '{}'::jsonb, -- config/metadata (a StringDictionary)
    logs_config             jsonb,                 -- config/logs as last written (null: Azure's defaults)
    active_deployment       text,                  -- the deployment that serves (null before the first)
    created_at              timestamptz not null,
    last_modified           timestamptz not null,
    etag                    text        not null
);
create index sites_by_group on sites (subscription_key, resource_group_key, resource_key);

-- Zip deployments of web apps (Kudu's deployment records), newest last.
create table site_deployments (
    id          text primary key,
    site_key    text        not null,
    status      text        not null,  -- Success, Failed
    message     text        not null,
    stack       text,                  -- static, java, node, python
    received_at timestamptz not null,
    ended_at    timestamptz not null,
    deployer    text        not null
);
create index site_deployments_by_site on site_deployments (site_key, received_at);
