-- billing: budgets scoped to a resource group as well as to a subscription. The subscription scope is group_key ''.
alter table budget add column group_key text not null default '';
alter table budget add column resource_group text;              -- as the user cased it; null at subscription scope
alter table budget drop constraint budget_pkey;
alter table budget add primary key (subscription_key, group_key, name_key);

alter table budget_alert add column group_key text not null default '';
alter table budget_alert drop constraint budget_alert_pkey;
alter table budget_alert add primary key (subscription_key, group_key, name_key, period_start, notification);
