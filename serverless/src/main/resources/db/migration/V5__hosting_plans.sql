-- The App Service plans function apps name in serverFarmId, as app-service announces them on cirrus.appservice
-- (functionapp/HostingPlans.java). Whether an app's plan is a Consumption plan (Dynamic, Y1) decides how its
-- executions are billed (per execution, or through the plan's instances) and the sku its site shows.
create table hosting_plan (
    plan_key   text primary key,        -- the plan's ARM id, lower-cased
    sku_name   text        not null,    -- Y1, EP1, B1, P1v3 ...
    updated_at timestamptz not null
);
