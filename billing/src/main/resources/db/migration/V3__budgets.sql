-- billing, budgets (Microsoft.Consumption/budgets) and the alerts they raised.
create table budget (
    subscription_key text        not null,   -- lower-cased
    name_key         text        not null,   -- lower-cased budget name
    subscription_id  text        not null,
    name             text        not null,   -- as the user cased it
    amount           numeric     not null check (amount > 0),
    time_grain       text        not null,
    start_date       date        not null,
    end_date         date,
    notifications    text        not null,   -- JSON: the notifications as the user wrote them (validated)
    etag             text        not null,
    primary key (subscription_key, name_key)
);

-- One row per notification per budget period that crossed its threshold: written in the transaction that appends
-- the alert event to the outbox, so each alert is published exactly once.
create table budget_alert (
    subscription_key text        not null,
    name_key         text        not null,
    period_start     date        not null,
    notification     text        not null,
    spend            numeric     not null,
    raised_at        timestamptz not null,
    primary key (subscription_key, name_key, period_start, notification)
);
