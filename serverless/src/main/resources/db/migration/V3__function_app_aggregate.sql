-- The function app as an aggregate: its site configuration (config/web), ETag, last change, and named keys
-- (the host's function and system keys, each function's keys) instead of one key each.
alter table function_apps add column site_config        jsonb not null default '{}'::jsonb;
alter table function_apps add column etag               text;
alter table function_apps add column last_modified      timestamptz;
alter table function_apps add column host_function_keys jsonb;
alter table function_apps add column system_keys        jsonb not null default '{}'::jsonb;
update function_apps set etag = '"' || gen_random_uuid()::text || '"', last_modified = created_at,
                         host_function_keys = jsonb_build_object('default', host_key);
alter table function_apps alter column etag set not null;
alter table function_apps alter column last_modified set not null;
alter table function_apps alter column host_function_keys set not null;
alter table function_apps drop column host_key;

alter table functions add column keys jsonb;
update functions set keys = jsonb_build_object('default', function_key);
alter table functions alter column keys set not null;
alter table functions drop column function_key;
