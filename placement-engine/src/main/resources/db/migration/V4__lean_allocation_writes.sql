-- Fewer writes per allocation: every Place inserts a row and every Release deletes one, in the group commit.
-- The engine's in-memory state is authoritative (one engine per database) and answers Get and the listings by set
-- and by host, so these indexes served no query any more; and the foreign key to host cost a lookup (and a row
-- lock on the host) per inserted allocation, while hosts are never deleted (a host the inventory drops is Retired)
-- and the engine places only on hosts of its inventory.
alter table allocation drop constraint if exists allocation_host_fkey;
drop index if exists allocation_by_host;
drop index if exists allocation_by_group;
