-- The outbox's vacuum and statistics settings (a repeatable migration: idempotent, re-applied whenever this file
-- changes). Both keep autovacuum's work on the outbox from stalling the writers of events
-- (placement-engine/bench-results/placement-bench.md shows the stalls they caused: group commits of the placement
-- engine waiting 100-650 ms while autovacuum's worker took the CPU).
--
-- Every outbox row is inserted once and updated once, when OutboxRelay publishes it (published_at; the partial index
-- outbox_unpublished keeps that update from being HOT), so the updates' dead rows already make autovacuum visit the
-- table as often as it needs. PostgreSQL's insert-triggered vacuum (autovacuum_vacuum_insert_threshold: 1,000 rows
-- plus a fifth of the table) adds nothing here but scans of a growing table while events are being written, again
-- and again when Kafka is away and nothing is published. Anti-wraparound vacuums still run as always.
alter table outbox set (autovacuum_vacuum_insert_threshold = -1);

-- No query filters, joins or sorts on an event's payload: its statistics (histograms of ~1 kB JSON texts, which
-- ANALYZE computed from 30,000 sampled rows) are never used, so ANALYZE skips that column.
alter table outbox alter column payload set statistics 0;
