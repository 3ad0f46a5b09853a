-- App Service plans (Microsoft.Web/serverfarms). Keyed as KeysetPage (plumbing) pages them: lower-case ids.
create table app_service_plans (
    resource_key                 text primary key,      -- the ARM id in lower case
    subscription_key             text        not null,  -- lower case
    resource_group_key           text        not null,  -- lower case
    resource_id                  text        not null,  -- the ARM id as first written
    subscription_id              text        not null,
    resource_group               text        not null,
    name                         text        not null,
    location                     text        not null,  -- the ARM name of a region of the placement topology
    kind                         text        not null,
    sku_name                     text        not null,  -- PlanSku: F1, B1, S1, P1v3, Y1, EP1, ...
    tier                         text        not null,  -- the SKU's tier (Free, Basic, ...): the plan quotas count by it
    capacity                     integer     not null,  -- instances (sku.capacity); 0 on Dynamic
    reserved                     boolean     not null,  -- Linux
    per_site_scaling             boolean     not null,
    maximum_elastic_worker_count integer     not null,
    hosting_environment_id       text,                  -- IsolatedV2 plans only
    tags                         jsonb       not null,
    created_at                   timestamptz not null,
    last_modified                timestamptz not null,
    etag                         text        not null
);
create index app_service_plans_by_group on app_service_plans (subscription_key, resource_group_key, resource_key);
create index app_service_plans_by_tier on app_service_plans (subscription_key, tier);

-- The sites that run on a plan, as their owners announce them (function apps: serverless on cirrus.serverless).
-- A plan's numberOfSites, its tier's apps-per-plan limit and the refusal to delete a plan in use read this.
create table plan_sites (
    site_key text primary key,   -- the site's ARM id in lower case
    site_id  text not null,      -- as its owner wrote it
    plan_key text not null       -- the plan's ARM id in lower case (it need not exist here)
);
create index plan_sites_by_plan on plan_sites (plan_key);
