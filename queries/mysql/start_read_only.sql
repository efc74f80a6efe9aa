-- start_read_only.sql: open a read-only transaction around the catalog reads (consistent snapshot of InnoDB rows).
-- Reads: nothing. Privilege: none.
START TRANSACTION READ ONLY
