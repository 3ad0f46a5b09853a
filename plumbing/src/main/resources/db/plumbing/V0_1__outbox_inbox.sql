-- Transactional outbox: rows are written in the transaction of the state change and published by OutboxRelay.
create table outbox (
    seq          bigserial primary key,
    event_id     text        not null unique,
    topic        text        not null,
    record_key   text        not null,
    event_type   text        not null,
    payload      text        not null,
    created_at   timestamptz not null default now(),
    published_at timestamptz
);
create index outbox_unpublished on outbox (seq) where published_at is null;

-- Inbox: the ids of the events a consumer has applied, written in the transaction of the effect.
create table inbox (
    consumer   text        not null,
    event_id   text        not null,
    event_type text        not null,
    applied_at timestamptz not null default now(),
    primary key (consumer, event_id)
);
